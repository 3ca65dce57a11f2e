#!/usr/bin/env bash
# No unprefixed globals: every external symbol either library defines
# (libplatci.a: every global of every object; libplatci.so: the exported
# table) starts with platci_. The shared library must also keep internal
# platci_<module>__<verb> functions hidden and export the public API.
. "$(dirname "$0")/../lib/common.sh"
need_cmd nm
a="$PLATCI_BUILD_DIR/libplatci/libplatci.a"
so="$PLATCI_BUILD_DIR/libplatci/libplatci.so"
[ -f "$a" ] && [ -f "$so" ] || { fail "libplatci.a or libplatci.so not built under $PLATCI_BUILD_DIR"; finish; }

# Names allowed without the prefix, each with its reason. Keep this short:
# every line here is a name a consumer's own code could collide with.
allowed() {
  case "$1" in
    # (none: every global of the library carries the prefix)
    "") return 0 ;;
  esac
  return 1
}

# Sanitizer and coverage builds add the compiler's own globals (__asan_*,
# __ubsan_*, __gcov_*); names starting with "__" are the implementation's.
list() { awk 'NF >= 3 && $(NF-1) ~ /^[A-TV-Z]$/ { print $NF }' | grep -v '^__' | sort -u; }
nm -g --defined-only "$a" 2>/dev/null | list >"$T_TMP/static"
nm -D --defined-only "$so" | list >"$T_TMP/shared"
[ -s "$T_TMP/static" ] || fail "nm listed no globals in libplatci.a"
for lib in static shared; do
  while read -r name; do
    case "$name" in platci_*) continue ;; esac
    allowed "$name" && continue
    fail "libplatci ($lib) defines a global without the platci_ prefix: $name"
  done <"$T_TMP/$lib"
done
grep -qx 'platci_doc_load_file' "$T_TMP/shared" || fail "public API not exported from libplatci.so"
# Internal platci_<module>__* functions stay hidden. The one exception is
# platci_buf__empty: PLATCI_BUF_INIT (a public macro) expands to it, so
# consumers' code refers to it.
internal=$(grep '^platci_.*__' "$T_TMP/shared" | grep -vx 'platci_buf__empty')
[ -z "$internal" ] || fail "internal platci_<module>__* symbols are exported: $(echo $internal)"
# The allowlist only shrinks: a name no longer defined must leave it.
for name in $(sed -n 's/^ *\([a-z_|]*\)) return 0 ;;$/\1/p' "$0" | tr '|' ' '); do
  grep -qx "$name" "$T_TMP/static" || fail "allowlisted $name is no longer defined: remove it from $0"
done
finish
