package jpool.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Frames of cell code that JShell did not rewrite (a task's stack from a worker, an exception caught inside a
 * cell) found by their wrapper class and mapped to cell and line, and which frames of a trace are shown.
 */
class CellFramesTest {

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

    /** An exception thrown in cell code and caught there, so its stack is raw, as a worker's is. */
    private static Throwable caught(String call, int executionCount) throws CellException {
        JShellEvaluator.Value v = ev.eval("Throwable caught = null;\ntry {\n    " + call
                + ";\n} catch (Throwable t) {\n    caught = t;\n}\ncaught", executionCount, 0, err);
        assertTrue(v.present() && v.value() instanceof Throwable, "caught " + v.value());
        return (Throwable) v.value();
    }

    @Test
    void rawFramesOfMethodsLambdasAndNestedClassesAreMappedToTheirCellAndLine() throws Exception {
        ev.eval("\nint half(int x) {\n    if (x % 2 != 0)\n        throw new IllegalArgumentException(\"odd \" + x);\n"
                + "    return x / 2;\n}", 3, 0, err);
        ev.eval("record Pair(int a, int b) {\n    public Pair {\n        half(b);\n    }\n}", 4, 0, err);
        ev.eval("int x = 1;\njava.util.function.IntSupplier later = () ->\n    new Pair(x, 7).a();", 5, 2, err);
        Throwable t = caught("later.getAsInt()", 6);
        List<String> where = Arrays.stream(t.getStackTrace()).map(ev::cellLocation).filter(w -> w != null).toList();
        assertEquals(List.of("In [3] line 4", "In [4] line 3", "In [5] line 5", "In [6] line 3"), where,
                Arrays.toString(t.getStackTrace()));
        StackTraceElement[] st = t.getStackTrace();
        assertEquals("half", CellFrames.cellName(st[0]));
        assertEquals("Pair.<init>", CellFrames.cellName(st[1]));
        assertEquals("lambda", CellFrames.cellName(st[2]));

        CellFrames.install(ev::cellLocation);
        try {
            assertEquals("half (In [3] line 4)", CellFrames.describe(st[0]));
            assertEquals("java.lang.String.valueOf(String.java:1)", CellFrames.describe(
                    new StackTraceElement("java.lang.String", "valueOf", "String.java", 1)));
        } finally {
            CellFrames.install(null);
        }
        assertEquals("half (cell code)", CellFrames.describe(st[0]), "without a kernel, cell code has no line");
    }

    @Test
    void aRedefinedMethodKeepsTheLinesOfEachDefinition() throws Exception {
        ev.eval("int boom() {\n    throw new IllegalStateException(\"one\");\n}", 7, 0, err);
        Throwable first = caught("boom()", 8);
        ev.eval("int boom() {\n    int a = 1;\n    int b = 2;\n    throw new IllegalStateException(\"two\");\n}", 9, 0, err);
        Throwable second = caught("boom()", 10);
        assertEquals("In [7] line 2", ev.cellLocation(first.getStackTrace()[0]), "the first definition's code");
        assertEquals("In [9] line 4", ev.cellLocation(second.getStackTrace()[0]));
        assertNull(ev.cellLocation(new StackTraceElement("jpool.worker.TaskRunner", "run", "TaskRunner.java", 10)));
    }

    private static StackTraceElement el(String cls) {
        return new StackTraceElement(cls, "m", "F.java", 1);
    }

    @Test
    void aTraceEndsAtTheUsersCodeAndLeavesOutJpool() {
        StackTraceElement[] task = {el("java.lang.Integer"), el("REPL.$JShell$12"), el("jpool.Invokers"),
            el("org.lib.Code"), el("jpool.worker.TaskRunner"), el("java.lang.Thread")};
        assertEquals(List.of("java.lang.Integer", "REPL.$JShell$12", "org.lib.Code"), names(task),
                "down to the last frame of user code, jpool's frames left out");
        StackTraceElement[] methodReference = {el("java.lang.NumberFormatException"), el("java.lang.Integer"),
            el("jpool.Invokers"), el("jpool.worker.TaskRunner"), el("java.lang.Thread")};
        assertEquals(List.of("java.lang.NumberFormatException", "java.lang.Integer"), names(methodReference),
                "a task of JDK code only: the frames above jpool's");
        StackTraceElement[] jdkOnly = {el("java.lang.Thread"), el("java.lang.Object")};
        assertEquals(List.of("java.lang.Thread", "java.lang.Object"), names(jdkOnly));
    }

    private static List<String> names(StackTraceElement[] trace) {
        return CellFrames.shown(trace).stream().map(StackTraceElement::getClassName).toList();
    }
}
