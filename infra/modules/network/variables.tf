variable "name" {
  description = "Name stem for the resources, e.g. platform-dev-uaenorth."
  type        = string
}

variable "location" {
  description = "Azure region."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group for the network resources."
  type        = string
}

variable "hub_address_space" {
  description = "Address space of the hub VNet (firewall, CI runners)."
  type        = list(string)
}

variable "spoke_address_space" {
  description = "Address space of the spoke VNet (AKS, ingress, private endpoints)."
  type        = list(string)
}

variable "subnets" {
  description = "CIDRs of the subnets. Hub: firewall, runners. Spoke: aks_system, aks_user, ingress, private_endpoints."
  type = object({
    firewall          = string
    runners           = string
    aks_system        = string
    aks_user          = string
    ingress           = string
    private_endpoints = string
  })
}

variable "firewall_sku_tier" {
  description = "Azure Firewall tier: Standard or Premium."
  type        = string
  default     = "Standard"

  validation {
    condition     = contains(["Standard", "Premium"], var.firewall_sku_tier)
    error_message = "firewall_sku_tier must be Standard or Premium."
  }
}

variable "firewall_zones" {
  description = "Availability zones for the firewall and its public IPs."
  type        = list(string)
  default     = ["1", "2", "3"]
}

variable "public_ingress_private_ip" {
  description = "Private IP of the public ingress controller's internal load balancer; the firewall DNATs ports 80/443 of its ingress public IP to it."
  type        = string
}

variable "allowed_egress_fqdns" {
  description = "Extra FQDNs the clusters may reach through the firewall (Helm repositories, container registries)."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags for every taggable resource."
  type        = map(string)
}
