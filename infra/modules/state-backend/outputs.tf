output "storage_account_name" {
  description = "State storage account name (backend storage_account_name)."
  value       = azurerm_storage_account.state.name
}

output "container_name" {
  description = "State container (backend container_name)."
  value       = azurerm_storage_container.state.name
}
