package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
}
