# Sourced by the kernel benches: builds the jar if needed and installs the kernelspec into a private
# JUPYTER_PATH under bench/results/, so the user's installed kernel is not touched.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ls target/jpool-*-all.jar >/dev/null 2>&1 || mvn -B -q package -DskipTests
mkdir -p bench/results
prefix="$PWD/bench/results/jupyter"
./install.sh --no-build --prefix "$prefix" >/dev/null 2>&1
export JUPYTER_PATH="$prefix/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); java: $(java -version 2>&1 | head -1)"
