#!/bin/sh
# images/platci-ci/Dockerfile: every download has a pinned version and a
# pinned SHA-256 that is checked (sha256sum -c) in the same RUN before the
# file is used; no base image is :latest or untagged; nothing is fetched
# with ADD <url>. A checksum that could not be found must say so (the value
# not-found-see-comment, with a comment naming where it is published): the
# build then stops at that check, and this test lists those tools. Broken
# copies of the file (a download without a checksum, an unpinned version, a
# checksum that is never checked) are rejected, so the check can fail.
set -u
. "$(dirname "$0")/lib/common.sh"
cd "$PLATCI_SOURCE_DIR" || fail "cannot cd to $PLATCI_SOURCE_DIR"
D=images/platci-ci/Dockerfile
[ -f "$D" ] || fail "$D missing"
make_tmp

# check FILE: prints one line per problem, "missing NAME" per declared-missing checksum
check() {
	awk '
	function argval(n) { return (n in arg) ? arg[n] : "" }
	/^[[:space:]]*#/ { comment = comment "\n" $0; next }
	/^ARG / {
		# a comment block belongs to the ARGs right below it
		split(substr($0, 5), kv, "="); arg[kv[1]] = kv[2]; argcomment[kv[1]] = comment; next
	}
	/^FROM / {
		img = $2
		if (img ~ /^\$\{/) { n = img; gsub(/[${}]/, "", n); img = argval(n) }
		if (img !~ /:/ || img ~ /:latest$/) print "FROM " $2 ": no pinned tag"
		comment = ""; next
	}
	/^ADD[[:space:]]+https?:/ { print "ADD of a URL: " $0; next }
	{ line = $0; comment = "" }
	/\\$/ { buf = buf line "\n"; next }
	{
		buf = buf line
		if (buf ~ /^RUN/ && buf ~ /(curl|wget)[^\n]*https?:\/\//) {
			n = 0
			s = buf
			while (match(s, /https?:\/\/[^" \n]+/)) {
				url = substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)
				if (!match(url, /\$\{[A-Z0-9_]+_VERSION\}/)) { print "download without a ${NAME_VERSION}: " url; continue }
				v = substr(url, RSTART + 2, RLENGTH - 3); name = v; sub(/_VERSION$/, "", name)
				if (argval(v) !~ /^v?[0-9]+(\.[0-9]+)+$/) print name ": version \"" argval(v) "\" is not pinned"
				sum = argval(name "_SHA256")
				if (sum == "") { print name ": no " name "_SHA256"; continue }
				if (sum == "not-found-see-comment") {
					if (argcomment[name "_SHA256"] !~ /NOT FOUND/ || argcomment[name "_SHA256"] !~ /published/)
						print name ": missing checksum without a comment saying where it is published"
					else print "missing " name
				} else if (length(sum) != 64 || sum ~ /[^0-9a-f]/) print name ": " name "_SHA256 is not a SHA-256"
				if (index(buf, "${" name "_SHA256}") == 0 || buf !~ /sha256sum -c/)
					print name ": the download is not checked with sha256sum -c ${" name "_SHA256}"
				if (argcomment[name "_SHA256"] !~ /[Ss][Hh][Aa]-256/) print name ": no comment saying where the SHA-256 was published"
			}
		}
		buf = ""
	}' "$1"
}

check "$D" >"$TMPD/real.txt"
grep -v '^missing ' "$TMPD/real.txt" >"$TMPD/problems.txt"
[ -s "$TMPD/problems.txt" ] && { cat "$TMPD/problems.txt" >&2; fail "$D: downloads without a pinned version or checksum"; }
ntools=$(grep -c 'sha256sum -c' "$D")
[ "$ntools" -ge 7 ] || fail "$D checks only $ntools downloads; terraform, kubectl, kustomize, helm, flux, trivy, kubelogin expected"
for t in TERRAFORM KUBECTL KUSTOMIZE HELM FLUX TRIVY KUBELOGIN; do
	grep -q "^ARG ${t}_VERSION=" "$D" || fail "$D has no ${t}_VERSION"
done
missing=$(sed -n 's/^missing //p' "$TMPD/real.txt" | tr '\n' ' ')
[ -n "$missing" ] && echo "note: checksums not found when the Dockerfile was written (the image build stops at their check): $missing"
grep -q '^USER 10001' "$D" || fail "$D: the runtime does not run as a non-root user"
grep -q 'org.opencontainers.image.revision' "$D" || fail "$D: no OCI labels"

# the check can fail
sed 's/ \&\& echo "\${TERRAFORM_SHA256}  terraform.zip" | sha256sum -c - \\//' "$D" >"$TMPD/no-check"
sed 's/^ARG KUBECTL_VERSION=.*/ARG KUBECTL_VERSION=latest/' "$D" >"$TMPD/unpinned"
sed 's/^ARG TRIVY_SHA256=.*/ARG TRIVY_SHA256=abc/' "$D" >"$TMPD/bad-sum"
printf 'RUN curl -fsSLo x https://example.com/x.tar.gz\n' | cat "$D" - >"$TMPD/no-version"
printf 'FROM alpine\n' | cat "$D" - >"$TMPD/untagged"
for b in no-check unpinned bad-sum no-version untagged; do
	check "$TMPD/$b" | grep -v '^missing ' | grep -q . || fail "a broken copy ($b) passed the check"
done
pass "$ntools downloads pinned by version and SHA-256; 5 broken copies rejected"
