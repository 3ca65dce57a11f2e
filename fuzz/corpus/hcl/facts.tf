terraform {
  required_version = "~> 1.9"
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 3.116"
    }
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
  backend "azurerm" {
    key = "dev.tfstate"
  }
}

module "net" {
  source  = "git::https://example.com/net.git?ref=v1.2.0"
  version = "1.2.0"
}
