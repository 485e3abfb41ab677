package jpool.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A magic's cell body made into a lambda block and compiled by a real JShell: the final expression is the
 * value, declarations are locals of one run, and compile errors name the user's lines as written.
 */
class CellBodyTest {

    private static JShellEvaluator ev;
    private static final PrintStream err = new PrintStream(new ByteArrayOutputStream());

    /** The kernel side a body needs: evaluation and analysis of this JShell (nothing else is asked for). */
    private static final MagicContext CTX = new MagicContext() {
        @Override
        public Object evalJava(String java, int firstLine) throws CellException {
            JShellEvaluator.Value v = ev.eval(java, 1, firstLine, err);
            return v.present() ? v.value() : null;
        }

        @Override
        public jdk.jshell.SourceCodeAnalysis analysis() {
            return ev.shell().sourceCodeAnalysis();
        }

        @Override
        public List<String> frames(Throwable t) {
            return ev.frames(t, 1);
        }

        @Override
        public Object evalCell(String code) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void addToClasspath(List<Path> entries) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Path workingDirectory() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Magics magics() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int magicLine() {
            return 0;
        }

        @Override
        public void onCellStart(Runnable action) {
            throw new UnsupportedOperationException();
        }
    };

    /** Runs the block at once: the submission of a magic is a lambda too, here one that is called. */
    private static final String HEAD = "((java.util.concurrent.Callable<Object>) () -> {";
    private static final String TAIL = "}).call()";

    @BeforeAll
    static void start() throws Exception {
        ev = new JShellEvaluator(List.of(), err);
        ev.eval("int base = 100;", 1, 0, err);
    }

    @AfterAll
    static void stop() {
        ev.close();
    }

    private static CellBody body(String java) throws Exception {
        return CellBody.parse(java, ev.shell().sourceCodeAnalysis(), 1, "usage: %%test");
    }

    private static CellBody.Submitted run(String java) throws Exception {
        return body(java).submit(CTX, HEAD, TAIL, 0);
    }

    @Test
    void theFinalExpressionIsTheValueAndLocalsAreMutable() throws Exception {
        CellBody.Submitted s = run("int s = 0;\nfor (int i = 0; i < 5; i++) s += i;\ns");
        assertEquals(10, s.value());
        assertTrue(s.hasValue());
        assertEquals(110, run("int s = 0; for (int i = 0; i < 5; i++) s += i; s + base // with a comment\n").value());
        assertEquals(3, run("record P(int x) {}\nnew P(3).x()").value(), "local records are fine");
        assertEquals("ok", run("/* lead */ \"ok\"").value());
    }

    @Test
    void namesDeclaredInTheBodyAreLocalToOneRun() throws Exception {
        run("int local = 5;\nlocal");
        assertEquals(6, run("int local = 6;\nlocal").value(), "declaring it again is no clash");
        CellException e = assertThrows(CellException.class, () -> ev.eval("local", 1, 0, err));
        assertEquals("CompilationError", e.ename(), "not a cell variable afterwards");
    }

    @Test
    void statementsVoidCallsDeclarationsAndAFinalSemicolonShowNoValue() throws Exception {
        CellBody.Submitted voidCall = run("int a = 1;\nSystem.out.println(a)");
        assertNull(voidCall.value());
        assertFalse(voidCall.hasValue());
        CellBody.Submitted hidden = run("Math.max(1, 2);");
        assertEquals(2, hidden.value(), "computed");
        assertFalse(hidden.hasValue(), "but hidden, as a cell hides a value ending with ;");
        assertFalse(run("int y = 3;").hasValue());
        assertFalse(run("String t = \"x\"").hasValue(), "a declaration without its ;");
        assertFalse(run("if (base > 0) { int q = base; }").hasValue());
        assertFalse(run("for (int i = 0; i < 2; i++) { }").hasValue());
    }

    @Test
    void anExplicitReturnIsTheValueAndAThrowFails() throws Exception {
        CellBody.Submitted r = run("int a = 4;\nreturn a * 2;");
        assertEquals(8, r.value());
        assertTrue(r.hasValue());
        CellException e = assertThrows(CellException.class, () -> run("int a = 4;\nthrow new IllegalStateException(\"no\" + a);"));
        assertEquals("java.lang.IllegalStateException", e.ename());
        assertEquals("no4", e.evalue());
    }

