#!/usr/bin/env bash
# Prints one closing line for `make test`: the Surefire results of every module, plus the chaos run.
#   usage: deploy/test-summary.sh CHAOS_EXIT_CODE
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
python3 - "${1:-0}" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
tests = failed = skipped = 0
for f in glob.glob("*/target/surefire-reports/TEST-*.xml"):
    s = ET.parse(f).getroot()
    tests += int(s.get("tests", 0))
    failed += int(s.get("failures", 0)) + int(s.get("errors", 0))
    skipped += int(s.get("skipped", 0))
chaos_failed = 0 if sys.argv[1] == "0" else 1
passed = tests - failed - skipped + (1 - chaos_failed)
print(f"tests: {passed} passed, {failed + chaos_failed} failed, {skipped} skipped")
PY
