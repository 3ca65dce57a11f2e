#!/usr/bin/env bash
# Man pages (man/, rendered at build time with pod2man): every executable
# has one and platci.yaml has platci.yaml(5); each renders with `man -l`
# without a groff warning; a runner's page lists every flag its --help lists
# (they are made from it); `cmake --install` puts the pages, the bash and zsh
# completion where man and the shells look, and `man platci-validate` works
# from the installed tree.
. "$(dirname "$0")/../lib/common.sh"
need_cmd man
need_cmd groff
M="$PLATCI_BUILD_DIR/man"
[ -f "$M/platci.1" ] || skip "man pages not built in $M (pod2man, from Debian's perl, is missing)"

pages="platci.1 platci-init.1 platci-validate.1 platci-plan.1 platci-gate.1 platci-scan.1 platci-drift.1 platci-promote.1 platci-note.1 platci.yaml.5"
for p in $pages; do
  [ -f "$M/$p" ] || { fail "$p not built"; continue; }
  MANWIDTH=100 MAN_KEEP_FORMATTING= man --warnings -l "$M/$p" >"$T_TMP/page" 2>"$T_TMP/warn" || fail "$p: man -l failed"
  [ -s "$T_TMP/warn" ] && { fail "$p: groff warnings"; head -5 "$T_TMP/warn"; }
  for h in NAME SYNOPSIS DESCRIPTION; do grep -q "^$h" "$T_TMP/page" || fail "$p: no $h section"; done
  case $p in platci.yaml.5) ;; *) grep -q "^EXIT STATUS" "$T_TMP/page" || fail "$p: no EXIT STATUS";; esac
  exe="$PLATCI_BIN/${p%.1}"
  if [ -x "$exe" ] && [ "$p" != platci.yaml.5 ]; then
    for f in $("$exe" --help | grep -o -- '--[a-z][a-z0-9-]*' | sort -u); do
      grep -qF -- "$f" "$T_TMP/page" || fail "$p: $f is in --help but not in the page"
    done
  fi
done
MANWIDTH=100 man -l "$M/platci-plan.1" 2>/dev/null | grep -q -- "--max-summary" || fail "platci-plan.1 lacks the summarize subcommand's flags"
MANWIDTH=100 man -l "$M/platci.yaml.5" 2>/dev/null | grep -q "promote_from" || fail "platci.yaml.5 lacks promote_from"
pass "$(echo $pages | wc -w) pages render; runner pages carry every flag of --help"

# installed: man finds the pages, completion files are where the shells look
command -v cmake >/dev/null 2>&1 || { finish; }
cmake --install "$PLATCI_BUILD_DIR" --prefix "$T_TMP/prefix" >"$T_TMP/install.log" 2>&1 || { fail "cmake --install"; tail -5 "$T_TMP/install.log"; finish; }
MANPATH="$T_TMP/prefix/share/man" MANWIDTH=100 man platci-validate >"$T_TMP/installed" 2>&1 || fail "man platci-validate after install"
assert_contains "$T_TMP/installed" "platci-validate - validate what a merge request changes"
MANPATH="$T_TMP/prefix/share/man" man -w platci.yaml >/dev/null 2>&1 || fail "man platci.yaml(5) after install"
for f in share/bash-completion/completions/platci share/bash-completion/completions/platci-validate share/zsh/site-functions/_platci bin/platci bin/platci-init; do
  [ -e "$T_TMP/prefix/$f" ] || fail "cmake --install did not install $f"
done
finish
