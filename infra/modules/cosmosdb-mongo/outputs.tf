output "id" {
  description = "Cosmos DB account ID."
  value       = azurerm_cosmosdb_account.this.id
}

output "endpoint" {
  description = "Account endpoint."
  value       = azurerm_cosmosdb_account.this.endpoint
}
