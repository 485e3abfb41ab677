"""multiprocessing.Pool(2) baseline for bench/pool-bench.sh: prints one JSON object of metrics."""
import json
import multiprocessing as mp
import sys
import time


def noop(x):
    return x


def cpu(n):
    s = 0
    for i in range(n):
        s += i * i % 7
    return s


def big(_):
    return bytes(100 * 1024 * 1024)


def best(f, repeat=3):
    return min(f() for _ in range(repeat))


def main():
    method = sys.argv[1] if len(sys.argv) > 1 else "fork"
    ctx = mp.get_context(method)
    out = {"start_method": method}

    def ready():
        t = time.perf_counter()
        with ctx.Pool(2) as p:
            p.apply(noop, (1,))
            return time.perf_counter() - t
    out["ready_s"] = best(ready)

    with ctx.Pool(2) as p:
        for _ in range(500):
            p.apply(noop, (1,))
        n = 2000

        def rtt():
            t = time.perf_counter()
            for _ in range(n):
                p.apply(noop, (1,))
            return (time.perf_counter() - t) / n
        out["rtt_us"] = best(rtt) * 1e6

        items = list(range(10000))
        out["chunk1_tps"] = 10000 / best(lambda: timed(lambda: p.map(noop, items, 1)))
        out["auto_tps"] = 10000 / best(lambda: timed(lambda: p.map(noop, items)))

        # calibrate a ~0.2 s CPU task
        k = 100000
        while timed(lambda: cpu(k)) < 0.2:
            k *= 2
        k = int(k * 0.2 / timed(lambda: cpu(k)))
        seq = timed(lambda: [cpu(k) for _ in range(20)])
        par = timed(lambda: p.map(cpu, [k] * 20, 1))
        out["cpu_speedup"] = seq / par
        out["big_mbs"] = 100 / best(lambda: timed(lambda: p.apply(big, (0,))))
    print(json.dumps(out))


def timed(f):
    t = time.perf_counter()
    f()
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
