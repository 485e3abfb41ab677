#!/usr/bin/env bash
# Notebook code on workers: round trip of a cell-defined no-op lambda vs a compiled one, through the
# kernel and a pool of 2 worker JVMs. Results also go to bench/results/cell-bench.json.
set -euo pipefail
source "$(dirname "$0")/kernel-env.sh"
exec /usr/bin/python3 bench/cell_roundtrip.py --json bench/results/cell-bench.json "$@"
