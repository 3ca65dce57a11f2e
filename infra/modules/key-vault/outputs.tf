output "id" {
  description = "Key Vault ID."
  value       = azurerm_key_vault.this.id
}

output "name" {
  description = "Key Vault name."
  value       = azurerm_key_vault.this.name
}

output "vault_uri" {
  description = "Vault URI for the External Secrets ClusterSecretStore."
  value       = azurerm_key_vault.this.vault_uri
}

output "platform_key_id" {
  description = "Versionless ID of the platform encryption key."
  value       = azurerm_key_vault_key.platform.versionless_id
}