    @Test
    void aCompileErrorInTheFinalExpressionShowsTheLineAsWritten() throws Exception {
        CellException e = assertThrows(CellException.class, () -> run("int a = 1;\na + nosuch"));
        assertEquals("CompilationError", e.ename());
        List<String> tb = e.traceback();
        assertTrue(tb.get(0).contains("cell line 3"), tb.toString());
        assertEquals("    a + nosuch", tb.get(1), "not the generated 'return a + nosuch'");
        assertEquals("    " + "    " + JShellEvaluator.GREEN + "^^^^^^" + JShellEvaluator.RESET, tb.get(2),
                "the marks under nosuch");
        assertFalse(String.join("\n", tb).contains("return"), tb.toString());
    }

    @Test
    void compileErrorsNameTheUsersLinesWhereverTheBodyStarts() throws Exception {
        CellException e = assertThrows(CellException.class,
                () -> body("int a = 1;\nint b = nosuch(a);\nb").submit(CTX, HEAD, TAIL, 4));
        assertTrue(e.traceback().get(0).contains("cell line 7"), e.traceback().toString());
        assertEquals("    int b = nosuch(a);", e.traceback().get(1));
        // a void final call with an error elsewhere: only the real error, no complaint about returning void
        CellException v = assertThrows(CellException.class, () -> run("int a = nosuch;\nSystem.out.println(a)"));
        String all = String.join("\n", v.traceback());
        assertTrue(all.contains("cell line 2") && all.contains("nosuch"), all);
        assertFalse(all.contains("void"), all);
        // a value final expression with an error elsewhere: no "not a statement" about the final line
        CellException n = assertThrows(CellException.class, () -> run("int a = 1;\nint b = nosuch;\na"));
        String alln = String.join("\n", n.traceback());
        assertTrue(alln.contains("cell line 3"), alln);
        assertFalse(alln.contains("not a statement"), alln);
    }

    @Test
    void anEmptyOrIncompleteBodyIsRefusedBeforeAnythingRuns() {
        MagicException empty = assertThrows(MagicException.class, () -> body("  \n // only a comment\n"));
        assertTrue(empty.getMessage().endsWith("\nusage: %%test"), empty.getMessage());
        assertThrows(MagicException.class, () -> body(""));
        CellException open = assertThrows(CellException.class, () -> body("int a = 1;\nif (a > 0) {\n  a++;"));
        assertEquals("IncompleteSource", open.ename());
        assertTrue(open.evalue().contains("cell line 3"), open.evalue());
    }

    @Test
    void completionAndInspectionSeeTheJavaBelowACellMagicsFirstLine() {
        String cell = "%%px --targets 0\nString s = \"\";\ns.toUpp";
        String masked = JavaKernel.maskMagicLines(cell);
        assertEquals(" ".repeat(16) + "\nString s = \"\";\ns.toUpp", masked);
        assertTrue(ev.complete(masked, masked.length()).matches().contains("toUpperCase("),
                ev.complete(masked, masked.length()).matches().toString());
        assertEquals("\n    \n  %%x", JavaKernel.maskMagicLines("\n%%px\n  %%x"), "only the first line is the magic's");
    }

    @Test
    void theBlocksKeepTheBodysLines() throws Exception {
        CellBody b = body("int a = 1;\n  a + 1");
        assertTrue(b.maybeValue());
        assertEquals("int a = 1;\n  return a + 1\n;", b.valueBlock());
        assertEquals("int a = 1;\n  a + 1\n;return null;", b.statementBlock());
        assertFalse(body("while (base < 0) { }").maybeValue());
        assertFalse(body("outer: for (;;) { break outer; }").maybeValue());
        assertFalse(body("List<String> xs = new ArrayList<>()").maybeValue());
        assertTrue(body("switch (base) { case 1 -> 2; default -> 3; }").maybeValue(), "a switch may be a value");
        assertTrue(body("x instanceof String").maybeValue());
        assertEquals("throw new Error()\n;", body("throw new Error()").statementBlock());
    }
}
