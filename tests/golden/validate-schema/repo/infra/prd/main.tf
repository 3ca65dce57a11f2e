terraform {
  backend "azurerm" {
    key = "prd.tfstate"
  }
}

module "aks" {
  source             = "../modules/aks"
  kubernetes_version = "1.31"
  gpu = {
    size   = "Standard_NC40ads_H100_v5"
    taints = ["nvidia.com/gpu=present:NoSchedule"]
  }
}
