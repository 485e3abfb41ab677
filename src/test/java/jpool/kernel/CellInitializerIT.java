package jpool.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jpool.NoWorkersLeft;
import jpool.Pool;
import jpool.ship.CodeShipper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pool initializers written in cells (issue 7, item 2), on real worker JVMs: cells run in this JVM's
 * JShell, as in the kernel, and the pools they start are ordinary pools of worker JVMs. Each test
 * uses its own names, so the order of the tests does not matter.
 *
 * <p>The evaluator's code shipper is installed for the tests, as the kernel does, and removed after.
 */
@ExtendWith(NoWorkersLeft.class)
class CellInitializerIT {

    private static JShellEvaluator ev;
    private static CodeShipper.Registration shipping;
    private static final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private static final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    @BeforeAll
    static void start() throws Exception {
        ev = new JShellEvaluator(List.of(), err);
        shipping = CodeShipper.install(ev.shipper());
        eval("import java.util.*;");
        eval("import jpool.*;");
        // Results are awaited with a bound, so a pool whose workers never get ready fails the test.
        eval("<T> T within(AsyncResult<T> r) throws Exception {"
                + " return r.get(60, java.util.concurrent.TimeUnit.SECONDS); }");
    }

    @AfterAll
    static void stop() {
        shipping.close();
        ev.close();
    }

    private static void eval(String code) throws CellException {
        ev.eval(code, 1, 0, err);
    }

    private static Object value(String code) throws CellException {
        JShellEvaluator.Value v = ev.eval(code, 1, 0, err);
        assertTrue(v.present(), code + " has a value");
        return v.value();
    }

    /** The pool a cell variable holds, for the test's try-with-resources. */
    private static Pool pool(String variable) throws CellException {
        return (Pool) value(variable);
    }

    @Test
    void lambdaInitializerSetsAStaticFieldOfACellClassThatLaterTasksRead() throws Exception {
        eval("class Conn { static String name = \"kernel\"; }");
        eval("Pool lambdaPool = Pool.builder().processes(2)"
                + ".initializer(() -> Conn.name = \"conn@\" + ProcessHandle.current().pid()).start();");
        try (Pool pool = pool("lambdaPool")) {
            // Tasks with two different snapshots (two different lambdas), several times on each worker.
            List<?> first = (List<?>) value("within(lambdaPool.mapAsync(x -> Conn.name + \" \""
                    + " + ProcessHandle.current().pid(), List.of(1, 2, 3, 4, 5, 6), 1))");
            List<?> second = (List<?>) value("within(lambdaPool.mapAsync(x -> x + \" \" + Conn.name + \" \""
                    + " + ProcessHandle.current().pid(), List.of(7, 8), 1))");
            for (Object o : first) {
                String[] p = o.toString().split(" ");
                assertEquals("conn@" + p[1], p[0], "the initializer ran in the worker that runs the task: " + first);
            }
            for (Object o : second) {
                String[] p = o.toString().split(" ");
                assertEquals("conn@" + p[2], p[1], "a second task snapshot sees the same worker-global: " + second);
            }
            assertEquals("kernel", value("Conn.name"), "the kernel's value is untouched");
        }
    }

    @Test
    void lambdaInitializerSetsACellVariableThatLaterTasksRead() throws Exception {
        eval("int offset = 1;");
        eval("Pool offsetPool = Pool.builder().processes(2).initializer(() -> offset = 1000).start();");
        try (Pool pool = pool("offsetPool")) {
            assertEquals(List.of(1001, 1002, 1003, 1004),
                    value("within(offsetPool.mapAsync(x -> offset + x, List.of(1, 2, 3, 4), 1))"));
            assertEquals(1, value("offset"));
        }
    }

    @Test
    void initializerClassDefinedInACellFillsAWorkerGlobalList() throws Exception {
        eval("class Catalog { static final List<String> names = new ArrayList<>(); }");
        eval("class OpenCatalog implements Job {"
                + " final String what; OpenCatalog(String what) { this.what = what; }"
                + " public void run() { Catalog.names.add(what + \" by \" + getClass().getSimpleName()); } }");
        eval("Pool classPool = Pool.builder().processes(1).initializer(new OpenCatalog(\"opened\")).start();");
        try (Pool pool = pool("classPool")) {
            assertEquals("[opened by OpenCatalog]", value("within(classPool.applyAsync(() -> Catalog.names.toString()))"));
            assertEquals(List.of(1, 2),
                    value("within(classPool.mapAsync(x -> Catalog.names.size() + x - 1, List.of(1, 2)))"));
            assertEquals(0, value("Catalog.names.size()"), "the kernel's list is untouched");
        }
    }

    @Test
    void initializerReadingAnUnserializableCellVariableFailsAtStartNamingIt() throws Exception {
        eval("Object padlock = new Object();");
        eval("String startWithPadlock() {"
                + " try (Pool p = Pool.builder().processes(1).initializer(() -> System.out.println(padlock)).start()) {"
                + " return \"started\"; } catch (NotSerializableTaskException e) { return e.getMessage(); } }");
        String message = (String) value("startWithPadlock()");
        assertTrue(message.startsWith("The pool initializer reads cell variable `padlock`"), message);
    }

    @Test
    void initializerReadsACellVariableAsAtPoolStartAlsoInReplacementWorkers() throws Exception {
        eval("int seed = 7;");
        eval("class Seeded { static int value; }");
        // Every worker runs one task and is replaced: each replacement runs the initializer too.
        eval("Pool seedPool = Pool.builder().processes(1).maxTasksPerChild(1)"
                + ".initializer(() -> Seeded.value = seed * 10).start();");
        try (Pool pool = pool("seedPool")) {
            eval("seed = 1;");
            assertEquals(List.of(71, 72, 73),
                    value("within(seedPool.mapAsync(x -> Seeded.value + x, List.of(1, 2, 3), 1))"));
            assertEquals(true, value("seedPool.stats().workersStarted() >= 3"), "one worker per task");
            // The initializer read seed, so seed is a worker-global too: tasks see it as at pool start
            // (the pool prints a warning that the kernel's value differs).
            assertEquals(7, value("within(seedPool.applyAsync(() -> seed))"));
        }
    }
}
