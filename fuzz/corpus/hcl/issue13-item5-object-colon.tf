locals {
  labels = {
    "pool" : "system"
  }
  v = { a : 1 }
}
