import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import jpool.Pool;

/**
 * The pool benchmark: the same measurements on jpool worker JVMs (2), on Pool.threads(2), and (read
 * from a JSON file written by pool_baseline.py) on Python's multiprocessing.Pool(2). Run through
 * bench/pool-bench.sh.
 */
public final class PoolBench {

    static final int TINY = 10_000;
    static final int BIG = 100 * 1024 * 1024;

    record Figures(double readyS, double rttUs, double chunk1Tps, double autoTps, double cpuSpeedup, double bigMbs) {
    }

    interface Action {
        void run() throws Exception;
    }

    static double timed(Action a) throws Exception {
        long t = System.nanoTime();
        a.run();
        return (System.nanoTime() - t) / 1e9;
    }

    static double best(int repeat, Action a) throws Exception {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < repeat; i++) {
            best = Math.min(best, timed(a));
        }
        return best;
    }

    static long cpu(long n) {
        long s = 0;
        for (long i = 0; i < n; i++) {
            s += (i * i) % 7 + (s >>> 61);
        }
        return s;
    }

    static long calibrate() throws Exception {
        long k = 1_000_000;
        for (int i = 0; i < 5; i++) {
            cpu(k); // warm up the JIT
        }
        while (true) {
            long kk = k;
            if (timed(() -> cpu(kk)) >= 0.05) {
                break;
            }
            k *= 2;
        }
        long kk = k;
        double t = best(3, () -> cpu(kk));
        return (long) (kk * 0.2 / t);
    }

    static Figures measure(Supplier<Pool> factory, long cpuWork, double sequentialCpu) throws Exception {
        double ready = best(3, () -> {
            try (Pool p = factory.get()) {
                p.apply((Integer x) -> x, 1);
            }
        });
        try (Pool p = factory.get()) {
            List<Integer> items = new ArrayList<>();
            for (int i = 0; i < TINY; i++) {
                items.add(i);
            }
            for (int i = 0; i < 3000; i++) {
                p.apply((Integer x) -> x, i); // warm-up
            }
            for (int i = 0; i < 5; i++) {
                p.map((Integer x) -> x, items, 1);
                p.map((Integer x) -> x, items);
            }
            int n = 3000;
            double rtt = best(5, () -> {
                for (int i = 0; i < n; i++) {
                    p.apply((Integer x) -> x, i);
                }
            }) / n * 1e6;
            double chunk1 = TINY / best(5, () -> p.map((Integer x) -> x, items, 1));
            double auto = TINY / best(5, () -> p.map((Integer x) -> x, items));
            List<Long> work = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                work.add(cpuWork);
            }
            p.map((Long k) -> cpu(k / 20), work, 1); // let workers compile the loop
            double par = best(2, () -> p.map((Long k) -> cpu(k), work, 1));
            double speedup = sequentialCpu / par;
            p.apply(() -> new byte[BIG]);
            double big = 100 / best(3, () -> {
                byte[] b = p.apply(() -> new byte[BIG]);
                if (b.length != BIG) {
                    throw new IllegalStateException();
                }
            });
            return new Figures(ready, rtt, chunk1, auto, speedup, big);
        }
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        JsonObject mp = new JsonObject();
        if (args.length > 0 && Files.exists(Path.of(args[0]))) {
            String text = Files.readString(Path.of(args[0])).trim();
            if (!text.isEmpty()) {
                mp = JsonParser.parseString(text).getAsJsonObject();
            }
        }
        long k = calibrate();
        double sequential = timed(() -> {
            for (int i = 0; i < 20; i++) {
                cpu(k);
            }
        });
        System.out.printf("calibrated CPU task: %.3f s each, 20 sequential in %.2f s; %d cores%n", sequential / 20,
                sequential, Runtime.getRuntime().availableProcessors());
        Figures procs = measure(() -> Pool.create(2), k, sequential);
        Figures threads = measure(() -> Pool.threads(2), k, sequential);

        String[] names = {"2 workers ready (s)", "no-op round trip (us)", "10k tiny, chunk 1 (tasks/s)",
            "10k tiny, auto chunk (tasks/s)", "20 x 0.2 s CPU, speedup", "100 MB result (MB/s)"};
        String[] keys = {"ready_s", "rtt_us", "chunk1_tps", "auto_tps", "cpu_speedup", "big_mbs"};
        boolean[] lowerIsBetter = {true, true, false, false, false, false};
        String[] ipp = {"6.9", "3300", "321", "-", "2.0", "237"};
        String[] target = {"< 0.5", "< 150", "> 50,000", "> 1,000,000", ">= 1.9", ">= 600"};
        double[] p = {procs.readyS(), procs.rttUs(), procs.chunk1Tps(), procs.autoTps(), procs.cpuSpeedup(),
            procs.bigMbs()};
        double[] t = {threads.readyS(), threads.rttUs(), threads.chunk1Tps(), threads.autoTps(), threads.cpuSpeedup(),
            threads.bigMbs()};
        System.out.printf("%-32s %14s %14s %16s %14s %12s %12s%n", "metric", "jpool procs", "Pool.threads",
                "multiproc(2)", "jpool/mp", "target", "IPyParallel");
        for (int i = 0; i < names.length; i++) {
            String m = mp.has(keys[i]) ? fmt(mp.get(keys[i]).getAsDouble()) : "n/a";
            String ratio = "n/a";
            if (mp.has(keys[i])) {
                double base = mp.get(keys[i]).getAsDouble();
                double r = lowerIsBetter[i] ? base / p[i] : p[i] / base;
                ratio = String.format("%.2fx better", r);
                if (r < 1) {
                    ratio = String.format("%.2fx worse", 1 / r);
                }
            }
            System.out.printf("%-32s %14s %14s %16s %14s %12s %12s%n", names[i], fmt(p[i]), fmt(t[i]), m, ratio,
                    target[i], ipp[i]);
        }
        if (mp.has("start_method")) {
            System.out.println("multiprocessing start method: " + mp.get("start_method").getAsString());
        }
    }

    static String fmt(double v) {
        if (v >= 1000) {
            return String.format("%,.0f", v);
        }
        if (v >= 10) {
            return String.format("%.1f", v);
        }
        return String.format("%.3f", v);
    }
}
