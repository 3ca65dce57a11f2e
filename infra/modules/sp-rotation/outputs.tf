output "client_id" {
  description = "Application (client) ID."
  value       = azuread_application.this.client_id
}

output "service_principal_object_id" {
  description = "Object ID of the service principal (for role assignments)."
  value       = azuread_service_principal.this.object_id
}

output "secret_expires_at" {
  description = "When the current secret expires."
  value       = azuread_application_password.this.end_date
}
