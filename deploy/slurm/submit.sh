#!/bin/bash
# Queues the shard array, then the merge to run only if every shard succeeded (afterok).
# Environment passed through: LOOPSIM_SCENARIO, LOOPSIM_RUNS, LOOPSIM_WORK (a folder every node sees).
set -euo pipefail
cd "$(dirname "$0")"
shards=$(sbatch --parsable --export=ALL loopsim-shards.sbatch)
sbatch --dependency="afterok:${shards%%;*}" --export=ALL loopsim-merge.sbatch
