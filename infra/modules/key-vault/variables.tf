variable "name" {
  description = "Key Vault name (3-24 characters, globally unique)."
  type        = string
}

variable "location" {
  description = "Azure region."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group for the vault."
  type        = string
}

variable "tenant_id" {
  description = "Entra tenant of the vault."
  type        = string
}

variable "soft_delete_retention_days" {
  description = "Days a deleted vault, key or secret can be recovered (7-90)."
  type        = number
  default     = 90
}

variable "allowed_subnet_ids" {
  description = "Subnets allowed through the vault firewall (CI runners)."
  type        = list(string)
  default     = []
}

variable "key_rotation" {
  description = "Lifecycle of the platform encryption key: rotate this long before expiry, expire after this long (ISO 8601 durations)."
  type = object({
    rotate_before_expiry = string
    expire_after         = string
    notify_before_expiry = string
  })
  default = {
    rotate_before_expiry = "P30D"
    expire_after         = "P365D"
    notify_before_expiry = "P29D"
  }
}

variable "tags" {
  description = "Tags for every taggable resource."
  type        = map(string)
}
