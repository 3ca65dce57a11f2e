output "workload_identity_client_ids" {
  description = "Client IDs of the workload identities by name (cluster-vars: ESO_CLIENT_ID, LOKI_CLIENT_ID, MLFLOW_CLIENT_ID)."
  value       = { for k, id in azurerm_user_assigned_identity.workload : k => id.client_id }
}
