#!/usr/bin/env bash
# A tradesim sweep as a Slurm job array: each array task computes one shard of the runs into
# DIR/parts (tradesim sweep --shard I/N), and a job that depends on the whole array merges them
# (tradesim reduce DIR). DIR must be on a file system every node sees. A task that is killed or
# requeued resumes: runs whose parts are complete are skipped.
#
#   scripts/slurm-sweep.sh submit SHARDS SCENARIO.yaml DIR [sweep options...]
#       submits the array (SHARDS tasks) and the dependent reduce job, e.g.
#       scripts/slurm-sweep.sh submit 16 scenarios/chips/baseline.yaml /scratch/$USER/enforcement \
#           --param routes.MYS.detection=0:0.5 --param routes.SGP.detection=0:0.5 --design morris:20 --runs 50
#
# Inside the jobs the script is called by Slurm as
#   slurm-sweep.sh SCENARIO.yaml DIR [sweep options...]   (an array task: shard = task id − min id)
#   slurm-sweep.sh --reduce DIR                            (the reduce job)
# Set TRADESIM to the binary (default: tradesim on PATH, else build/release/sim/cli/tradesim).
# Edit the #SBATCH lines (or pass sbatch options through SBATCH_* environment variables).
#
#SBATCH --job-name=tradesim-sweep
#SBATCH --cpus-per-task=4
#SBATCH --mem-per-cpu=1G
#SBATCH --time=04:00:00
#SBATCH --requeue
#SBATCH --output=tradesim-sweep-%A_%a.out
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ -z "${TRADESIM:-}" ]; then
  if command -v tradesim >/dev/null; then TRADESIM=tradesim; else TRADESIM="$here/../build/release/sim/cli/tradesim"; fi
fi

case "${1:-}" in
  submit)
    [ $# -ge 4 ] || { echo "usage: $0 submit SHARDS SCENARIO.yaml DIR [sweep options...]" >&2; exit 2; }
    shards=$2; shift 2
    [ "$shards" -ge 1 ] 2>/dev/null || { echo "$0: SHARDS must be a positive number" >&2; exit 2; }
    # sbatch copies the script; give the jobs the absolute path of the binary.
    export TRADESIM="$(command -v "$TRADESIM" || echo "$TRADESIM")"
    array=$(sbatch --parsable --export=ALL --array="0-$((shards - 1))" "$0" "$@")
    array=${array%%;*}
    reduce=$(sbatch --parsable --export=ALL --job-name=tradesim-reduce --cpus-per-task=1 \
                    --dependency="afterok:$array" "$0" --reduce "$2")
    echo "submitted array job $array ($shards shards) and reduce job ${reduce%%;*}; results in $2"
    ;;
  --reduce)
    [ $# -eq 2 ] || { echo "usage: $0 --reduce DIR" >&2; exit 2; }
    exec "$TRADESIM" reduce "$2"
    ;;
  ""|-h|--help)
    sed -n '2,20p' "$0"; exit 0
    ;;
  *)
    [ $# -ge 2 ] || { echo "usage: $0 SCENARIO.yaml DIR [sweep options...] (inside a Slurm array job)" >&2; exit 2; }
    scenario=$1; dir=$2; shift 2
    id=${SLURM_ARRAY_TASK_ID:?not in a Slurm array task (use: $0 submit ...)}
    min=${SLURM_ARRAY_TASK_MIN:-0}
    max=${SLURM_ARRAY_TASK_MAX:?SLURM_ARRAY_TASK_MAX is not set}
    shard=$((id - min)); count=$((max - min + 1))
    exec "$TRADESIM" sweep "$scenario" "$@" --shard "$shard/$count" --threads "${SLURM_CPUS_PER_TASK:-1}" \
         -o "$dir" --quiet
    ;;
esac
