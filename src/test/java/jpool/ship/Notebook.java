package jpool.ship;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jshell.JShell;
import jdk.jshell.SnippetEvent;
import jpool.wire.Limits;
import jpool.wire.PayloadCodec;

/**
 * Test fixture: a JShell with the recording engine and its own registry, as the kernel has, plus
 * the submit side ({@link CaptureAnalyzer}) and a worker-side {@link CodeCache} whose parent is the
 * application class loader, not JShell's, as on a worker JVM.
 */
final class Notebook implements AutoCloseable {
    final ClassRegistry registry = new ClassRegistry();
    final RecordingExecutionControlProvider provider =
            new RecordingExecutionControlProvider(registry, Notebook.class.getClassLoader());
    final JShell shell = JShell.builder()
            .executionEngine(provider, Map.of())
            .build();
    final CaptureAnalyzer analyzer = new CaptureAnalyzer(registry);
    final CodeCache worker = new CodeCache(Notebook.class.getClassLoader());

    Notebook() {
        eval("import java.io.*;");
        eval("import java.util.*;");
        eval("import java.util.function.*;");
        eval("import jpool.ship.*;");
    }

    /** Evaluates one snippet or more, failing on errors; returns the last value. */
    String eval(String code) {
        String value = null;
        String rest = code;
        while (!rest.isBlank()) {
            var info = shell.sourceCodeAnalysis().analyzeCompletion(rest);
            for (SnippetEvent e : shell.eval(info.source())) {
                if (e.exception() != null) {
                    throw new AssertionError(info.source() + " threw " + e.exception(), e.exception());
                }
                if (e.causeSnippet() == null) {
                    assertTrue(e.status().isDefined(), info.source() + " -> " + e.status() + " "
                            + shell.diagnostics(e.snippet()).map(d -> d.getMessage(null)).collect(Collectors.toList()));
                    value = e.value();
                }
            }
            rest = info.remaining();
        }
        return value;
    }

    /** Evaluates {@code TaskSlot.task = (type) (expr);} and returns the task object. */
    Object task(String type, String expr) {
        TaskSlot.task = null;
        eval("TaskSlot.task = (" + type + ") (" + expr + ");");
        return TaskSlot.task;
    }

    /** Encodes and decodes the shipment and sends whatever the worker lacks, as the pool will. */
    SnapshotLoader ship(Capture c) {
        Shipment s = Shipment.decode(c.shipment().encode());
        for (String h : worker.missing(s)) {
            worker.accept(s, h, analyzer.bytes(h));
        }
        return worker.loader(s);
    }

    /** Runs a captured one-argument task for each argument on the worker side; results come back decoded. */
    @SuppressWarnings("unchecked")
    List<Object> runRemote(Capture c) throws Exception {
        SnapshotLoader loader = ship(c);
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        try {
            SerFn<Object, Object> f = (SerFn<Object, Object>) loader.decode(c.task());
            List<Object> out = new ArrayList<>();
            for (byte[] arg : c.args()) {
                Object result;
                try {
                    result = f.apply(loader.decode(arg));
                } catch (Exception e) {
                    result = e;
                }
                out.add(PayloadCodec.decodeValue(PayloadCodec.encodeValue(result), registry.resolver(Notebook.class.getClassLoader()),
                        Limits.DEFAULT));
            }
            return out;
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /** Runs the task locally, in the kernel, for comparison. */
    @SuppressWarnings("unchecked")
    List<Object> runLocal(Object task, List<?> args) throws Exception {
        List<Object> out = new ArrayList<>();
        for (Object a : args) {
            out.add(((SerFn<Object, Object>) task).apply(a));
        }
        return out;
    }

    /** The kernel's class for a simple cell class name (e.g. Point), newest definition. */
    Class<?> cellClass(String simpleName) throws ClassNotFoundException {
        String name = registry.names().stream().filter(n -> n.endsWith("$" + simpleName))
                .max((a, b) -> Integer.compare(cellNumber(a), cellNumber(b)))
                .orElseThrow(() -> new AssertionError("no cell class " + simpleName));
        return Class.forName(name, false, registry.find(name).orElseThrow().loader());
    }

    private static int cellNumber(String n) {
        var m = java.util.regex.Pattern.compile("\\$JShell\\$(\\d+)").matcher(n);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    @Override
    public void close() {
        shell.close();
        worker.close();
    }
}
