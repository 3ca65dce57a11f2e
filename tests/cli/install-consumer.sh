#!/usr/bin/env bash
# The installed library is usable the two ways consumers expect: pkg-config
# and CMake's find_package(platci). The shared library exports platci_*
# symbols only.
. "$(dirname "$0")/../lib/common.sh"
need_cmd cc
[ -z "${PLATCI_SANITIZE:-}" ] || skip "a sanitizer build cannot be linked by a plain consumer"
need_cmd pkg-config
prefix="$T_TMP/prefix"
cmake --install "$PLATCI_BUILD_DIR" --prefix "$prefix" >"$T_TMP/install.log" 2>&1 || {
  cat "$T_TMP/install.log"; fail "cmake --install failed"; finish; }
libdir=$(dirname "$(find "$prefix" -name 'libplatci.so' | head -1)")
[ -n "$libdir" ] || { fail "libplatci.so not installed"; finish; }
[ -f "$prefix/include/platci.h" ] || fail "platci.h not installed"
[ -x "$prefix/bin/platci-validate" ] || fail "platci-validate not installed"

cat > "$T_TMP/consumer.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <platci.h>
int main(void)
{
	platci_buf b = PLATCI_BUF_INIT;
	platci_buf_printf(&b, "platci %s", platci_version());
	puts(b.ptr);
	platci_buf_dispose(&b);
	return strcmp(platci_version(), PLATCI_VERSION) != 0;
}
C
export PKG_CONFIG_PATH="$libdir/pkgconfig"
flags=$(pkg-config --cflags --libs platci) || fail "pkg-config does not know platci"
cc -std=c11 -Wall -Werror "$T_TMP/consumer.c" $flags -Wl,-rpath,"$libdir" -o "$T_TMP/consumer" &&
  "$T_TMP/consumer" | grep -q '^platci ' || fail "pkg-config consumer did not build or run"

mkdir -p "$T_TMP/cm"
cat > "$T_TMP/cm/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.25)
project(consumer C)
find_package(platci 0.1 REQUIRED)
add_executable(consumer ../consumer.c)
target_link_libraries(consumer PRIVATE platci::platci)
CM
if cmake -S "$T_TMP/cm" -B "$T_TMP/cm/b" -DCMAKE_PREFIX_PATH="$prefix" >"$T_TMP/cm.log" 2>&1 &&
   cmake --build "$T_TMP/cm/b" >>"$T_TMP/cm.log" 2>&1; then
  LD_LIBRARY_PATH="$libdir" "$T_TMP/cm/b/consumer" | grep -q '^platci ' || fail "CMake consumer did not run"
else
  cat "$T_TMP/cm.log" | tail -20; fail "find_package(platci) consumer did not build"
fi

need_cmd nm
bad=$(nm -D --defined-only "$libdir/libplatci.so" | awk '$2 ~ /^[TDB]$/ && $3 !~ /^platci_/ {print $3}')
[ -z "$bad" ] || fail "symbols exported without the platci_ prefix: $bad"
nm -D --defined-only "$libdir/libplatci.so" | grep -q ' T platci_doc_load_file$' || fail "public API not exported"
nm -D --defined-only "$libdir/libplatci.so" | grep -q 'platci_arena_alloc' && fail "internal symbols are exported"
finish
