import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jdk.jshell.JShell;
import jdk.jshell.SnippetEvent;
import jpool.ship.Capture;
import jpool.ship.CaptureAnalyzer;
import jpool.ship.ClassRegistry;
import jpool.ship.CodeCache;
import jpool.ship.RecordingExecutionControlProvider;
import jpool.ship.SerFn;
import jpool.ship.Shipment;
import jpool.ship.SnapshotLoader;
import jpool.ship.TaskSlot;

/**
 * Cost of shipping notebook code: analysis time and bytes per task for a notebook of about 100
 * cells. Run with bench/ship-bench.sh (needs the main and test classes on the class path).
 */
public class ShipBench {

    private static final java.io.PrintStream OUT = System.out;

    public static void main(String[] args) throws Exception {
        try {
            run();
        } catch (Throwable e) {
            e.printStackTrace(OUT);
            System.exit(1);
        }
    }

    private static void run() throws Exception {
        ClassRegistry registry = new ClassRegistry();
        var provider = new RecordingExecutionControlProvider(registry, ShipBench.class.getClassLoader());
        try (JShell shell = JShell.builder().executionEngine(provider, Map.of()).build()) {
            int cells = buildNotebook(shell);
            OUT.printf("notebook: %d cells, %d runtime classes, %d KiB of class files%n", cells,
                    registry.size(), registry.names().stream()
                            .mapToInt(n -> registry.find(n).orElseThrow().bytes().length).sum() / 1024);

            CaptureAnalyzer analyzer = new CaptureAnalyzer(registry);
            List<Integer> oneArg = List.of(7);

            Object task = task(shell, "x -> score(x) + new Vec(x, n4).len() + helper10(x)");
            long t0 = System.nanoTime();
            Capture first = analyzer.capture(task, oneArg);
            long cold = System.nanoTime() - t0;
            report("cold capture (parses every class it reaches)", cold, first);

            int reps = 20_000;
            for (int i = 0; i < 2_000; i++) {
                analyzer.capture(task, oneArg);
            }
            t0 = System.nanoTime();
            Capture warm = null;
            for (int i = 0; i < reps; i++) {
                warm = analyzer.capture(task, oneArg);
            }
            report("warm capture, same lambda", (System.nanoTime() - t0) / reps, warm);

            // a new cell with a new lambda over the same code: new closure, cached class summaries
            t0 = System.nanoTime();
            Object task2 = task(shell, "x -> score(x) + helper20(x) + (int) mean(data40)");
            long evalTime = System.nanoTime() - t0;
            t0 = System.nanoTime();
            Capture fresh = analyzer.capture(task2, oneArg);
            report("capture of a lambda from a new cell", System.nanoTime() - t0, fresh);
            OUT.printf("  (evaluating that cell in JShell took %.1f ms)%n", evalTime / 1e6);

            // a task reading a no-op: what the round trip of a trivial cell lambda costs in analysis
            Object noop = task(shell, "x -> x");
            for (int i = 0; i < 2_000; i++) {
                analyzer.capture(noop, oneArg);
            }
            t0 = System.nanoTime();
            Capture noopCapture = null;
            for (int i = 0; i < reps; i++) {
                noopCapture = analyzer.capture(noop, oneArg);
            }
            report("warm capture, no-op cell lambda x -> x", (System.nanoTime() - t0) / reps, noopCapture);

            // the same compiled-class lambda for comparison (nothing to ship)
            SerFn<Integer, Integer> compiled = x -> x;
            for (int i = 0; i < 2_000; i++) {
                analyzer.capture(compiled, oneArg);
            }
            t0 = System.nanoTime();
            Capture compiledCapture = null;
            for (int i = 0; i < reps; i++) {
                compiledCapture = analyzer.capture(compiled, oneArg);
            }
            report("warm capture, lambda from a compiled class", (System.nanoTime() - t0) / reps, compiledCapture);

            // worker side
            try (CodeCache cache = new CodeCache(ShipBench.class.getClassLoader())) {
                int classBytes = 0;
                Shipment s = Shipment.decode(first.shipment().encode());
                for (String h : cache.missing(s)) {
                    byte[] b = analyzer.bytes(h);
                    classBytes += b.length;
                    cache.putClass(h, b);
                }
                OUT.printf("worker: first task fetches %d classes, %d bytes (once per worker)%n",
                        s.classes().size(), classBytes);
                t0 = System.nanoTime();
                SnapshotLoader loader = cache.loader(s);
                @SuppressWarnings("unchecked")
                SerFn<Object, Object> f = (SerFn<Object, Object>) loader.decode(first.task());
                Object r = f.apply(loader.decode(first.args().get(0)));
                OUT.printf("worker: new snapshot, define classes + decode + first run: %.2f ms (result %s)%n",
                        (System.nanoTime() - t0) / 1e6, r);
                for (int i = 0; i < 2_000; i++) {
                    ((SerFn<Object, Object>) loader.decode(first.task())).apply(loader.decode(first.args().get(0)));
                }
                t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    Shipment again = Shipment.decode(warm.shipment().encode());
                    SnapshotLoader l = cache.loader(again);
                    ((SerFn<Object, Object>) l.decode(warm.task())).apply(l.decode(warm.args().get(0)));
                }
                OUT.printf("worker: same snapshot, decode shipment + task + run: %.1f us%n",
                        (System.nanoTime() - t0) / 1e3 / reps);
            }
        }
    }

    private static void report(String what, long nanos, Capture c) {
        OUT.printf("%-50s %9.1f us | shipment %5d B (%3d classes, %d state values, %4d state B), task %4d B,"
                + " arg %d B%n", what, nanos / 1e3, c.shipment().encode().length, c.shipment().classes().size(),
                c.reads().size(), c.shipment().stateBytes(), c.task().length, c.args().get(0).length);
    }

    private static Object task(JShell shell, String lambda) {
        TaskSlot.task = null;
        eval(shell, "jpool.ship.TaskSlot.task = (jpool.ship.SerFn<Integer,Integer>) (" + lambda + ");");
        return TaskSlot.task;
    }

    /** About 100 cells: variables, methods, records, classes, enums, interfaces. */
    private static int buildNotebook(JShell shell) {
        List<String> cells = new ArrayList<>();
        cells.add("import java.util.*; import java.io.*;");
        for (int i = 0; i < 40; i++) {
            cells.add(switch (i % 4) {
                case 0 -> "int n" + i + " = " + i + ";";
                case 1 -> "String s" + i + " = \"value " + i + "\";";
                case 2 -> "List<Integer> list" + i + " = new ArrayList<>(List.of(" + i + ", " + (i + 1) + "));";
                default -> "double[] data" + i + " = new double[" + (100 + i) + "];";
            });
        }
        cells.add("double[] data40 = new double[1000];");
        cells.add("record Vec(int x, int y) implements Serializable { int len() { return Math.abs(x) + Math.abs(y); } }");
        cells.add("interface Scorer extends Serializable { int score(int x); default int twice(int x) { return 2 * score(x); } }");
        cells.add("enum Level { LOW, MID, HIGH; Level up() { return values()[Math.min(ordinal() + 1, 2)]; } }");
        cells.add("static double mean(double[] d) { double s = 0; for (double v : d) s += v; return d.length == 0 ? 0 : s / d.length; }");
        for (int i = 0; i < 30; i++) {
            cells.add("static int helper" + i + "(int x) { return x + n" + (i % 10) * 4 + " + s" + ((i % 10) * 4 + 1)
                    + ".length(); }");
        }
        for (int i = 0; i < 15; i++) {
            cells.add("record R" + i + "(int a, String b) implements Serializable { int weight() { return a * " + i + "; } }");
        }
        cells.add("static int score(int x) { return helper1(x) + new R3(x, \"b\").weight() + Level.LOW.up().ordinal(); }");
        cells.add("class Cache { static final Map<Integer, Integer> memo = new HashMap<>(); static { memo.put(1, 1); } }");
        cells.add("int total = 0;");
        cells.add("for (int i = 0; i < 10; i++) total += helper2(i);");
        cells.add("System.out.print(\"\");");
        for (String c : cells) {
            eval(shell, c);
        }
        return cells.size();
    }

    private static void eval(JShell shell, String code) {
        String rest = code;
        while (!rest.isBlank()) {
            var info = shell.sourceCodeAnalysis().analyzeCompletion(rest);
            for (SnippetEvent e : shell.eval(info.source())) {
                if (e.exception() != null || (e.causeSnippet() == null && !e.status().isDefined())) {
                    throw new IllegalStateException(info.source() + " failed: " + e.status() + " " + e.exception()
                            + " " + shell.diagnostics(e.snippet()).map(d -> d.getMessage(null)).toList());
                }
            }
            rest = info.remaining();
        }
    }
}
