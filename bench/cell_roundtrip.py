#!/usr/bin/python3
"""Round trip of a no-op task written in a notebook cell versus one from a compiled class, through the
jpool kernel with a real pool of 2 worker JVMs. Prints microseconds per pool.apply and the ratio.

The cell lambda pays for capture analysis and a shipment on every submission (its classes go to each
worker once); the compiled lambda (jpool.Fn.identity()) is on the workers' class path already.
"""
import json
import sys

from jupyter_client.manager import KernelManager

CELLS = [
    "import jpool.*;",
    "Pool pool = Pool.create(2);",
    "int offset = 0;",
    "Fn<Integer, Integer> compiled = Fn.identity();",
    "Fn<Integer, Integer> cellNoop = x -> x;",
    "Fn<Integer, Integer> cellReadsVariable = x -> x + offset;",
    """double batch(Fn<Integer, Integer> f, int n) throws Exception {
           long t0 = System.nanoTime();
           for (int i = 0; i < n; i++) pool.apply(f, i);
           return (System.nanoTime() - t0) / 1000.0 / n;
       }""",
    # The three are measured in alternating batches after a long warm-up, so JIT warm-up and
    # machine noise fall on all of them alike; each figure is the median of its batches.
    """String microsPerApply(int rounds, int n) throws Exception {
           List<Fn<Integer, Integer>> fs = List.of(compiled, cellNoop, cellReadsVariable);
           for (int w = 0; w < 10; w++) for (var f : fs) batch(f, n);
           double[][] t = new double[fs.size()][rounds];
           for (int r = 0; r < rounds; r++) for (int k = 0; k < fs.size(); k++) t[k][r] = batch(fs.get(k), n);
           StringBuilder out = new StringBuilder();
           for (double[] row : t) { Arrays.sort(row); out.append(row[rounds / 2]).append(' '); }
           return out.toString().trim();
       }""",
]


def run(kc, code):
    msg_id = kc.execute(code)
    value = None
    while True:
        m = kc.get_iopub_msg(timeout=300)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "execute_result":
            value = m["content"]["data"]["text/plain"]
        elif m["msg_type"] == "error":
            raise RuntimeError(code + ": " + m["content"]["evalue"])
        elif m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return value


def main():
    km = KernelManager(kernel_name="jpool")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        for cell in CELLS:
            run(kc, cell)
        medians = run(kc, "microsPerApply(9, 300)").strip('"').split()
        results = dict(zip(("compiled", "cellNoop", "cellReadsVariable"), map(float, medians)))
        run(kc, "pool.close();")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    base = results["compiled"]
    print("%-48s %12s %8s" % ("pool.apply round trip from a notebook cell", "us/task", "ratio"))
    print("%-48s %12.1f %8s" % ("lambda from a compiled class (Fn.identity())", base, "1.00x"))
    print("%-48s %12.1f %7.2fx" % ("no-op lambda written in a cell", results["cellNoop"], results["cellNoop"] / base))
    print("%-48s %12.1f %7.2fx" % ("cell lambda reading a cell variable", results["cellReadsVariable"],
                                    results["cellReadsVariable"] / base))
    print("target: cell lambda within 2x of the compiled one")
    if len(sys.argv) > 2 and sys.argv[1] == "--json":
        with open(sys.argv[2], "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
