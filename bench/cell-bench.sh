#!/usr/bin/env bash
# Notebook code on workers: round trip of a cell-defined no-op lambda vs a compiled one, through the
# kernel and a pool of 2 worker JVMs. Installs the kernelspec into a private JUPYTER_PATH under bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
ls target/jpool-*-all.jar >/dev/null 2>&1 || mvn -B -q package -DskipTests
mkdir -p bench/results
prefix="$PWD/bench/results/jupyter"
./install.sh --no-build --prefix "$prefix" >/dev/null 2>&1
export JUPYTER_PATH="$prefix/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); java: $(java -version 2>&1 | head -1)"
exec /usr/bin/python3 bench/cell_roundtrip.py --json bench/results/cell-bench.json "$@"
