variable "name" {
  description = "Registry name (globally unique, alphanumeric), e.g. acrplatform."
  type        = string
}

variable "location" {
  description = "Azure region."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group for the registry."
  type        = string
}

variable "retention_days" {
  description = "Days untagged manifests are kept."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags for every taggable resource."
  type        = map(string)
}
