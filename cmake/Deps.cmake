# Dependencies, each exposed as an imported target. All come from Debian's
# packages (scripts/install-deps installs them).
find_package(PkgConfig REQUIRED)
pkg_check_modules(PLATCI_YAML REQUIRED IMPORTED_TARGET yaml-0.1)
pkg_check_modules(PLATCI_JANSSON REQUIRED IMPORTED_TARGET jansson)
pkg_check_modules(PLATCI_YAJL REQUIRED IMPORTED_TARGET yajl)
pkg_check_modules(PLATCI_LIBGIT2 REQUIRED IMPORTED_TARGET libgit2)
pkg_check_modules(PLATCI_CRYPTO REQUIRED IMPORTED_TARGET libcrypto)
find_package(CURL REQUIRED)
find_package(LibArchive REQUIRED)
find_package(Threads REQUIRED)

# libcurl and libarchive are loaded when first used (libplatci/src/util/lazy.c):
# their headers at build time, no link. yajl reads JSON documents into the
# document model (doc_json.c: schemas) and is the benchmarks' floor (bench/);
# plans and Trivy reports go through platci's own tokenizer (json_lex.c).
set(PLATCI_DEPS PkgConfig::PLATCI_YAML PkgConfig::PLATCI_JANSSON PkgConfig::PLATCI_YAJL
  PkgConfig::PLATCI_LIBGIT2 PkgConfig::PLATCI_CRYPTO Threads::Threads ${CMAKE_DL_LIBS})
set(PLATCI_LAZY_INCLUDE_DIRS ${CURL_INCLUDE_DIRS} ${LibArchive_INCLUDE_DIRS})
