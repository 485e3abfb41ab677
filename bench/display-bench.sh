#!/usr/bin/env bash
# Live display cost: a 10,000-task map shown with its live display vs the same map not shown, through the
# kernel and a pool of 2 worker JVMs, in the same run; prints both times, the ratio and the display's
# messages per second. Results also go to bench/results/display-bench.json.
#   bench/display-bench.sh [--tasks 10000] [--rounds 5]
set -euo pipefail
source "$(dirname "$0")/kernel-env.sh"
exec /usr/bin/python3 bench/display_bench.py --json bench/results/display-bench.json "$@"
