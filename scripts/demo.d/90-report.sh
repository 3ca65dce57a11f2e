#!/usr/bin/env bash
# The platform page: every report the stages above left in platci-reports/ and the
# version sets of this repository's environments, as one self-contained page
# (platci-reports/report/index.html) and platform.json beside it. Missing reports
# (a stage that did not run here) are named on the page; exit 65 (an unreadable
# report) fails the demo.
out=platci-reports/report
echo "== platci-report --out $out platci-reports"
platci-report --out "$out" platci-reports
rc=$?
[ $rc -eq 0 ] || { echo "   platci-report failed with exit $rc" >&2; exit $rc; }
echo "   page: $out/index.html ($(($(wc -c < "$out/index.html") / 1024)) kB); data: $out/platform.json"
echo "   open it: file://$PWD/$out/index.html"
exit 0
