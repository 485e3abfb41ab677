import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jpool.AsyncResult;
import jpool.Pool;
import jpool.Task;
import jpool.ipc.Ipc;
import jpool.ipc.IpcManager;
import jpool.ipc.IpcPipe;
import jpool.ipc.IpcQueue;
import jpool.ipc.ManagedDict;
import jpool.ipc.ManagedHold;
import jpool.ipc.ManagedLock;
import jpool.ipc.PipeConnection;
import jpool.ipc.SharedInt;

/**
 * jpool.ipc beside multiprocessing (fork): pipe round trip, queue round trip, queue one way, between
 * this JVM (the owner) and one worker JVM. Usage: IpcBench BASELINE.json (written by ipc_baseline.py).
 */
public class IpcBench {

    static final int RTT_N = 5_000, ONE_WAY_N = 200_000, VALUE_N = 200_000, MANAGER_N = 1_000;

    public static void main(String[] args) throws Exception {
        String baseline = args.length > 0 && Files.exists(Path.of(args[0])) ? Files.readString(Path.of(args[0])) : "{}";
        double locked = 0;
        double atomic = 0;
        double manager = 0;
        try (Pool two = Pool.create(2)) {
            for (int i = 0; i < 3; i++) {
                locked = Math.max(locked, valueLocked(two, true));
                atomic = Math.max(atomic, valueLocked(two, false));
                manager = Math.max(manager, managerDictLocked(two));
            }
        }
        try (Pool pool = Pool.create(1)) {
            double pipe = best(() -> pipeRtt(pool));
            double queue = best(() -> queueRtt(pool));
            double oneWay = 0;
            for (int i = 0; i < 3; i++) {
                oneWay = Math.max(oneWay, queueOneWay(pool));
            }
            System.out.println("jpool.ipc beside multiprocessing (" + field(baseline, "start_method", "fork") + "), one host");
            System.out.printf(Locale.ROOT, "%-28s %14s %16s %8s%n", "metric", "jpool", "multiprocessing", "ratio");
            row("pipe round trip (us)", pipe, num(baseline, "pipe_rtt_us"), true);
            row("queue round trip (us)", queue, num(baseline, "queue_rtt_us"), true);
            row("queue one way (items/s)", oneWay, num(baseline, "queue_one_way_per_s"), false);
            row("shared int += 1, lock (/s)", locked, num(baseline, "value_locked_per_s"), false);
            row("shared int atomic +1 (/s)", atomic, -1, false);
            row("manager dict += 1, lock (/s)", manager, num(baseline, "manager_dict_locked_per_s"), false);
        }
    }

    interface Measure {
        double run() throws Exception;
    }

    static double best(Measure m) throws Exception {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            best = Math.min(best, m.run());
        }
        return best;
    }

    static double pipeRtt(Pool pool) throws Exception {
        IpcPipe p = Ipc.pipe();
        PipeConnection here = p.first();
        PipeConnection there = p.second();
        AsyncResult<Void> echo = pool.applyAsync(() -> {
            for (Object m = there.recv(); !"stop".equals(m); m = there.recv()) {
                there.send(m);
            }
        });
        for (int i = 0; i < 500; i++) { // warm-up
            here.send(i);
            here.recv();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < RTT_N; i++) {
            here.send(i);
            here.recv();
        }
        double us = (System.nanoTime() - t0) / 1e3 / RTT_N;
        here.send("stop");
        echo.get(60, TimeUnit.SECONDS);
        return us;
    }

    static double queueRtt(Pool pool) throws Exception {
        IpcQueue<Integer> to = Ipc.queue();
        IpcQueue<Integer> back = Ipc.queue();
        AsyncResult<Void> echo = pool.applyAsync(() -> {
            for (int m = to.get(); m >= 0; m = to.get()) {
                back.put(m);
            }
        });
        for (int i = 0; i < 500; i++) {
            to.put(i);
            back.get();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < RTT_N; i++) {
            to.put(i);
            back.get();
        }
        double us = (System.nanoTime() - t0) / 1e3 / RTT_N;
        to.put(-1);
        echo.get(60, TimeUnit.SECONDS);
        return us;
    }

    static double queueOneWay(Pool pool) throws Exception {
        IpcQueue<Integer> q = Ipc.queue();
        AsyncResult<Void> producer = pool.applyAsync(() -> {
            for (int i = 0; i < ONE_WAY_N; i++) {
                q.put(i);
            }
            q.put(-1);
        });
        q.get(); // the producer runs: time from its first item to its last
        long t0 = System.nanoTime();
        int n = 1;
        while (q.get() >= 0) {
            n++;
        }
        double perSecond = n / ((System.nanoTime() - t0) / 1e9);
        producer.get(60, TimeUnit.SECONDS);
        return perSecond;
    }

    /**
     * Two worker processes each add VALUE_N to one shared int, under its lock or with its atomic
     * increment; increments per second overall.
     */
    static double valueLocked(Pool two, boolean underLock) throws Exception {
        SharedInt v = Ipc.sharedInt(0);
        SharedInt ready = Ipc.sharedInt(0);
        Task<Void> add = () -> {
            ready.incrementAndGet();
            while (ready.get() < 2) {
                Thread.onSpinWait(); // both start together: the lock is contended from the first increment
            }
            for (int i = 0; i < VALUE_N && !underLock; i++) {
                v.incrementAndGet();
            }
            for (int i = 0; i < VALUE_N && underLock; i++) {
                v.lock().lock();
                try {
                    v.set(v.get() + 1);
                } finally {
                    v.lock().unlock();
                }
            }
            return null;
        };
        long t0 = System.nanoTime();
        var r = two.onEachWorker(add);
        double perSecond = 2.0 * VALUE_N / ((System.nanoTime() - t0) / 1e9);
        if (v.get() != 2 * VALUE_N || r.size() != 2) {
            throw new IllegalStateException("lost increments: " + v.get());
        }
        return perSecond;
    }

    /**
     * Two worker processes each add MANAGER_N to d["n"] of a managed dict under a managed lock (four
     * calls to the owner, this JVM, per increment); increments per second overall.
     */
    static double managerDictLocked(Pool two) throws Exception {
        IpcManager m = Ipc.manager();
        ManagedDict<String, Integer> d = m.dict();
        d.put("n", 0);
        ManagedLock lock = m.lock();
        Task<Void> add = () -> {
            for (int i = 0; i < MANAGER_N; i++) {
                try (ManagedHold h = lock.hold()) {
                    d.put("n", d.get("n") + 1);
                }
            }
            return null;
        };
        long t0 = System.nanoTime();
        two.onEachWorker(add);
        double perSecond = 2.0 * MANAGER_N / ((System.nanoTime() - t0) / 1e9);
        if (d.get("n") != 2 * MANAGER_N) {
            throw new IllegalStateException("lost increments: " + d.get("n"));
        }
        return perSecond;
    }

    static void row(String name, double jpool, double base, boolean lowerIsBetter) {
        String ratio = base > 0 ? String.format(Locale.ROOT, "%.2fx", lowerIsBetter ? base / jpool : jpool / base) : "-";
        System.out.printf(Locale.ROOT, "%-28s %14.1f %16s %8s%n", name, jpool,
                base > 0 ? String.format(Locale.ROOT, "%.1f", base) : "-", ratio);
    }

    static double num(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*([0-9.eE+-]+)").matcher(json);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    static String field(String json, String key, String dflt) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : dflt;
    }
}
