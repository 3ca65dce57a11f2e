# Cost: outside office hours the autoscaler bounds of the expensive pools
# (GPU, spot test pools) are lowered by an Automation runbook; in the
# morning they are restored. The cluster autoscaler does the rest.

resource "azurerm_automation_account" "this" {
  name                = "aa-scaling-${var.name}"
  location            = var.location
  resource_group_name = var.resource_group_name
  sku_name            = "Basic"

  identity {
    type = "SystemAssigned"
  }

  tags = var.tags
}

resource "azurerm_role_assignment" "scale_node_pools" {
  scope                = var.aks_cluster_id
  role_definition_name = "Azure Kubernetes Service Contributor Role"
  principal_id         = azurerm_automation_account.this.identity[0].principal_id
}

resource "azurerm_automation_runbook" "scale" {
  name                    = "Scale-AksNodePools"
  location                = var.location
  resource_group_name     = var.resource_group_name
  automation_account_name = azurerm_automation_account.this.name
  runbook_type            = "PowerShell"
  log_verbose             = false
  log_progress            = true
  description             = "Sets the autoscaler bounds of AKS node pools."
  tags                    = var.tags

  content = <<-EOT
    param(
      [Parameter(Mandatory = $true)][string] $ResourceGroupName,
      [Parameter(Mandatory = $true)][string] $ClusterName,
      [Parameter(Mandatory = $true)][string] $NodePoolsJson
    )
    $ErrorActionPreference = "Stop"
    Connect-AzAccount -Identity | Out-Null
    $pools = $NodePoolsJson | ConvertFrom-Json
    foreach ($p in $pools.PSObject.Properties) {
      Write-Output "Scaling $($p.Name) to min=$($p.Value.min) max=$($p.Value.max)"
      Update-AzAksNodePool -ResourceGroupName $ResourceGroupName -ClusterName $ClusterName `
        -Name $p.Name -EnableAutoScaling -MinCount $p.Value.min -MaxCount $p.Value.max | Out-Null
    }
  EOT
}

# Schedules must start in the future: anchor them on the day after creation.
resource "time_static" "anchor" {}

locals {
  first_day = formatdate("YYYY-MM-DD", timeadd(time_static.anchor.rfc3339, "24h"))
  schedules = {
    night = {
      time  = var.scale_down_time
      pools = { for k, v in var.node_pools : k => { min = v.night_min, max = v.night_max } }
    }
    day = {
      time  = var.scale_up_time
      pools = { for k, v in var.node_pools : k => { min = v.day_min, max = v.day_max } }
    }
  }
}

resource "azurerm_automation_schedule" "this" {
  for_each = local.schedules

  name                    = "aks-${each.key}"
  resource_group_name     = var.resource_group_name
  automation_account_name = azurerm_automation_account.this.name
  frequency               = "Week"
  interval                = 1
  week_days               = var.working_days
  timezone                = var.timezone
  start_time              = "${local.first_day}T${each.value.time}:00+04:00"

  lifecycle {
    ignore_changes = [start_time]
  }
}

resource "azurerm_automation_job_schedule" "this" {
  for_each = local.schedules

  resource_group_name     = var.resource_group_name
  automation_account_name = azurerm_automation_account.this.name
  schedule_name           = azurerm_automation_schedule.this[each.key].name
  runbook_name            = azurerm_automation_runbook.scale.name

  # Automation lower-cases parameter names.
  parameters = {
    resourcegroupname = var.resource_group_name
    clustername       = var.aks_cluster_name
    nodepoolsjson     = jsonencode(each.value.pools)
  }
}
