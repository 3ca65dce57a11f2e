#!/usr/bin/env bash
# Every public header compiles on its own as C++ too (extern "C" guards,
# no C-only constructs in declarations), so C++ programs can use libplatci.
. "$(dirname "$0")/../lib/common.sh"
need_cmd g++
inc="$PLATCI_SOURCE_DIR/libplatci/include"
for h in "$inc"/platci.h "$inc"/platci/*.h; do
  rel=${h#"$inc"/}
  printf '#include <%s>\nint main() { return 0; }\n' "$rel" > "$T_TMP/t.cpp"
  if ! g++ -std=c++11 -fsyntax-only -Wall -Wextra -pedantic -Werror $(pkg-config --cflags jansson 2>/dev/null) \
      -I "$inc" "$T_TMP/t.cpp" 2> "$T_TMP/err"; then
    fail "$rel does not compile as C++"; head -5 "$T_TMP/err"
  fi
done
finish
