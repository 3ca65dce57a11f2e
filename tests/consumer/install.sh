#!/usr/bin/env bash
# The installed library is usable the two ways consumers expect. A program
# that uses json_t from the public headers (and so calls jansson itself)
# compiles and links with nothing but `pkg-config --cflags --libs platci`
# against a temporary prefix, and with CMake's find_package(platci).
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
src="$PLATCI_SOURCE_DIR/tests/consumer/consumer.c"

# Only the temporary prefix's platci.pc; jansson's own .pc comes from the system.
export PKG_CONFIG_PATH="$libdir/pkgconfig"
pkg-config --print-requires platci | grep -qx 'jansson' ||
  fail "platci.pc does not list jansson under Requires (json_t is in the public headers)"
flags=$(pkg-config --cflags --libs platci) || fail "pkg-config does not know platci"
# shellcheck disable=SC2086 # the flags are words
if cc -std=c11 -Wall -Werror "$src" $flags -o "$T_TMP/consumer" 2>"$T_TMP/cc.log"; then
  LD_LIBRARY_PATH="$libdir" "$T_TMP/consumer" | grep -q '^platci ' || fail "pkg-config consumer did not run"
else
  sed 's/^/  | /' "$T_TMP/cc.log" | head -20; fail "pkg-config consumer did not compile and link"
fi

mkdir -p "$T_TMP/cm"
cat > "$T_TMP/cm/CMakeLists.txt" <<CM
cmake_minimum_required(VERSION 3.25)
project(consumer C)
find_package(platci 0.1 REQUIRED)
add_executable(consumer $src)
target_link_libraries(consumer PRIVATE platci::platci)
CM
if cmake -S "$T_TMP/cm" -B "$T_TMP/cm/b" -DCMAKE_PREFIX_PATH="$prefix" >"$T_TMP/cm.log" 2>&1 &&
   cmake --build "$T_TMP/cm/b" >>"$T_TMP/cm.log" 2>&1; then
  LD_LIBRARY_PATH="$libdir" "$T_TMP/cm/b/consumer" | grep -q '^platci ' || fail "CMake consumer did not run"
else
  tail -20 "$T_TMP/cm.log"; fail "find_package(platci) consumer did not build"
fi
finish
