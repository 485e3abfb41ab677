#!/usr/bin/env bash
# IPC benchmark: jpool.ipc (pipe round trip, queue round trip, queue one way) beside Python's
# multiprocessing (fork), measured in the same run. Usage: bench/ipc-bench.sh (builds the jar when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
jar=target/jpool-0.1.0-SNAPSHOT-all.jar
if [ ! -f "$jar" ]; then
  mvn -B -q -DskipTests package
fi
mkdir -p target/bench-classes bench/results
# compiled to a directory: the worker JVM loads the task classes from the class path
javac -d target/bench-classes -cp "$jar" bench/IpcBench.java
baseline=bench/results/multiprocessing-ipc.json
if [ -x /usr/bin/python3 ]; then
  /usr/bin/python3 bench/ipc_baseline.py fork > "$baseline" || echo '{}' > "$baseline"
else
  echo '{}' > "$baseline"
fi
java -cp "$jar:target/bench-classes" IpcBench "$baseline" | tee "bench/results/ipc-$(date +%Y%m%d-%H%M%S).txt"
