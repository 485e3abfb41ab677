#!/usr/bin/env bash
# Pool benchmark: jpool worker JVMs, Pool.threads(2) and Python's multiprocessing.Pool(2), side by side.
# Usage: bench/pool-bench.sh            (builds the shaded jar when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
jar=target/jpool-0.1.0-SNAPSHOT-all.jar
if [ ! -f "$jar" ]; then
  mvn -B -q -DskipTests package
fi
mkdir -p target/bench-classes bench/results
# Compiled to a directory (not run as a single-file program): worker JVMs load the task classes from
# the class path, and a source-launcher program's classes exist only in memory.
javac -d target/bench-classes -cp "$jar" bench/PoolBench.java
baseline=bench/results/multiprocessing.json
if [ -x /usr/bin/python3 ]; then
  /usr/bin/python3 bench/pool_baseline.py fork > "$baseline" || echo '{}' > "$baseline"
else
  echo '{}' > "$baseline"
fi
java -cp "$jar:target/bench-classes" PoolBench "$baseline" | tee "bench/results/pool-$(date +%Y%m%d-%H%M%S).txt"
