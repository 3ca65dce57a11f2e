#!/usr/bin/env bash
# platci init: what it would write for this repository, looking only at the
# tree; the environments should be the ones platci.yaml names.
echo "== platci init --stdout (this repository)"
mkdir -p platci-reports/init
platci init --stdout > platci-reports/init/platci.yaml || exit $?
got=$(sed -n 's/^  - name: //p' platci-reports/init/platci.yaml | tr '\n' ' ')
want=$(sed -n 's/^  - name: //p' platci.yaml | tr '\n' ' ')
echo "   environments found: ${got}(platci.yaml: ${want})"
echo "   written to platci-reports/init/platci.yaml"
