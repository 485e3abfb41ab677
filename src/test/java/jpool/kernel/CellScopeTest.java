package jpool.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jpool.CallScope;
import jpool.OutputChunk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How a cell shows its tasks' output and reports what an interrupt cancelled (no kernel, no workers). */
class CellScopeTest {

    private final List<String> published = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final CountDownLatch firstPublication = new CountDownLatch(1);
    private final CellScope scope = new CellScope((name, text) -> {
        published.add(name + ":" + text);
        firstPublication.countDown();
    }, timers);

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    private String all(String stream) {
        StringBuilder sb = new StringBuilder();
        for (String p : published) {
            if (p.startsWith(stream + ":")) {
                sb.append(p.substring(stream.length() + 1));
            }
        }
        return sb.toString();
    }

    @Test
    void linesAreLabelledByWorkerAndKeptApartByStreamAndPiecesJoinIntoLines() {
        assertTrue(scope.taskOutput("w0", OutputChunk.Stream.STDOUT, "task 1\ntask"));
        assertTrue(scope.taskOutput("w1", OutputChunk.Stream.STDOUT, "other\n"));
        assertTrue(scope.taskOutput("w0", OutputChunk.Stream.STDOUT, " 2\n"));
        assertTrue(scope.taskOutput("w0", OutputChunk.Stream.STDERR, "careful\nno newline"));
        scope.close();
        assertEquals("[w0] task 1\n[w1] other\n[w0] task 2\n", all("stdout"));
        assertEquals("[w0] careful\n[w0] no newline\n", all("stderr"));
        assertFalse(scope.taskOutput("w0", OutputChunk.Stream.STDOUT, "late\n"), "a closed scope takes nothing");
        scope.close();
        assertFalse(String.join("", published).contains("late"));
    }

    @Test
    void aFloodShowsTheLimitAndCountsTheRestPerWorkerAndStream() {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            lines.append("line ").append(i).append('\n');
        }
        scope.taskOutput("w0", OutputChunk.Stream.STDOUT, lines.toString());
        scope.taskOutput("w1", OutputChunk.Stream.STDERR, "one\ntwo\n");
        scope.close();
        List<String> out = all("stdout").lines().toList();
        assertEquals(CellScope.LINE_LIMIT + 1, out.size());
        assertEquals("[w0] line 1999", out.get(CellScope.LINE_LIMIT - 1));
        assertEquals("[w0] ... 8,000 more lines not shown; the result's stdout() has them", out.get(CellScope.LINE_LIMIT));
        assertEquals("[w1] ... 2 more lines not shown; the result's stderr() has them\n", all("stderr"));
    }

    @Test
    void aLongLineIsCut() {
        scope.taskOutput("w0", OutputChunk.Stream.STDOUT, "x".repeat(CellScope.LINE_CHARS + 5) + "\n");
        scope.close();
        assertEquals("[w0] " + "x".repeat(CellScope.LINE_CHARS) + " ... (5 more characters)\n", all("stdout"));
    }

    @Test
    void outputIsPublishedWhileTheCellRuns() throws Exception {
        scope.taskOutput("w0", OutputChunk.Stream.STDOUT, "soon\n");
        assertTrue(firstPublication.await(10, TimeUnit.SECONDS), "published before the cell ended");
        assertEquals(List.of("stdout:[w0] soon\n"), published);
        scope.close();
        assertEquals(List.of("stdout:[w0] soon\n"), published);
    }

    @Test
    void anInterruptRunsTheWaitsTakenBeforeTheStopAndReportsWhatTheyCancelled() {
        assertNull(scope.interruptReport(0), "not interrupted");
        AtomicInteger ran = new AtomicInteger();
        scope.onInterrupt(() -> {
            ran.incrementAndGet();
            scope.cancelled("cancelled 20 tasks of pool.map (2 were running)");
        });
        CallScope.Registration ended = scope.onInterrupt(ran::incrementAndGet);
        ended.close(); // that wait ended by itself
        List<Runnable> cancels = scope.beginInterrupt();
        scope.finishInterrupt(cancels, new PrintStream(PrintStream.nullOutputStream()));
        assertEquals(1, ran.get());
        assertEquals("cancelled 20 tasks of pool.map (2 were running)", scope.interruptReport(1000));
        scope.close();
        assertEquals(new ArrayList<>(), published);
    }
}
