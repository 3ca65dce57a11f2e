variable "name" {
  description = "Private endpoint name."
  type        = string
}

variable "location" {
  description = "Azure region."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group for the private endpoint."
  type        = string
}

variable "subnet_id" {
  description = "Subnet the endpoint's NIC is placed in."
  type        = string
}

variable "resource_id" {
  description = "ID of the resource exposed (ACR, Key Vault, storage account, Cosmos DB account)."
  type        = string
}

variable "subresource_name" {
  description = "Private link sub-resource: registry, vault, blob, dfs, MongoDB."
  type        = string
}

variable "private_dns_zone_ids" {
  description = "Private DNS zones the endpoint registers its A records in."
  type        = list(string)
}

variable "tags" {
  description = "Tags for every taggable resource."
  type        = map(string)
}
