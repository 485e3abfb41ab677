#!/usr/bin/env bash
# Shipping cost for a notebook of about 100 cells: analysis time and bytes per task.
# Usage: bench/ship-bench.sh   (JAVA_HOME selects the JDK)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt -Dmdep.includeScope=runtime
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$JAVA" -cp "target/classes:target/test-classes:$(cat target/bench-cp.txt)" bench/ShipBench.java
