variable "name" {
  description = "Name stem, e.g. platform-dev-uaenorth."
  type        = string
}

variable "location" {
  description = "Azure region."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group for the automation account."
  type        = string
}

variable "aks_cluster_id" {
  description = "Cluster whose node pools are scaled."
  type        = string
}

variable "aks_cluster_name" {
  description = "Cluster name (runbook parameter)."
  type        = string
}

variable "node_pools" {
  description = "Node pools to scale down out of hours, with their office-hours and night autoscaler bounds."
  type = map(object({
    day_min   = number
    day_max   = number
    night_min = number
    night_max = number
  }))
}

variable "timezone" {
  description = "IANA time zone of the schedules."
  type        = string
  default     = "Asia/Dubai"
}

variable "scale_down_time" {
  description = "Local time (HH:MM) to scale down on working days."
  type        = string
  default     = "20:00"
}

variable "scale_up_time" {
  description = "Local time (HH:MM) to scale back up on working days."
  type        = string
  default     = "07:00"
}

variable "working_days" {
  description = "Days the scale-up schedule runs; the scale-down runs on the same days."
  type        = list(string)
  default     = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
}

variable "tags" {
  description = "Tags for every taggable resource."
  type        = map(string)
}
