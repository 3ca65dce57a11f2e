output "id" {
  description = "Registry ID."
  value       = azurerm_container_registry.this.id
}

output "login_server" {
  description = "Login server, e.g. acrplatform.azurecr.io."
  value       = azurerm_container_registry.this.login_server
}
