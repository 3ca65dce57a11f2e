# PLATCI_SANITIZE=address,undefined adds the sanitizers to every target.
if(PLATCI_SANITIZE)
  add_compile_options(-fsanitize=${PLATCI_SANITIZE} -fno-sanitize-recover=all
                      -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=${PLATCI_SANITIZE})
endif()
