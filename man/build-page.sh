#!/bin/sh
# build-page.sh POD OUT SECTION VERSION [RUNNER [SUBCOMMAND...]]
# Renders one man page with pod2man (from Debian's perl). With RUNNER, the
# lines "=for platci synopsis" and "=for platci options" of POD are replaced
# by the SYNOPSIS and OPTIONS that man/help2pod.awk makes of `RUNNER --help`
# (and of `RUNNER SUBCOMMAND --help` for each SUBCOMMAND), so a flag is
# described once, in the runner's option table.
set -eu
pod=$1 out=$2 section=$3 version=$4
shift 4
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
name=$(basename "$out" ".$section")
if [ $# -gt 0 ]; then
	runner=$1
	shift
	PATH=/usr/bin:/bin "$runner" --help | awk -f "$here/help2pod.awk" >"$tmp/help.pod"
	for sub in "$@"; do
		PATH=/usr/bin:/bin "$runner" "$sub" --help | awk -v subcmd="$(basename "$runner") $sub" -f "$here/help2pod.awk" >>"$tmp/help.pod"
	done
	sed -n '1,/^=head1 OPTIONS$/p' "$tmp/help.pod" | sed '$d' >"$tmp/synopsis.pod"
	sed -n '/^=head1 OPTIONS$/,$p' "$tmp/help.pod" >"$tmp/options.pod"
	grep -q '^=for platci synopsis$' "$pod" && grep -q '^=for platci options$' "$pod" ||
		{ echo "build-page.sh: $pod lacks the =for platci synopsis/options lines" >&2; exit 1; }
	awk -v syn="$tmp/synopsis.pod" -v opt="$tmp/options.pod" '
		$0 == "=for platci synopsis" { while ((getline l < syn) > 0) print l; next }
		$0 == "=for platci options" { while ((getline l < opt) > 0) print l; next }
		{ print }' "$pod" >"$tmp/page.pod"
else
	cp "$pod" "$tmp/page.pod"
fi
# the exit codes of the contract, shared by every runner's page
awk -v ex="$here/exit-status.pod" '
	$0 == "=for platci exit-status" { while ((getline l < ex) > 0) print l; next }
	{ print }' "$tmp/page.pod" >"$tmp/page2.pod"
mv "$tmp/page2.pod" "$tmp/page.pod"
podchecker -warnings "$tmp/page.pod" >"$tmp/check.log" 2>&1 ||
	{ cat "$tmp/check.log" >&2; echo "build-page.sh: $pod: POD errors" >&2; exit 1; }
pod2man --utf8 --section="$section" --name="$name" --center="platci manual" \
	--release="platci $version" "$tmp/page.pod" >"$tmp/out"
mv "$tmp/out" "$out"
