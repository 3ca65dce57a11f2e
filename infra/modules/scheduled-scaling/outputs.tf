output "automation_account_id" {
  description = "Automation account running the scaling runbook."
  value       = azurerm_automation_account.this.id
}
