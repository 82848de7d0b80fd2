#!/usr/bin/env bash
# Flattens INPUT... into one dataset with N Slurm array tasks: schema array -> merge -> flatten array.
#   samples/Shards/slurm/submit.sh N OUT INPUT...
# Run it from the directory the inputs are relative to, on a filesystem every node sees (the jobs run there).
# It returns once the three jobs are queued and prints their ids; the result is OUT/tables/<table>/part-0000K.parquet.
# TRANSMOG names the tool when it is not `transmog` on the nodes' PATH. Extra sbatch options (--partition,
# --time, --account, ...) go in SBATCH_OPTIONS, or in the #SBATCH lines of the three scripts.
set -euo pipefail

usage() { echo "usage: $0 N OUT INPUT..." >&2; exit 2; }
[ $# -ge 3 ] || usage
shards=$1 out=$2
shift 2
case $shards in ''|*[!0-9]*) usage ;; esac
[ "$shards" -ge 1 ] || usage

here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out/schema" "$out/logs"
out=$(cd "$out" && pwd)
last=$((shards - 1))
# SHARDS travels with every task: a resubmitted task (--array=K) must still cut the input into N shares.
export SHARDS=$shards OUT=$out
read -ra extra <<< "${SBATCH_OPTIONS:-}"

schema=$(sbatch --parsable --export=ALL "${extra[@]}" --array="0-$last" --output="$out/logs/schema-%a.out" "$here/schema.sbatch" "$@")
schema=${schema%%;*}
merge=$(sbatch --parsable --export=ALL "${extra[@]}" --dependency="afterok:$schema" --output="$out/logs/merge.out" "$here/merge.sbatch")
merge=${merge%%;*}
flatten=$(sbatch --parsable --export=ALL "${extra[@]}" --array="0-$last" --dependency="afterok:$merge" --output="$out/logs/flatten-%a.out" "$here/flatten.sbatch" "$@")
flatten=${flatten%%;*}

echo "To rerun flatten task K alone: SHARDS=$shards OUT=$out sbatch --array=K --output=$out/logs/flatten-%a.out $here/flatten.sbatch $*" >&2
echo "schema=$schema merge=$merge flatten=$flatten"
