x = <<-EOT
  body ${var.a} %{ if true }y%{ endif }
EOT
y = [for s in var.l : upper(s)]
z = { for k, v in var.m : k => v if v }
