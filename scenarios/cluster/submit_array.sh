#!/bin/bash
# Submits an lwsim sweep as a Slurm job array of N shards and a merge job that runs when every
# shard has succeeded:
#
#   scenarios/cluster/submit_array.sh SWEEP.toml OUTDIR N [extra sbatch options...]
#
# The merged file is OUTDIR/sweep.h5. Prints the two job ids.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sweep=${1:?usage: submit_array.sh SWEEP.toml OUTDIR N [sbatch options...]}
outdir=${2:?usage: submit_array.sh SWEEP.toml OUTDIR N [sbatch options...]}
count=${3:?usage: submit_array.sh SWEEP.toml OUTDIR N [sbatch options...]}
shift 3
mkdir -p "$outdir"
array=$(sbatch --parsable --array="0-$((count - 1))" --chdir="$outdir" "$@" "$here/sweep_array.sbatch" \
  "$(realpath "$sweep")" "$(realpath "$outdir")")
array=${array%%;*}
merge=$(sbatch --parsable --dependency="afterok:${array}" --kill-on-invalid-dep=yes --chdir="$outdir" "$@" \
  "$here/merge.sbatch" "$(realpath "$outdir")")
echo "array job ${array}, merge job ${merge%%;*}"
