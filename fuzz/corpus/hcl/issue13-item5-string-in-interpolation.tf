locals {
  name = "${format("%s-{x}", var.a)}"
  j    = "${jsonencode({ k = "}" })}"
}
