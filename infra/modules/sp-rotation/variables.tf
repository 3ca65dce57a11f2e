variable "display_name" {
  description = "Display name of the application / service principal."
  type        = string
}

variable "owners" {
  description = "Object IDs of the application owners."
  type        = list(string)
}

variable "rotation_days" {
  description = "Days between secret rotations."
  type        = number
  default     = 90
}

variable "overlap_days" {
  description = "Days the previous secret stays valid after a rotation, so consumers can pick up the new one."
  type        = number
  default     = 30
}

variable "key_vault_id" {
  description = "Key Vault the current secret is written to."
  type        = string
}

variable "secret_name" {
  description = "Name of the Key Vault secret holding the client secret."
  type        = string
}

variable "tags" {
  description = "Tags for every taggable resource."
  type        = map(string)
}
