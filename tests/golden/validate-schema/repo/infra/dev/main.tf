terraform {
  backend "azurerm" {
    key = "dev.tfstate"
  }
}

resource "azurerm_kubernetes_cluster" "aks" {
  kubernetes_version = "1.29"
  default_node_pool {
    name    = "system"
    vm_size = "Standard_D4ds_v5"
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "gpu" {
  name        = "gpu"
  vm_size     = "Standard_NC40ads_H100_v5"
  node_labels = { "platform.io/gpu" = "h100" }
  node_taints = ["nvidia.com/gpu=present:NoSchedule"]
}
