#!/usr/bin/env bash
# Kernel bench: jpool vs ipykernel (Debian's python3-ipykernel), same run, side by side.
#   bench/kernel-bench.sh [--n 200]
# Results also go to bench/results/kernel-bench.json.
set -euo pipefail
source "$(dirname "$0")/kernel-env.sh"
exec /usr/bin/python3 bench/kernel_bench.py --json bench/results/kernel-bench.json "$@"
