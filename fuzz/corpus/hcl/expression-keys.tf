m = { "${var.k}" = 1, (local.k) = 2, 3 = "c" }
e = "$${x}"
/* open comment