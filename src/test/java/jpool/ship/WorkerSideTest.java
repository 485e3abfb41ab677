package jpool.ship;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerSideTest extends NotebookTestBase {

    @Test
    @SuppressWarnings("unchecked")
    void concurrentTasksWithDifferentSnapshotsOnOneWorkerDoNotInterfere() throws Exception {
        nb.eval("int n = 5;");
        nb.eval("static int slow(int x) throws Exception { int first = n; Thread.sleep(1); return first + n + x; }");
        Object task = nb.task("SerFn<Integer,Integer>", "x -> slow(x)");
        Capture five = nb.analyzer.capture(task, List.of(1));
        nb.eval("n = 100;");
        Capture hundred = nb.analyzer.capture(task, List.of(1));
        SnapshotLoader l5 = nb.ship(five);
        SnapshotLoader l100 = nb.ship(hundred);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                boolean even = t % 2 == 0;
                runs.add(pool.submit(() -> {
                    start.await();
                    SnapshotLoader l = even ? l5 : l100;
                    Capture c = even ? five : hundred;
                    int expected = even ? 11 : 201;
                    for (int i = 0; i < 50; i++) {
                        SerFn<Object, Object> f = (SerFn<Object, Object>) l.decode(c.task());
                        if (!Integer.valueOf(expected).equals(f.apply(l.decode(c.args().get(0))))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            start.countDown();
            for (Future<Boolean> r : runs) {
                assertTrue(r.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void addedJarsAndFoldersReachTheWorker(@TempDir Path tmp) throws Exception {
        Path src = tmp.resolve("src/lib/Greeter.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "package lib; public class Greeter { public String greet(int x) { return \"hi \" + x; } }");
        Path src2 = tmp.resolve("src/lib2/Twice.java");
        Files.createDirectories(src2.getParent());
        Files.writeString(src2, "package lib2; public class Twice { public static int of(int x) { return 2 * x; } }");
        Path classes = tmp.resolve("classes");
        Path folder = tmp.resolve("folder");
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), src.toString()));
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", folder.toString(), src2.toString()));
        Path jar = tmp.resolve("greeter.jar");
        Files.write(jar, JarPacker.pack(classes));

        nb.shell.addToClasspath(jar.toString());
        nb.shell.addToClasspath(folder.toString());
        nb.eval("static String hello(int x) { return new lib.Greeter().greet(lib2.Twice.of(x)); }");
        Object task = nb.task("SerFn<Integer,String>", "x -> hello(x)");
        Capture c = nb.analyzer.capture(task, List.of(1, 2));
        assertEquals(2, c.shipment().jars().size());
        assertEquals(List.of("hi 2", "hi 4"), nb.runRemote(c));
        // a worker on the same host may use the jar in place
        try (CodeCache other = new CodeCache(WorkerSideTest.class.getClassLoader())) {
            Shipment.JarRef ref = c.shipment().jars().get(0);
            assertTrue(other.putJarInPlace(ref.hash(), Path.of(ref.path())));
            assertFalse(other.putJarInPlace(c.shipment().jars().get(1).hash(), Path.of(ref.path())));
        }
    }

    @Test
    void shipmentEncodingRoundTripsAndDetectsDamage() throws Exception {
        nb.eval("String greeting = \"hello\";");
        nb.eval("record Point(int x, int y) implements Serializable {}");
        nb.eval("Point origin = new Point(1, 2);");
        Object task = nb.task("SerFn<Integer,String>", "x -> greeting + (origin.x() + x)");
        Capture c = nb.analyzer.capture(task, List.of(1));
        byte[] wire = c.shipment().encode();
        Shipment back = Shipment.decode(wire);
        assertEquals(c.shipment(), back);
        assertEquals(c.shipment().classes(), back.classes());
        assertEquals(c.shipment().state(), back.state());
        assertArrayEquals(wire, back.encode());
        assertEquals(List.of("hello2"), nb.runRemote(c));

        byte[] damaged = wire.clone();
        damaged[damaged.length - 1] ^= 1;
        assertThrows(IllegalArgumentException.class, () -> Shipment.decode(damaged));
        assertThrows(IllegalArgumentException.class, () -> Shipment.decode(java.util.Arrays.copyOf(wire, wire.length - 3)));
        String someHash = c.shipment().classes().values().iterator().next();
        assertThrows(IllegalArgumentException.class, () -> nb.worker.putClass(someHash, new byte[] {1, 2, 3}));
        try (CodeCache empty = new CodeCache(WorkerSideTest.class.getClassLoader())) {
            assertEquals(c.shipment().hashes(), empty.missing(back));
            assertThrows(IllegalStateException.class, () -> empty.loader(back));
        }
    }

    @Test
    void aTaskPaysOnlyForTheVariablesItReads() throws Exception {
        nb.eval("int[] big = new int[1_000_000];");
        nb.eval("int n = 3;");
        nb.eval("static int useBig() { return big.length; }");
        Capture small = nb.analyzer.capture(nb.task("SerFn<Integer,Integer>", "x -> x + n"), List.of(1));
        assertEquals(List.of("n"), small.reads());
        assertTrue(small.shipment().stateBytes() < 16, small.shipment().toString());
        assertTrue(small.shipment().encode().length < 600, small.shipment().encode().length + " bytes");
        Capture large = nb.analyzer.capture(nb.task("SerFn<Integer,Integer>", "x -> x + useBig()"), List.of(1));
        assertEquals(List.of("big"), large.reads());
        assertTrue(large.shipment().stateBytes() > 4_000_000);
        assertEquals(List.of(1_000_001), nb.runRemote(large));
    }

    @Test
    void runawayCellCodeCanBeStoppedOnJdk25() throws Exception {
        assumeTrue(Runtime.version().feature() >= 25, "JDK 25's JShell instruments cell code with stop checks");
        nb.eval("static int spin(int x) { long i = 0; while (x > 0) { i++; } return (int) i; }");
        Capture c = nb.analyzer.capture(nb.task("SerFn<Integer,Integer>", "x -> spin(x)"), List.of(1));
        SnapshotLoader l = nb.ship(c);
        @SuppressWarnings("unchecked")
        SerFn<Object, Object> f = (SerFn<Object, Object>) l.decode(c.task());
        Throwable[] seen = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                f.apply(1);
            } catch (Throwable e) {
                seen[0] = e;
            }
        });
        t.start();
        // requestStop succeeds once the spinning code has loaded the loader's stop-check class
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!l.requestStop()) {
            assertTrue(System.nanoTime() < deadline, "the cell code never reached a stop check");
            Thread.onSpinWait();
        }
        t.join(10_000);
        assertFalse(t.isAlive());
        assertTrue(seen[0] instanceof ThreadDeath, String.valueOf(seen[0]));
    }
}
