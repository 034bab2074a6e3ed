#!/usr/bin/env bash
# The whole test suite: unit and in-process integration tests (mvn verify: surefire + failsafe),
# then the multi-process script tests (scripts/run-tests.sh). Works from any directory.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"
mvn -B -ntp verify
exec "$ROOT/scripts/run-tests.sh"
