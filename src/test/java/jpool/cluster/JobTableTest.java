package jpool.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jpool.wire.UnitResult;
import org.junit.jupiter.api.Test;

/** The job table's bookkeeping, and what it does with a listener that throws. */
class JobTableTest {

    private final List<Long> finished = new ArrayList<>();
    private final JobTable table = new JobTable(finished::add);
    private final List<String> events = new ArrayList<>();

    private final JobListener recorder = new JobListener() {
        @Override
        public void dispatched(int index, String workerId) {
            events.add("dispatched " + index);
        }

        @Override
        public void started(int index, String workerId, long startedMicros) {
            events.add("started " + index);
        }

        @Override
        public void output(int index, String workerId, int stream, byte[] utf8) {
            events.add("output " + index);
        }

        @Override
        public void completed(int index, String workerId, UnitResult result) {
            events.add("completed " + index);
        }

        @Override
        public void failed(int index, UnitFailure failure) {
            events.add("failed " + index);
        }
    };

    private static JobSubmission job(int units, JobListener listener) {
        List<JobSubmission.Unit> list = new ArrayList<>();
        for (int i = 0; i < units; i++) {
            list.add(new JobSubmission.Unit(i, 1, new byte[0]));
        }
        return new JobSubmission(new byte[0], list, listener);
    }

    @Test
    void aJobLeavesTheTableWhenItsLastUnitIsResolvedOnce() {
        List<UnitRecord> units = table.add(7, job(2, recorder), List.of());
        assertEquals(2, units.size());
        assertTrue(table.complete(units.get(0), "w1", null));
        assertFalse(table.resolve(units.get(0)), "resolved already");
        assertEquals(List.of(), finished);
        table.fail(units.get(1), new UnitFailure(UnitFailure.Kind.TIMEOUT, "w1", -1, List.of(), "slow", null));
        assertEquals(List.of(7L), finished);
        assertTrue(table.isEmpty());
        assertNull(table.unit(units.get(1).id));
        assertEquals(List.of("completed 0", "failed 1"), events);
    }

    @Test
    void aJobWithoutUnitsIsNotKept() {
        assertEquals(List.of(), table.add(1, job(0, recorder), List.of()));
        assertEquals(List.of(), table.add(2, new JobSubmission(new byte[0],
                List.of(new JobSubmission.Unit(0, 1, new byte[0])), recorder, null, Placement.onEveryWorker()),
                List.of()));
        assertTrue(table.isEmpty());
    }

    @Test
    void aCancelledJobHearsNothingMore() {
        List<UnitRecord> units = table.add(3, job(3, recorder), List.of());
        assertEquals(units.get(0).job, table.cancel(3));
        assertNull(table.cancel(3), "cancelled once");
        units.get(1).worker = "w1";
        assertEquals(List.of(units.get(1)), table.held(units.get(1).job));
        table.dispatched(units.get(0), "w1");
        table.started(units.get(0), "w1", 1);
        table.output(units.get(0), "w1", 1, new byte[0]);
        assertFalse(table.complete(units.get(0), "w1", null));
        table.fail(units.get(1), new UnitFailure(UnitFailure.Kind.TIMEOUT, "w1", -1, List.of(), "slow", null));
        table.resolve(units.get(2));
        assertEquals(List.of(), events);
        assertEquals(List.of(3L), finished);
    }

    @Test
    void aListenerThatThrowsIsReportedAndTheUnitIsStillResolved() {
        JobListener throwing = new JobListener() {
            @Override
            public void dispatched(int index, String workerId) {
                throw new IllegalStateException("bug in dispatched");
            }

            @Override
            public void started(int index, String workerId, long startedMicros) {
            }

            @Override
            public void output(int index, String workerId, int stream, byte[] utf8) {
            }

            @Override
            public void completed(int index, String workerId, UnitResult result) {
                throw new IllegalStateException("bug in completed");
            }

            @Override
            public void failed(int index, UnitFailure failure) {
            }
        };
        List<UnitRecord> units = table.add(42, job(1, throwing), List.of());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            table.dispatched(units.get(0), "w1");
            assertTrue(table.complete(units.get(0), "w1", null));
        } finally {
            System.setErr(saved);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("the listener of job 42 threw on 'dispatched'"), text);
        assertTrue(text.contains("the listener of job 42 threw on 'completed'"), text);
        assertTrue(text.contains("bug in completed"), text);
        assertEquals(List.of(42L), finished);
    }
}
