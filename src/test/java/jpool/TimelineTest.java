package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link AsyncResult#timeline()}: which worker ran which units when, how they ended, the idle time between
 * them, and the bound on its size, on worker JVMs and on threads; {@link UnitTimeline}'s merging and lanes
 * with events made up by the test.
 */
@ExtendWith(NoWorkersLeft.class)
@Timeout(120)
class TimelineTest {

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    private static boolean allReady(Pool pool, int n) {
        List<PoolWorker> ws = pool.workers();
        return ws.size() == n && ws.stream().allMatch(w -> w.state() == PoolWorker.State.READY);
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    @Test
    void eachWorkerHasALaneWithItsUnitsAndTheIdleTimeAfterTheShortOne() throws Exception {
        try (Pool pool = Pool.create(2)) {
            await(() -> allReady(pool, 2), "both workers are ready");
            assertTrue(pool.mapAsync(x -> x, List.of(0, 1), 1).await(Duration.ofSeconds(30)));
            MapResult<Integer> r = pool.mapAsync(x -> {
                Thread.sleep(x == 0 ? 1500 : 100);
                return x;
            }, List.of(0, 1), 1);
            assertTrue(r.timeline().isEmpty() || r.timeline().lanes().size() <= 2);
            r.get(30, TimeUnit.SECONDS);
            Timeline t = r.timeline();
            assertEquals(r.started().orElseThrow(), t.origin().orElseThrow());
            assertEquals(2, t.lanes().size(), t.toString());
            assertTrue(seconds(t.length()) >= 1.45, "length " + t.length());
            Timeline.Lane slow = t.lanes().stream().filter(l -> seconds(l.busy()) >= 1.45).findFirst().orElseThrow();
            Timeline.Lane fast = t.lanes().stream().filter(l -> l != slow).findFirst().orElseThrow();
            assertEquals(1, slow.units());
            assertEquals(1, fast.units());
            Timeline.Span quick = fast.spans().get(0);
            assertEquals(Timeline.Outcome.DONE, quick.outcome());
            assertTrue(seconds(quick.busy()) >= 0.09 && seconds(quick.busy()) < 1.0, "busy " + quick.busy());
            assertTrue(seconds(t.length()) - seconds(quick.end()) > 0.4,
                    "the fast worker idles after its unit: " + quick + " in " + t.length());
            for (Timeline.Lane l : t.lanes()) {
                for (Timeline.Span s : l.spans()) {
                    assertTrue(s.end().compareTo(t.length()) <= 0, s + " ends after " + t.length());
                }
            }
            assertEquals(t.length(), r.timeline().length(), "a finished result's timeline no longer grows");
        }
    }

    @Test
    void runningUnitsAreRunningUntilTheResultIsCancelledAndThenCancelled() throws Exception {
        try (Pool pool = Pool.create(2)) {
            await(() -> allReady(pool, 2), "both workers are ready");
            MapResult<Integer> r = pool.mapAsync(x -> {
                Thread.sleep(20_000);
                return x;
            }, List.of(0, 1), 1);
            await(() -> r.timeline().lanes().size() == 2, "both units have started: " + r.timeline());
            for (Timeline.Lane l : r.timeline().lanes()) {
                assertEquals(Timeline.Outcome.RUNNING, l.spans().get(0).outcome());
            }
            Duration before = r.timeline().length();
            await(() -> r.timeline().length().compareTo(before) > 0, "a running timeline grows with the clock");
            assertTrue(r.cancel(true));
            Timeline t = r.timeline();
            for (Timeline.Lane l : t.lanes()) {
                assertEquals(List.of(Timeline.Outcome.CANCELLED),
                        l.spans().stream().map(Timeline.Span::outcome).toList(), t.toString());
            }
        }
    }

    @Test
    void aUnitWithAFailedElementIsFailed() throws Exception {
        try (Pool pool = Pool.create(1)) {
            MapResult<Integer> r = pool.mapAsync(x -> {
                if (x == 1) {
                    throw new IllegalStateException("no " + x);
                }
                return x;
            }, List.of(0, 1, 2, 3), 2);
            assertTrue(r.await(Duration.ofSeconds(30)));
            Timeline.Lane lane = r.timeline().lanes().get(0);
            assertEquals(2, lane.units());
            assertTrue(lane.spans().stream().anyMatch(s -> s.outcome() == Timeline.Outcome.FAILED), lane.toString());
            assertTrue(lane.spans().stream().anyMatch(s -> s.outcome() == Timeline.Outcome.DONE), lane.toString());
            assertEquals(4, lane.spans().stream().mapToInt(Timeline.Span::elements).sum());
        }
    }

    @Test
    void aHundredThousandElementMapKeepsItsTimelineBoundedAndCountsEveryUnit() throws Exception {
        try (Pool pool = Pool.threads(2)) {
            List<Integer> xs = IntStream.range(0, 100_000).boxed().toList();
            MapResult<Integer> r = pool.mapAsync(x -> {
                if (x % 2 == 1) {
                    throw new IllegalArgumentException("odd");
                }
                return x;
            }, xs, 1);
            assertTrue(r.await(Duration.ofSeconds(60)));
            Timeline t = r.timeline();
            assertEquals(2, t.lanes().size());
            int units = 0;
            int elements = 0;
            for (Timeline.Lane l : t.lanes()) {
                assertTrue(l.spans().size() <= Timeline.MAX_SPANS, l.spans().size() + " spans");
                units += l.units();
                elements += l.spans().stream().mapToInt(Timeline.Span::elements).sum();
                assertTrue(l.spans().stream().anyMatch(s -> s.outcome() == Timeline.Outcome.FAILED));
                for (int i = 1; i < l.spans().size(); i++) {
                    assertTrue(l.spans().get(i - 1).start().compareTo(l.spans().get(i).start()) <= 0);
                }
                assertTrue(l.busy().compareTo(t.length()) <= 0, l.busy() + " busy in " + t.length());
            }
            assertEquals(100_000, units);
            assertEquals(100_000, elements);
            assertEquals(0, t.omittedUnits());
        }
    }

    // ------------------------------------------------------------------ UnitTimeline alone

    private static final long T0 = 1_700_000_000_000_000L;

    @Test
    void shortLanesKeepEveryGap() {
        UnitTimeline u = new UnitTimeline();
        for (int i = 0; i < 10; i++) {
            u.finished(i, "w1", T0 + i * 1_000_000L, T0 + i * 1_000_000L + 500_000, 1, Timeline.Outcome.DONE);
        }
        Timeline t = u.snapshot(T0 + 20_000_000, T0 + 9_000_000);
        assertEquals(Duration.ofMillis(9_500), t.length(), "to the latest end when the finish came first");
        Timeline.Lane l = t.lanes().get(0);
        assertEquals(10, l.spans().size());
        assertEquals(Duration.ofSeconds(5), l.busy());
        assertEquals(Duration.ofSeconds(3), l.spans().get(3).start());
    }

    @Test
    void aFullLaneMergesNeighboursAndKeepsItsShapeAndCounts() {
        UnitTimeline u = new UnitTimeline();
        // 10,000 units of 1 ms, 10 µs apart, then a pause of 5 s, then 10,000 more
        long at = T0;
        for (int i = 0; i < 20_000; i++) {
            if (i == 10_000) {
                at += 5_000_000;
            }
            u.finished(i, "w1", at, at + 1_000, 1, i % 3 == 0 ? Timeline.Outcome.FAILED : Timeline.Outcome.DONE);
            at += 1_010;
        }
        Timeline t = u.snapshot(at, 0);
        Timeline.Lane l = t.lanes().get(0);
        assertTrue(l.spans().size() <= Timeline.MAX_SPANS, l.spans().size() + " spans");
        assertEquals(20_000, l.units());
        assertEquals(Duration.ofSeconds(20), l.busy());
        boolean pauseKept = false;
        for (int i = 1; i < l.spans().size(); i++) {
            Duration gap = l.spans().get(i).start().minus(l.spans().get(i - 1).end());
            pauseKept |= gap.compareTo(Duration.ofSeconds(4)) > 0;
        }
        assertTrue(pauseKept, "the 5 s pause is still a gap: " + l.spans());
        assertTrue(l.spans().stream().anyMatch(s -> s.outcome() == Timeline.Outcome.FAILED),
                "a merged span keeps the failure of a part");
    }

    @Test
    void aUnitStartedAgainElsewhereWasLostAndAnOpenOneFailsOrIsCancelled() {
        UnitTimeline u = new UnitTimeline();
        u.started(0, "w1", T0, 3);
        u.started(1, "w2", T0 + 10, 3);
        u.dispatched(0, "w3", T0 + 2_000_000); // w1 died; the unit is retried on w3
        u.started(0, "w3", T0 + 2_100_000, 3);
        u.failed(1, T0 + 3_000_000); // timed out
        u.started(2, "w1", T0 + 3_000_000, 3);
        u.cancelAll(T0 + 4_000_000);
        Timeline t = u.snapshot(T0 + 5_000_000, T0 + 4_000_000);
        assertEquals(List.of("w1", "w2", "w3"), t.lanes().stream().map(Timeline.Lane::workerId).toList());
        assertEquals(List.of(Timeline.Outcome.LOST, Timeline.Outcome.CANCELLED), outcomes(t.lanes().get(0)));
        assertEquals(List.of(Timeline.Outcome.FAILED), outcomes(t.lanes().get(1)));
        assertEquals(List.of(Timeline.Outcome.CANCELLED), outcomes(t.lanes().get(2)));
        assertEquals(Duration.ofSeconds(4), t.length());
        assertEquals(Duration.ofSeconds(2), t.lanes().get(0).spans().get(0).end());
    }

    @Test
    void workersBeyondTheLaneLimitAreCounted() {
        UnitTimeline u = new UnitTimeline();
        for (int i = 0; i < Timeline.MAX_LANES + 36; i++) {
            u.finished(i, "w" + i, T0 + i, T0 + i + 100, 1, Timeline.Outcome.DONE);
        }
        u.started(1000, "w9999", T0 + 500, 1);
        Timeline t = u.snapshot(T0 + 1_000, 0);
        assertEquals(Timeline.MAX_LANES, t.lanes().size());
        assertEquals(37, t.omittedUnits());
        assertFalse(t.isEmpty());
        assertTrue(Timeline.empty().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new Timeline.Span(Duration.ofSeconds(2),
                Duration.ofSeconds(1), Duration.ZERO, 1, 1, Timeline.Outcome.DONE));
    }

    private static List<Timeline.Outcome> outcomes(Timeline.Lane l) {
        return l.spans().stream().map(Timeline.Span::outcome).toList();
    }
}
