package jpool.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jpool.CallScope;
import jpool.OutputChunk;
import jpool.RemoteTaskException;
import jpool.TaskFailedException;
import jpool.WorkerLostException;
import org.junit.jupiter.api.Test;

/** How a %%px run is shown: rows per worker, the same failure once with its workers, output per worker. */
class PxRunTest {

    private static TaskFailedException failed(String worker, Throwable cause) {
        return new TaskFailedException("the task failed on " + worker, cause, worker);
    }

    private static List<String> lines(List<PxRun.Row> rows) {
        return rows.stream().map(PxRun.Row::line).toList();
    }

    @Test
    void oneRowPerWorkerInWorkerOrderAndTheSameFailureOnceWithItsWorkers() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("w3", 42);
        values.put("w1", List.of(1, 2));
        Map<String, Throwable> failures = new LinkedHashMap<>();
        failures.put("w2", failed("w2", new ArithmeticException("/ by zero")));
        failures.put("w4", failed("w4", new ArithmeticException("/ by zero")));
        failures.put("w5", failed("w5", new IllegalStateException("odd")));
        List<PxRun.Row> rows = PxRun.rows(List.of("w1", "w2", "w3", "w4", "w5", "w6"), values, failures, true, false);
        assertEquals(List.of("w1: [1, 2]", "w2, w4: ArithmeticException: / by zero", "w3: 42",
                "w5: IllegalStateException: odd", "w6: running"), lines(rows));
        assertTrue(rows.get(1).failed());
        assertEquals(List.of("w2", "w4"), rows.get(1).workers());
        assertFalse(rows.get(2).failed());
        assertFalse(rows.get(4).failed(), "still running");
        List<PxRun.Row> cancelled = PxRun.rows(List.of("w1", "w2", "w3"), Map.of("w2", 1), Map.of(), true, true);
        assertEquals(List.of("w1, w3: cancelled", "w2: 1"), lines(cancelled));
        assertTrue(cancelled.get(0).failed(), "a cancelled run on a worker is no success");
    }

    @Test
    void withoutAValueToShowRowsSayDoneAndLongValuesAreCut() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("w1", null);
        values.put("w2", "x".repeat(10_000));
        assertEquals(List.of("w1: done", "w2: done"), lines(PxRun.rows(List.of("w1", "w2"), values, Map.of(), false, true)));
        List<PxRun.Row> shown = PxRun.rows(List.of("w1", "w2"), values, Map.of(), true, true);
        assertEquals("w1: null", shown.get(0).line());
        assertTrue(shown.get(1).text().length() <= PxRun.VALUE_CHARS, shown.get(1).text().length() + " characters");
    }

    @Test
    void failuresAreNamedByTheTasksOwnExceptionInShort() {
        assertEquals("ArithmeticException: / by zero", PxRun.describe(failed("w1", new ArithmeticException("/ by zero"))));
        assertEquals("Oops: cell class", PxRun.describe(failed("w1",
                new RemoteTaskException("REPL.$JShell$12$Oops", "cell class"))));
        assertEquals("Bare", PxRun.describe(failed("w1", new RemoteTaskException("REPL.$JShell$12$Bare", null))));
        assertEquals("WorkerLostException: w1 exited with code 137", PxRun.describe(
                new WorkerLostException("w1 exited with code 137", "w1", 137, List.of())));
        assertEquals("NullPointerException", PxRun.describe(failed("w1", new NullPointerException())));
        assertEquals("Inner", PxRun.simpleName("a.b.Outer$Inner"));
        assertEquals("Outer$1", PxRun.simpleName("a.b.Outer$1"), "an anonymous class keeps its outer name");
    }

    @Test
    void outputIsReplayedWorkerByWorkerEachPartEndingALine() {
        List<String> seen = new ArrayList<>();
        CallScope target = recording(seen);
        List<String> forwarded = new ArrayList<>();
        PxScope scope = new PxScope(recording(forwarded), false);
        scope.taskOutput("w2", OutputChunk.Stream.STDOUT, "b1\n");
        scope.taskOutput("w1", OutputChunk.Stream.STDOUT, "a1\n");
        scope.taskOutput("w1", OutputChunk.Stream.STDERR, "oops");
        scope.taskOutput("w2", OutputChunk.Stream.STDOUT, "b2");
        scope.taskOutput("w1", OutputChunk.Stream.STDOUT, "a2\n");
        assertTrue(forwarded.isEmpty(), "grouped by worker: nothing goes to the cell as it arrives");
        scope.replay(target, List.of("w1", "w2"));
        assertEquals(List.of("w1 STDOUT a1\na2\n", "w1 STDERR oops\n", "w2 STDOUT b1\nb2\n"), seen);
    }

    @Test
    void inOrderOutputGoesOnAsItArrivesUntilTheCellEndsAndIsKeptForReplay() {
        List<String> forwarded = new ArrayList<>();
        boolean[] open = {true};
        CallScope cell = new CallScope() {
            @Override
            public boolean taskOutput(String workerId, OutputChunk.Stream stream, String text) {
                if (open[0]) {
                    forwarded.add(workerId + " " + text);
                }
                return open[0];
            }

            @Override
            public Registration onInterrupt(Runnable cancel) {
                return () -> { };
            }

            @Override
            public void cancelled(String what) {
            }
        };
        PxScope scope = new PxScope(cell, true);
        assertTrue(scope.taskOutput("w1", OutputChunk.Stream.STDOUT, "one\n"));
        open[0] = false;
        assertTrue(scope.taskOutput("w1", OutputChunk.Stream.STDOUT, "two\n"), "kept after the cell ended");
        open[0] = true;
        assertTrue(scope.taskOutput("w1", OutputChunk.Stream.STDOUT, "three\n"));
        assertEquals(List.of("w1 one\n"), forwarded, "once the cell refused, nothing more goes there");
        List<String> replayed = new ArrayList<>();
        scope.replay(recording(replayed), List.of("w1"));
        assertEquals(List.of("w1 STDOUT one\ntwo\nthree\n"), replayed);
    }

    @Test
    void keptOutputIsBoundedAndTheReplaySaysHowMuchIsMissing() {
        PxScope scope = new PxScope(null, false);
        String chunk = "y".repeat(1023) + "\n";
        for (int i = 0; i < 1100; i++) {
            scope.taskOutput("w1", OutputChunk.Stream.STDOUT, chunk);
        }
        List<String> replayed = new ArrayList<>();
        scope.replay(recording(replayed), List.of("w1"));
        assertEquals(1, replayed.size());
        String text = replayed.get(0);
        assertTrue(text.length() < PxScope.KEPT_CHARS + 200, text.length() + " characters");
        assertTrue(text.endsWith("... 77,824 more characters not kept; the result's stdout() has them\n"),
                text.substring(text.length() - 100));
    }

    private static CallScope recording(List<String> into) {
        return new CallScope() {
            @Override
            public boolean taskOutput(String workerId, OutputChunk.Stream stream, String text) {
                into.add(workerId + " " + stream + " " + text);
                return true;
            }

            @Override
            public Registration onInterrupt(Runnable cancel) {
                return () -> { };
            }

            @Override
            public void cancelled(String what) {
            }
        };
    }
}
