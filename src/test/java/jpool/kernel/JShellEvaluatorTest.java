package jpool.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JShellEvaluatorTest {

    private static JShellEvaluator ev;
    private static final PrintStream err = new PrintStream(new ByteArrayOutputStream());

    @BeforeAll
    static void start() {
        ev = new JShellEvaluator(List.of(), err);
    }

    @AfterAll
    static void stop() {
        ev.close();
    }

    private static Object value(String code) throws CellException {
        JShellEvaluator.Value v = ev.eval(code, 1, 0, err);
        assertTrue(v.present(), code + " has a value");
        return v.value();
    }

    @Test
    void expressionValuesAreTheObjectsThemselves() throws Exception {
        assertEquals(2, value("1 + 1"));
        assertEquals(List.of(1, 2), value("java.util.List.of(1, 2)"));
        assertFalse(ev.eval("int unusedDecl = 3;", 1, 0, err).present(), "declarations show nothing");
        assertEquals(3, value("unusedDecl"));
        assertEquals("b", value("int q = 1;\nString s = \"ab\";\ns.substring(q)"));
    }

    @Test
    void rerunningTheSameTextSeesRedefinitions() throws Exception {
        ev.eval("int f() { return 1; }", 1, 0, err);
        assertEquals(1, value("f()"));
        assertEquals(1, value("f()"));
        ev.eval("int f() { return 2; }", 2, 0, err);
        assertEquals(2, value("f()"), "a redefined method is used by a re-run expression");
        ev.eval("int k = 10;", 3, 0, err);
        assertEquals(11, value("k + 1"));
        ev.eval("k = 20;", 3, 0, err);
        assertEquals(21, value("k + 1"), "re-run reads the variable's current value");
        ev.eval("String k = \"s\";", 4, 0, err);
        assertEquals("s1", value("k + 1"), "a redeclared variable is picked up");
    }

    @Test
    void compileErrorPointsAtCellLine() {
        CellException e = assertThrows(CellException.class, () -> ev.eval("int a = 1;\nint b = nope + 1;", 5, 2, err));
        assertEquals("CompilationError", e.ename());
        String tb = String.join("\n", e.traceback());
        assertTrue(tb.contains("cell line 4"), tb);
        assertTrue(tb.contains("int b = nope + 1;"), tb);
        assertTrue(tb.contains("^^^^"), tb);
    }

    @Test
    void runtimeErrorShowsCellFramesAndNoKernelFrames() throws Exception {
        ev.eval("int boom(int x) {\n  return 10 / x;\n}", 6, 0, err);
        for (int round = 0; round < 2; round++) { // the second run takes the no-compile path
            CellException e = assertThrows(CellException.class, () -> ev.eval("\nboom(0)", 7, 0, err));
            assertEquals("java.lang.ArithmeticException", e.ename());
            String tb = String.join("\n", e.traceback());
            assertTrue(tb.contains("boom"), tb);
            assertTrue(tb.contains("cell line 2"), tb);
            assertFalse(tb.contains("jdk.jshell") || tb.contains("jpool.kernel") || tb.contains("reflect"), tb);
        }
    }

    @Test
    void incompleteSourceIsReported() {
        CellException e = assertThrows(CellException.class, () -> ev.eval("int z = 1;\nfor (int i = 0; i < 3; i++) {",
                8, 0, err));
        assertEquals("IncompleteSource", e.ename());
        assertEquals("incomplete", ev.isComplete("for (int i = 0; i < 3; i++) {"));
        assertEquals("complete", ev.isComplete("int y = 1;"));
    }

    @Test
    void completionAndInspection() {
        JShellEvaluator.Completions c = ev.complete("int a = 1;\nMath.ma", "int a = 1;\nMath.ma".length());
        assertTrue(c.matches().contains("max("), c.matches().toString());
        assertEquals("int a = 1;\nMath.".length(), c.start());
        String doc = ev.inspect("Math.max", 6, false);
        assertTrue(doc != null && doc.contains("max("), String.valueOf(doc));
    }

    @Test
    void aBusyLoopIsStopped() throws Exception {
        // Stops once the cell runs, and again while it still does: a stop is a no-op before eval has begun.
        AtomicBoolean evalReturned = new AtomicBoolean();
        Thread stopper = new Thread(() -> {
            while (!evalReturned.get()) {
                if (ev.isRunning()) {
                    ev.stop();
                }
                LockSupport.parkNanos(10_000_000L);
            }
        });
        stopper.start();
        long t0 = System.nanoTime();
        CellException e;
        try {
            e = assertThrows(CellException.class, () -> ev.eval("long n = 0; while (true) { n++; }", 9, 0, err));
        } finally {
            evalReturned.set(true);
            stopper.join();
        }
        assertEquals("Interrupted", e.ename());
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
        assertEquals(4, value("2 + 2"), "usable after the stop");
    }
}
