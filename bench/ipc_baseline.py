"""multiprocessing IPC baseline for bench/ipc-bench.sh: prints one JSON object of metrics."""
import json
import multiprocessing as mp
import sys
import time

RTT_N = 5000
ONE_WAY_N = 200000


def pipe_echo(conn):
    while True:
        m = conn.recv()
        if m == "stop":
            return
        conn.send(m)


def queue_echo(to, back):
    while True:
        m = to.get()
        if m < 0:
            return
        back.put(m)


def producer(q, n):
    for i in range(n):
        q.put(i)
    q.put(-1)


VALUE_N = 200000


def add_locked(v, n):
    for _ in range(n):
        with v.get_lock():
            v.value += 1


MANAGER_N = 1000


def add_managed(d, lock, n):
    for _ in range(n):
        with lock:
            d["n"] += 1


def main():
    method = sys.argv[1] if len(sys.argv) > 1 else "fork"
    ctx = mp.get_context(method)
    out = {"start_method": method}

    def pipe_rtt():
        a, b = ctx.Pipe()
        p = ctx.Process(target=pipe_echo, args=(b,))
        p.start()
        for i in range(500):
            a.send(i)
            a.recv()
        t = time.perf_counter()
        for i in range(RTT_N):
            a.send(i)
            a.recv()
        r = (time.perf_counter() - t) / RTT_N * 1e6
        a.send("stop")
        p.join()
        return r

    def queue_rtt():
        to, back = ctx.Queue(), ctx.Queue()
        p = ctx.Process(target=queue_echo, args=(to, back))
        p.start()
        for i in range(500):
            to.put(i)
            back.get()
        t = time.perf_counter()
        for i in range(RTT_N):
            to.put(i)
            back.get()
        r = (time.perf_counter() - t) / RTT_N * 1e6
        to.put(-1)
        p.join()
        return r

    def one_way():
        q = ctx.Queue()
        p = ctx.Process(target=producer, args=(q, ONE_WAY_N))
        p.start()
        q.get()
        t = time.perf_counter()
        n = 1
        while q.get() >= 0:
            n += 1
        r = n / (time.perf_counter() - t)
        p.join()
        return r

    def value_locked():
        # two processes each add VALUE_N to one Value('i') under its lock; increments per second overall
        v = ctx.Value("i", 0)
        ps = [ctx.Process(target=add_locked, args=(v, VALUE_N)) for _ in range(2)]
        t = time.perf_counter()
        for p in ps:
            p.start()
        for p in ps:
            p.join()
        r = 2 * VALUE_N / (time.perf_counter() - t)
        assert v.value == 2 * VALUE_N
        return r

    def manager_dict_locked():
        # two processes each add MANAGER_N to d["n"] of a Manager dict under a Manager Lock
        with ctx.Manager() as m:
            d = m.dict(n=0)
            lock = m.Lock()
            ps = [ctx.Process(target=add_managed, args=(d, lock, MANAGER_N)) for _ in range(2)]
            t = time.perf_counter()
            for p in ps:
                p.start()
            for p in ps:
                p.join()
            r = 2 * MANAGER_N / (time.perf_counter() - t)
            assert d["n"] == 2 * MANAGER_N
            return r

    out["pipe_rtt_us"] = min(pipe_rtt() for _ in range(3))
    out["queue_rtt_us"] = min(queue_rtt() for _ in range(3))
    out["queue_one_way_per_s"] = max(one_way() for _ in range(3))
    out["value_locked_per_s"] = max(value_locked() for _ in range(3))
    out["manager_dict_locked_per_s"] = max(manager_dict_locked() for _ in range(3))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
