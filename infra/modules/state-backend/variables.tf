variable "storage_account_name" {
  description = "Name of the Terraform state storage account."
  type        = string
}

variable "location" {
  description = "Azure region."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group for the state account."
  type        = string
}

variable "container_name" {
  description = "Blob container holding one state file per environment (<env>.tfstate)."
  type        = string
  default     = "tfstate"
}

variable "state_writer_principal_ids" {
  description = "Principals (CI identities, platform team group) allowed to read and write state, by name."
  type        = map(string)
}

variable "retention_days" {
  description = "Days deleted blobs and old versions are kept (state restore window)."
  type        = number
  default     = 90
}

variable "tags" {
  description = "Tags for every taggable resource."
  type        = map(string)
}
