#!/usr/bin/python3
"""What a live display costs: a 10,000-task map shown with its live display against the same map not shown,
through the jpool kernel with a real pool of 2 worker JVMs, in the same run.

Each round runs the map both ways, in alternating order, timed inside the cell (submit to get() returned); the
figures are the medians over the rounds. For the displayed map the client also counts the display's messages
(update_display_data by its display id) and their rate by the kernel's clock, from the display_data to the
final update. Targets: at most 5% slower; at most 10 display messages a second, whatever the task rate (the
tasks are no-ops in units of one, the highest task rate there is).

Usage: display_bench.py [--tasks 10000] [--rounds 5] [--json out.json]
"""
import argparse
import json
import statistics
import sys

from jupyter_client.manager import KernelManager

SETUP = [
    "import jpool.*;",
    "Display.progressAfter(java.time.Duration.ZERO);",  # the undisplayed map must show nothing
    "Pool pool = Pool.create(2);",
    "Fn<Integer, Integer> noop = x -> x;",
]


def run(kc, code):
    """Runs a cell; returns (its value as text, every iopub message of any parent until it is idle)."""
    msg_id = kc.execute(code)
    value = None
    msgs = []
    while True:
        m = kc.get_iopub_msg(timeout=300)
        msgs.append(m)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "execute_result":
            value = m["content"]["data"]["text/plain"]
        elif m["msg_type"] == "error":
            raise RuntimeError(code + ": " + m["content"]["evalue"])
        elif m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return value, msgs


def display_id(content):
    return content.get("transient", {}).get("display_id")


def final(content):
    return content["data"]["application/json"]["state"] in ("done", "failed", "cancelled")


def displayed_round(kc, n):
    value, msgs = run(kc, "long t0 = System.nanoTime();\nvar shown = pool.mapAsync(noop, xs, 1);\n"
                          "display(shown);\nshown.get();\n(System.nanoTime() - t0) / 1e6")
    shown = [m for m in msgs if m["msg_type"] == "display_data"]
    if len(shown) != 1:
        raise RuntimeError("expected one display, got %d" % len(shown))
    did = display_id(shown[0]["content"])
    updates = [m for m in msgs if m["msg_type"] == "update_display_data" and display_id(m["content"]) == did]
    while not updates or not final(updates[-1]["content"]):  # the final update may follow the cell's idle
        m = kc.get_iopub_msg(timeout=60)
        if m["msg_type"] == "update_display_data" and display_id(m["content"]) == did:
            updates.append(m)
    if updates[-1]["content"]["data"]["application/json"]["done"] != n:
        raise RuntimeError("the final update does not show %d done" % n)
    seconds = (updates[-1]["header"]["date"] - shown[0]["header"]["date"]).total_seconds()
    return float(value), len(updates), seconds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--json")
    args = ap.parse_args()
    km = KernelManager(kernel_name="jpool")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    plain, shown, counts, spans = [], [], [], []
    try:
        kc.wait_for_ready(timeout=60)
        for cell in SETUP + ["List<Integer> xs = java.util.stream.IntStream.range(0, %d).boxed().toList();"
                             % args.tasks]:
            run(kc, cell)
        for _ in range(2):  # warm-up: JIT, the workers' code caches
            run(kc, "pool.map(noop, xs, 1).size()")
            displayed_round(kc, args.tasks)
        for r in range(args.rounds):
            order = ("plain", "shown") if r % 2 == 0 else ("shown", "plain")
            for kind in order:
                if kind == "plain":
                    value, _ = run(kc, "long t0 = System.nanoTime();\npool.map(noop, xs, 1);\n"
                                       "(System.nanoTime() - t0) / 1e6")
                    plain.append(float(value))
                else:
                    ms, n_updates, seconds = displayed_round(kc, args.tasks)
                    shown.append(ms)
                    counts.append(n_updates)
                    spans.append(seconds)
        run(kc, "pool.close();")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)

    plain_ms = statistics.median(plain)
    shown_ms = statistics.median(shown)
    rates = [c / s for c, s in zip(counts, spans) if s > 0]
    rate = max(rates) if rates else 0.0
    ratio = shown_ms / plain_ms
    print("%-52s %10s %8s" % ("%d-task map (no-op tasks, units of 1), 2 workers" % args.tasks, "ms", "ratio"))
    print("%-52s %10.1f %8s" % ("not displayed (pool.map)", plain_ms, "1.00x"))
    print("%-52s %10.1f %7.2fx" % ("with its live display (mapAsync + display + get)", shown_ms, ratio))
    print("%-52s %10.1f %8s" % ("display messages per second (highest of %d rounds)" % len(rates), rate, ""))
    print("targets: at most 1.05x; at most 10 display messages a second")
    print("medians of %d rounds; all plain: %s; all displayed: %s; updates per round: %s" % (
        args.rounds, " ".join("%.0f" % x for x in plain), " ".join("%.0f" % x for x in shown),
        " ".join(str(c) for c in counts)))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"tasks": args.tasks, "rounds": args.rounds, "plain_ms": plain, "displayed_ms": shown,
                       "updates": counts, "update_seconds": spans, "ratio": ratio,
                       "messages_per_second": rate}, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
