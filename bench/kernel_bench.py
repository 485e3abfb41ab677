#!/usr/bin/python3
"""Kernel bench: jpool beside ipykernel, measured in the same run.

For each kernel: time from launch to the first kernel_info_reply, and the median execute round trip
(execute_request sent -> execute_reply and idle status received) of `1 + 1` over N requests after a
warm-up. Also a "fresh" cell whose text changes every time (`1 + i`), which jpool must compile with
JShell's javac each time, shown for transparency.

Usage: kernel_bench.py [--n 200] [--kernels jpool python3] [--json out.json]
"""
import argparse
import json
import statistics
import sys
import time

from jupyter_client.manager import KernelManager


def round_trip(kc, code):
    t0 = time.perf_counter()
    msg_id = kc.execute(code, store_history=True)
    while True:
        r = kc.get_shell_msg(timeout=60)
        if r["parent_header"].get("msg_id") == msg_id:
            if r["content"]["status"] != "ok":
                raise RuntimeError("%s failed: %s" % (code, r["content"]))
            break
    while True:
        m = kc.get_iopub_msg(timeout=60)
        if (m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status"
                and m["content"]["execution_state"] == "idle"):
            break
    return (time.perf_counter() - t0) * 1000.0


def bench(kernel_name, n):
    km = KernelManager(kernel_name=kernel_name)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.kernel_info()
        reply = kc.get_shell_msg(timeout=120)
        start_ms = (time.perf_counter() - t0) * 1000.0
        assert reply["msg_type"] == "kernel_info_reply", reply["msg_type"]
        kc.wait_for_ready(timeout=120)
        first_ms = round_trip(kc, "1 + 1")  # jpool: waits for JShell to be ready and compiles once
        for _ in range(30):
            round_trip(kc, "1 + 1")
        same = [round_trip(kc, "1 + 1") for _ in range(n)]
        fresh = [round_trip(kc, "1 + %d" % i) for i in range(max(20, n // 10))]
        return {
            "kernel": kernel_name,
            "start_to_kernel_info_ms": start_ms,
            "first_execute_ms": first_ms,
            "rt_median_ms": statistics.median(same),
            "rt_p90_ms": sorted(same)[int(len(same) * 0.9)],
            "fresh_rt_median_ms": statistics.median(fresh),
            "n": n,
        }
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--kernels", nargs="+", default=["jpool", "python3"])
    ap.add_argument("--json")
    args = ap.parse_args()
    results = {}
    for k in args.kernels:
        print("benchmarking %s ..." % k, file=sys.stderr, flush=True)
        results[k] = bench(k, args.n)
    rows = [
        ("start -> first kernel_info_reply (ms)", "start_to_kernel_info_ms"),
        ("first execute of 1 + 1 (ms)", "first_execute_ms"),
        ("execute round trip 1 + 1, median of %d (ms)" % args.n, "rt_median_ms"),
        ("execute round trip 1 + 1, p90 (ms)", "rt_p90_ms"),
        ("fresh cell 1 + i, median (ms)", "fresh_rt_median_ms"),
    ]
    names = args.kernels
    header = "%-46s" % "metric" + "".join("%14s" % k for k in names)
    if len(names) == 2:
        header += "%10s" % "ratio"
    print(header)
    for label, key in rows:
        line = "%-46s" % label + "".join("%14.2f" % results[k][key] for k in names)
        if len(names) == 2:
            line += "%9.2fx" % (results[names[0]][key] / results[names[1]][key])
        print(line)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
