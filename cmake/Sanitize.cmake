# PLATCI_SANITIZE=address,undefined adds the sanitizers to every target.
if(PLATCI_SANITIZE)
  add_compile_options(-fsanitize=${PLATCI_SANITIZE} -fno-sanitize-recover=all
                      -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=${PLATCI_SANITIZE})
endif()

# PLATCI_BUILD_FUZZERS=ON instruments every target for coverage-guided
# fuzzing (clang only): the library itself, not only the harness, so that
# libFuzzer sees the parser's edges. Harnesses add -fsanitize=fuzzer
# (fuzz/CMakeLists.txt) to link libFuzzer's main.
if(PLATCI_BUILD_FUZZERS)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "PLATCI_BUILD_FUZZERS needs clang (CC=clang)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined
                      -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=address,undefined)
endif()
