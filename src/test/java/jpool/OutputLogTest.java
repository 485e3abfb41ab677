package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a result keeps of its tasks' output, and what it passes to the submitter's scope. */
class OutputLogTest {

    @Test
    void eachStreamKeepsItsFirstSixteenMebicharsAndSaysHowMuchMoreThereWas() {
        OutputLog log = new OutputLog(Runnable::run, null);
        String line = "0123456789abcde\n"; // 16 characters
        String block = line.repeat(64 * 1024); // 1 Mi characters
        for (int i = 0; i < 17; i++) {
            log.append("w0", 0, OutputChunk.Stream.STDOUT, block);
        }
        log.append("w0", 0, OutputChunk.Stream.STDERR, "kept apart\n");
        String out = log.stdout();
        assertEquals(block.repeat(16), out.substring(0, OutputLog.KEPT_CHARS));
        assertEquals(String.format("%n[jpool: 1,048,576 more characters not kept; a result keeps the first"
                + " 16,777,216 of each stream]%n"), out.substring(OutputLog.KEPT_CHARS));
        assertEquals("kept apart\n", log.stderr());
    }

    @Test
    void theScopeGetsOutputUntilItSaysItHasEnded() {
        List<String> got = new ArrayList<>();
        boolean[] open = {true};
        CallScope scope = new CallScope() {
            @Override
            public boolean taskOutput(String workerId, OutputChunk.Stream stream, String text) {
                if (open[0]) {
                    got.add(workerId + " " + stream + " " + text);
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
        OutputLog log = new OutputLog(Runnable::run, scope);
        log.append("w1", 0, OutputChunk.Stream.STDOUT, "a\n");
        log.append("w1", 0, OutputChunk.Stream.STDERR, "b\n");
        open[0] = false;
        log.append("w1", 0, OutputChunk.Stream.STDOUT, "c\n");
        open[0] = true; // a scope never reopens; the log asks no more anyway
        log.append("w1", 0, OutputChunk.Stream.STDOUT, "d\n");
        assertEquals(List.of("w1 STDOUT a\n", "w1 STDERR b\n"), got);
        assertEquals("a\nc\nd\n", log.stdout());
        assertFalse(log.stderr().isEmpty());
    }

    @Test
    void theRecentLinesAreKeptPerWorkerAndStreamWithTheCountOfEarlierOnes() {
        OutputLog log = new OutputLog(Runnable::run, null);
        log.append("w1", 0, OutputChunk.Stream.STDOUT, "one\ntw");
        log.append("w2", 1, OutputChunk.Stream.STDERR, "warning\n");
        log.append("w1", 0, OutputChunk.Stream.STDOUT, "o\nthree");
        List<RecentOutput> recent = log.recent();
        assertEquals(List.of(new RecentOutput("w2", OutputChunk.Stream.STDERR, List.of("warning"), 0),
                new RecentOutput("w1", OutputChunk.Stream.STDOUT, List.of("one", "two", "three"), 0)), recent,
                "least recently printed first; an incomplete last line is shown");

        // a million lines in pieces of a thousand: ten kept, the rest counted
        StringBuilder piece = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            piece.append("line ").append(i).append('\n');
        }
        for (int p = 0; p < 1000; p++) {
            log.append("w1", 0, OutputChunk.Stream.STDOUT, piece.toString());
        }
        RecentOutput w1 = log.recent().get(1);
        assertEquals("w1", w1.workerId());
        assertEquals(RecentOutput.LINES, w1.lines().size());
        assertEquals("line 990", w1.lines().get(0));
        assertEquals("line 999", w1.lines().get(9));
        assertEquals(1_000_000 + 2 - RecentOutput.LINES, w1.earlierLines(), "two lines before the million");

        log.append("w2", 1, OutputChunk.Stream.STDERR, "x".repeat(5000) + "\n");
        String cut = log.recent().get(1).lines().get(1);
        assertEquals(RecentOutput.LINE_CHARS + 3, cut.length());
        assertTrue(cut.endsWith("x..."), cut);
    }

    @Test
    void onlyTheWorkersThatPrintedMostRecentlyKeepLines() {
        OutputLog log = new OutputLog(Runnable::run, null);
        for (int w = 0; w < 100; w++) {
            log.append("w" + w, w, OutputChunk.Stream.STDOUT, "from " + w + "\n");
        }
        List<RecentOutput> recent = log.recent();
        assertEquals(RecentOutput.STREAMS, recent.size());
        assertEquals("w" + (100 - RecentOutput.STREAMS), recent.get(0).workerId());
        assertEquals("w99", recent.get(recent.size() - 1).workerId());
        assertTrue(log.stdout().startsWith("from 0\nfrom 1\n"), "the streams keep everything");
    }
}
