variable "name" {
  description = "Storage account name (3-24 lowercase alphanumerics)."
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

variable "replication_type" {
  description = "LRS, ZRS, GRS or GZRS."
  type        = string
  default     = "ZRS"
}

variable "filesystems" {
  description = "Data Lake Gen2 filesystems (containers) to create."
  type        = list(string)
  default     = ["raw", "curated", "models", "mlflow", "loki-chunks", "loki-ruler", "loki-admin"]
}

variable "lifecycle_rules" {
  description = "Tiering of blobs by prefix: cool after, archive after, delete after (days since modification)."
  type = map(object({
    prefix        = string
    cool_after    = number
    archive_after = number
    delete_after  = number
  }))
  default = {
    raw  = { prefix = "raw/", cool_after = 30, archive_after = 180, delete_after = 730 }
    logs = { prefix = "loki-chunks/", cool_after = 7, archive_after = 90, delete_after = 365 }
  }
}

variable "tags" {
  description = "Tags for every taggable resource."
  type        = map(string)
}
