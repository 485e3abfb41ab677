#!/usr/bin/env bash
# Kernel bench: jpool vs ipykernel (Debian's python3-ipykernel), same run, side by side.
#   bench/kernel-bench.sh [--n 200]
# Builds the jar if needed and installs the kernelspec into a private JUPYTER_PATH under bench/results/,
# so the installed user kernel is not touched. Results also go to bench/results/kernel-bench.json.
set -euo pipefail
cd "$(dirname "$0")/.."
ls target/jpool-*-all.jar >/dev/null 2>&1 || mvn -B -q package -DskipTests
mkdir -p bench/results
prefix="$PWD/bench/results/jupyter"
./install.sh --no-build --prefix "$prefix" >/dev/null 2>&1
export JUPYTER_PATH="$prefix/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); java: $(java -version 2>&1 | head -1)"
exec /usr/bin/python3 bench/kernel_bench.py --json bench/results/kernel-bench.json "$@"
