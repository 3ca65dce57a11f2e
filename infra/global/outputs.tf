output "state_storage_account_name" {
  description = "Backend storage_account_name for the environment roots."
  value       = module.state_backend.storage_account_name
}

output "acr_login_server" {
  description = "The platform registry."
  value       = module.acr.login_server
}
