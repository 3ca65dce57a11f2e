# platci_warnings: the warning set every target of ours compiles with.
include(CheckCCompilerFlag)
add_library(platci_warnings INTERFACE)
set(_platci_warning_flags
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
  -Wstrict-prototypes -Wmissing-prototypes -Wmissing-declarations
  -Wold-style-definition -Wcast-align -Wwrite-strings -Wpointer-arith
  -Wundef -Wvla -Wformat=2 -Wformat-security -Wredundant-decls -fno-common)
foreach(flag IN LISTS _platci_warning_flags)
  string(MAKE_C_IDENTIFIER "PLATCI_HAS${flag}" _var)
  check_c_compiler_flag(${flag} ${_var})
  if(${_var})
    target_compile_options(platci_warnings INTERFACE ${flag})
  endif()
endforeach()
if(PLATCI_WERROR)
  target_compile_options(platci_warnings INTERFACE -Werror)
endif()
