resource "a" "b" {
  c = "unterminated
