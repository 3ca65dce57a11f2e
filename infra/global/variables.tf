variable "location" {
  description = "Azure region of the shared resources."
  type        = string
  default     = "uaenorth"
}

variable "state_writer_principal_ids" {
  description = "Principals that read and write Terraform state (CI identities per environment, platform team group)."
  type        = map(string)
}

variable "tags" {
  description = "Tags of the shared resources (environment = shared)."
  type        = map(string)
  default = {
    environment = "shared"
    region      = "uaenorth"
    team        = "platform"
    owner       = "platform-team"
    cost_center = "cc-1042-ai-platform"
    managed_by  = "terraform"
  }
}
