#!/usr/bin/env bash
# Every benchmark in one run: the pool, the kernel, notebook code on workers, shipping cost, live displays, IPC.
set -uo pipefail
cd "$(dirname "$0")"
status=0
for b in pool-bench.sh kernel-bench.sh cell-bench.sh ship-bench.sh display-bench.sh ipc-bench.sh; do
  echo "=== bench/$b"
  ./"$b" || { echo "bench/$b failed"; status=1; }
  echo
done
exit $status
