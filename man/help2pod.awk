# help2pod.awk: a runner's --help output -> POD (SYNOPSIS and OPTIONS), so the
# man pages list exactly the flags the executable parses (its option table is
# the one source; completion/ reads the same --help).
#   Usage: lines                 -> =head1 SYNOPSIS (verbatim); with -v subcmd=NAME
#                                   (a subcommand's --help): =head2 NAME, and its
#                                   sections one level down
#   "Name:" header lines         -> =head2 Name
#   "  TERM   text" lines        -> =item TERM with its text (continuations joined)
#   other lines                  -> prose paragraphs (dropped before the first
#                                   header of a page: its DESCRIPTION says it)
function esc(s) {
	gsub(/</, "\001", s); gsub(/>/, "E<gt>", s); gsub(/\001/, "E<lt>", s)
	return s
}
function close_item() {
	if (item != "") { print "=item " esc(item) "\n"; if (desc != "") print esc(desc) "\n" }
	item = ""; desc = ""
}
function close_list() { close_item(); if (inlist) { print "=back\n"; inlist = 0 } }
function close_para() { if (para != "") { print esc(para) "\n"; para = "" } }
BEGIN { sub_ = subcmd; state = "usage"; inlist = 0; item = ""; desc = ""; para = "" }
state == "usage" {
	if ($0 == "") { print ""; if (sub_ == "") print "=head1 OPTIONS\n"; state = "body"; next }
	line = $0; sub(/^Usage: /, "", line); sub(/^       /, "", line)
	if (!printed) { print (sub_ == "" ? "=head1 SYNOPSIS" : "=head2 " sub_) "\n"; printed = 1 }
	print "  " line
	next
}
/^[A-Z][A-Za-z ]*:$/ {
	close_para(); close_list(); h = $0; sub(/:$/, "", h)
	if (sub_ == "") print "=head2 " h "\n"; else print "=head3 " h "\n"
	headed = 1
	next
}
/^  [^ ]/ {
	close_para()
	line = substr($0, 3)
	if (match(line, /   */)) { term = substr(line, 1, RSTART - 1); text = substr(line, RSTART + RLENGTH) }
	else { term = line; text = "" }
	if (!inlist) { print "=over 4\n"; inlist = 1 }
	close_item(); item = term; desc = text
	next
}
/^   +[^ ]/ && inlist {
	line = $0; sub(/^ +/, "", line)
	if (item != "" && desc == "" && line ~ /^\[/) { item = item " " line; next }
	desc = desc (desc == "" ? "" : " ") line
	next
}
/^$/ { close_para(); close_list(); next }
sub_ == "" && !headed { next }
{ close_list(); para = para (para == "" ? "" : " ") $0 }
END { close_para(); close_list() }
