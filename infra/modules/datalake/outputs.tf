output "id" {
  description = "Storage account ID."
  value       = azurerm_storage_account.this.id
}

output "name" {
  description = "Storage account name."
  value       = azurerm_storage_account.this.name
}

output "dfs_endpoint" {
  description = "Primary DFS endpoint."
  value       = azurerm_storage_account.this.primary_dfs_endpoint
}
