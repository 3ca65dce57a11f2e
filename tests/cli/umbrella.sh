#!/usr/bin/env bash
# platci STAGE ARGS... runs platci-STAGE ARGS... as git runs its commands: the
# executable beside platci first, then PATH; exit code and arguments pass
# through; --help lists every stage and platci-* plugins; unknown or unsafe
# stage names are usage errors (64).
. "$(dirname "$0")/../lib/common.sh"
P="$PLATCI_BIN/platci"
[ -x "$P" ] || skip "platci not built in $PLATCI_BIN"

expect_exit 0 -- "$P" --help
# every stage this build ships (each platci-* beside platci) is listed with its
# description, not as a plugin "(path)"
stages=$(cd "$PLATCI_BIN" && ls platci-* | sed 's/^platci-//')
[ -n "$stages" ] || fail "no platci-* beside platci"
for s in $stages; do
  grep -qE "^  $s +[A-Za-z]" "$T_TMP/out" || fail "--help does not describe the stage $s"
done
expect_exit 0 -- "$P" --version && assert_contains "$T_TMP/out" "platci (platci) "
expect_exit 0 -- "$P" validate --version && assert_contains "$T_TMP/out" "platci-validate (platci) "
expect_exit 0 -- "$P" help gate && assert_contains "$T_TMP/out" "Usage: platci-gate"
expect_exit 64 -- "$P"
expect_exit 64 -- "$P" nosuchstage && assert_contains "$T_TMP/err" 'no stage "nosuchstage"'
expect_exit 64 -- "$P" ../../bin/sh && assert_contains "$T_TMP/err" "is not a stage name"
expect_exit 64 -- "$P" --all

# beside platci first, then PATH; arguments and exit codes pass through
mkdir -p "$T_TMP/own" "$T_TMP/path"
cp "$P" "$T_TMP/own/platci"
printf '#!/bin/sh\necho "beside: $#: $1|$2"\nexit 3\n' > "$T_TMP/own/platci-probe"
printf '#!/bin/sh\necho "path: $*"\n' > "$T_TMP/path/platci-probe"
printf '#!/bin/sh\necho "plugin: $*"\n' > "$T_TMP/path/platci-extra"
chmod +x "$T_TMP/own/platci-probe" "$T_TMP/path/platci-probe" "$T_TMP/path/platci-extra"
PATH="$T_TMP/path:$PATH" expect_exit 3 -- "$T_TMP/own/platci" probe "a b" c
assert_contains "$T_TMP/out" "beside: 2: a b|c"
rm "$T_TMP/own/platci-probe"
PATH="$T_TMP/path:$PATH" expect_exit 0 -- "$T_TMP/own/platci" probe x && assert_contains "$T_TMP/out" "path: x"
PATH="$T_TMP/path:$PATH" expect_exit 0 -- "$T_TMP/own/platci" --help
grep -qE "^  extra +\(.*/path/platci-extra\)" "$T_TMP/out" || fail "--help does not list the plugin on PATH"
# a symbolic link to platci still finds the stages beside the real executable
ln -s "$P" "$T_TMP/path/platci"
PATH="$T_TMP/path:/usr/bin:/bin" expect_exit 0 -- platci validate --version
finish
