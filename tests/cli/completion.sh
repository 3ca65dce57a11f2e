#!/usr/bin/env bash
# Bash and zsh completion (completion/): stage names, each runner's flags
# (every flag its --help lists, and nothing else), platci-plan's subcommands,
# environment names for --env/--from/--to from platci.yaml. The bash
# function is called the way bash calls it (COMP_WORDS, COMP_CWORD); the zsh
# function with compadd and _files stubbed (skipped without zsh).
. "$(dirname "$0")/../lib/common.sh"
[ -x "$PLATCI_BIN/platci" ] || skip "platci not built in $PLATCI_BIN"
export PATH="$PLATCI_BIN:$PATH"
C="$PLATCI_SOURCE_DIR/completion"
cd "$T_TMP" || exit 1
printf 'version: 1\nenvironments:\n  - name: dev-a\n    infra: x\n  - {name: prd-b, infra: y, promote_from: dev-a}\n' > platci.yaml

# comp WORDS...: the completions bash offers for the last word
comp() {
  bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _platci; printf "%s\n" "${COMPREPLY[@]}" | sort' \
    _ "$C/platci.bash" "$@"
}
want() { # want "DESC" "EXPECTED (space-separated, sorted)" WORDS...
  local desc=$1 exp=$2 got; shift 2
  got=$(comp "$@" | tr '\n' ' ' | sed 's/ $//')
  [ "$got" = "$exp" ] && pass "bash: $desc" || fail "bash: $desc: got [$got], wanted [$exp]"
}
want "stage names" "validate" platci va
want "every stage" "--help --version drift gate help init note plan promote render report scan schemas validate" platci ""
want "help STAGE" "promote" platci help pr
want "plan subcommands" "bundle" platci plan b
want "env names" "dev-a prd-b" platci gate --env ""
want "--to env names" "prd-b" platci-promote --to p
want "no stage, no flags" "" platci nosuchstage --c
# every runner: the flags completed are exactly the flags its --help lists
for s in init validate plan gate scan drift promote note; do
  exp=$("platci-$s" --help | grep -o -- '--[a-z][a-z0-9-]*' | sort -u | tr '\n' ' ' | sed 's/ $//')
  [ -n "$exp" ] || { fail "platci-$s --help lists no flag"; continue; }
  want "platci $s flags" "$exp" platci "$s" --
  want "platci-$s flags" "$exp" "platci-$s" --
done
want "child flags" "--child-component --child-input --child-local --child-needs --child-pipeline" platci validate --child

if command -v zsh >/dev/null 2>&1; then
  zcomp() {
    zsh -f -c 'compadd() { while [[ $1 == -* && $1 != -- ]]; do shift; done; [[ $1 == -- ]] && shift; print -l -- "$@"; }
      _files() { print -- "<files>"; }
      service=$1; shift; words=("$@"); CURRENT=$#words; PREFIX=$words[CURRENT]
      source "$C/_platci" | grep -- "^$PREFIX" | sort' _ "$@"
  }
  C=$C export C
  got=$(zcomp platci platci va | tr '\n' ' '); [ "$got" = "validate " ] && pass "zsh: stage names" || fail "zsh: stage names: [$got]"
  got=$(zcomp platci-gate platci-gate --en | tr '\n' ' '); [ "$got" = "--env " ] && pass "zsh: flags" || fail "zsh: flags: [$got]"
  got=$(zcomp platci platci gate --env "" | tr '\n' ' '); [ "$got" = "dev-a prd-b " ] && pass "zsh: envs" || fail "zsh: envs: [$got]"
else
  echo "note: zsh is not installed: zsh completion not exercised"
fi
finish
