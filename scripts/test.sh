#!/usr/bin/env bash
# Runs every test of the solution on a bare machine: restores, builds, runs, and prints one summary line.
# Database servers the integration tests need are installed and started by the project's own scripts
# (scripts/services.sh), never by hand.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -x scripts/services.sh ]; then
  scripts/services.sh install
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test Transmog.sln -c Release --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One plain closing line over all test assemblies: "N passed, N failed, N skipped".
awk '
  /(Passed|Failed)! +- +Failed: / {
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:")  { f += $(i+1) }
      if ($i == "Passed:")  { p += $(i+1) }
      if ($i == "Skipped:") { s += $(i+1) }
    }
    seen = 1
  }
  END { if (seen) printf "%d passed, %d failed, %d skipped\n", p, f, s; else print "0 passed, 0 failed" }
' FS='[ ,]+' "$log"
exit "$status"
