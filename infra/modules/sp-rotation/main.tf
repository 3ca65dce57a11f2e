# A service principal for a consumer that cannot use workload identity or
# OIDC federation (e.g. an external SaaS pulling from the Data Lake). Its
# client secret rotates every rotation_days on the next apply after the
# rotation time: a new password is created before the old one is removed,
# the new value is written to Key Vault (External Secrets syncs it), and the
# old one stays valid for overlap_days.

resource "azuread_application" "this" {
  display_name = var.display_name
  owners       = var.owners
}

resource "azuread_service_principal" "this" {
  client_id = azuread_application.this.client_id
  owners    = var.owners
}

resource "time_rotating" "secret" {
  rotation_days = var.rotation_days
}

resource "azuread_application_password" "this" {
  application_id = azuread_application.this.id
  display_name   = "rotated-${formatdate("YYYY-MM-DD", time_rotating.secret.id)}"
  end_date       = timeadd(time_rotating.secret.rotation_rfc3339, "${var.overlap_days * 24}h")

  rotate_when_changed = {
    rotation = time_rotating.secret.id
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "azurerm_key_vault_secret" "client_secret" {
  name            = var.secret_name
  key_vault_id    = var.key_vault_id
  value           = azuread_application_password.this.value
  content_type    = "client-secret;client_id=${azuread_application.this.client_id}"
  expiration_date = azuread_application_password.this.end_date
  tags            = var.tags
}
