variable "kubernetes_version" {
  type = string
}

variable "gpu" {
  type = object({ size = string, taints = list(string) })
}

resource "azurerm_kubernetes_cluster" "aks" {
  kubernetes_version = var.kubernetes_version
  default_node_pool {
    name    = "system"
    vm_size = "Standard_D4ds_v5"
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "gpu" {
  name        = "gpu"
  vm_size     = var.gpu.size
  node_labels = merge({ "platform.io/gpu" = "h100" }, {})
  node_taints = var.gpu.taints
}
