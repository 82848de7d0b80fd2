#!/usr/bin/env bash
# Adds every public symbol the PublicApiAnalyzers report as undeclared (RS0016) to PublicAPI.Unshipped.txt.
# Run after a deliberate change of the public surface, then review the diff: it is the API change.
set -euo pipefail
cd "$(dirname "$0")/.."
project=src/Transmog.Data/Transmog.Data.csproj
file=src/Transmog.Data/PublicAPI.Unshipped.txt
log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet build "$project" -c Release --nologo -v q -p:TreatWarningsAsErrors=false > "$log" 2>&1 || true
{
  grep -v '^#nullable' "$file" || true
  grep -o "RS0016: Symbol '.*' is not part of the declared public API" "$log" \
    | sed -e "s/^RS0016: Symbol '//" -e "s/' is not part of the declared public API$//" || true
} | sort -u > "$file.new"
{ echo '#nullable enable'; cat "$file.new"; } > "$file"
rm -f "$file.new"
echo "$(grep -vc '^#nullable' "$file") symbols in $file"
