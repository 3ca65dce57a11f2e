variable "name" {
  description = "Cosmos DB account name (globally unique)."
  type        = string
}

variable "location" {
  description = "Azure region."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group for the account."
  type        = string
}

variable "database_name" {
  description = "MongoDB database to create."
  type        = string
  default     = "platform"
}

variable "max_throughput" {
  description = "Autoscale RU/s ceiling of the database."
  type        = number
  default     = 4000
}

variable "zone_redundant" {
  description = "Zone-redundant primary region."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags for every taggable resource."
  type        = map(string)
}
