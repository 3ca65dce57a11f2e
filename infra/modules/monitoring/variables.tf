variable "name" {
  description = "Name stem, e.g. platform-dev-uaenorth."
  type        = string
}

variable "location" {
  description = "Azure region."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group for the workspace."
  type        = string
}

variable "retention_in_days" {
  description = "Log Analytics retention."
  type        = number
  default     = 30
}

variable "enable_defender_for_containers" {
  description = "Turn on the subscription-wide Defender for Containers plan. Set it in exactly one root per subscription."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for every taggable resource."
  type        = map(string)
}
