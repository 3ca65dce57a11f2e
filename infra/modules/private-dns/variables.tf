variable "resource_group_name" {
  description = "Resource group for the private DNS zones."
  type        = string
}

variable "zones" {
  description = "Private DNS zones by short name, e.g. { acr = \"privatelink.azurecr.io\" }."
  type        = map(string)
}

variable "virtual_network_ids" {
  description = "VNets to link every zone to, by short name (hub, spoke)."
  type        = map(string)
}

variable "tags" {
  description = "Tags for every taggable resource."
  type        = map(string)
}
