package jpool.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jpool.wire.UnitResult;
import org.junit.jupiter.api.Test;

/** The scheduler's rules, without sockets, processes or threads: exact placements for given states. */
class SchedulerTest {

    private static final long T0 = 1_000_000_000L;
    private static final long LATER = T0 + Scheduler.STEAL_AFTER_NANOS;

    private final List<String> events = new ArrayList<>();
    private final List<Long> finishedJobs = new ArrayList<>();
    private final JobTable jobs = new JobTable(finishedJobs::add);
    private long nextJob = 1;

    /** Records events as "event index worker". */
    private final JobListener listener = new JobListener() {
        @Override
        public void dispatched(int index, String workerId) {
            events.add("dispatched " + index + " " + workerId);
        }

        @Override
        public void started(int index, String workerId, long startedMicros) {
            events.add("started " + index + " " + workerId);
        }

        @Override
        public void output(int index, String workerId, int stream, byte[] utf8) {
            events.add("output " + index + " " + workerId);
        }

        @Override
        public void completed(int index, String workerId, UnitResult result) {
            events.add("completed " + index + " " + workerId);
        }

        @Override
        public void failed(int index, UnitFailure failure) {
            events.add("failed " + index + " " + failure.workerId() + " " + failure.kind());
        }

        @Override
        public void copied(int index, List<String> workerIds) {
            events.add("copied " + index + " " + workerIds);
        }
    };

    private static Scheduler scheduler(int maxTasksPerChild, int retries, String... ready) {
        Scheduler s = new Scheduler(maxTasksPerChild, retries);
        for (String id : ready) {
            s.addWorker(id);
            s.ready(id);
        }
        return s;
    }

    /** Submits a job of {@code n} units and queues them; returns the units. */
    private List<UnitRecord> submit(Scheduler s, int n, Placement placement) {
        List<JobSubmission.Unit> units = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            units.add(new JobSubmission.Unit(i, 1, new byte[0]));
        }
        List<UnitRecord> made = jobs.add(nextJob++, new JobSubmission(new byte[0], units, listener, null, placement),
                s.openWorkers());
        for (UnitRecord u : made) {
            assertTrue(s.enqueue(u), "queued " + u);
        }
        return made;
    }

    private static Map<String, List<UnitRecord>> sends(Scheduler s, long now) {
        return s.next(now).sends();
    }

    /** The worker reports a unit finished after {@code micros}; the unit is taken from it. */
    private static void finish(Scheduler s, String worker, UnitRecord u, long micros) {
        assertEquals(u, s.take(worker, u.id));
        s.ran(worker, new UnitResult(u.id, UnitResult.VALUES, 1_000, 1_000 + micros, new int[0], new byte[0]));
    }

    @Test
    void aUnitGoesToAnIdleWorkerBeforeOneWithPrefetchCredit() {
        Scheduler s = scheduler(0, 0, "w1", "w2");
        UnitRecord first = submit(s, 1, Placement.any()).get(0);
        assertEquals(Map.of("w1", List.of(first)), sends(s, T0)); // a tie goes to the first worker
        UnitRecord second = submit(s, 1, Placement.any()).get(0);
        // w1 still has credit 1, but w2 is idle
        assertEquals(Map.of("w2", List.of(second)), sends(s, T0));
    }

    @Test
    void anIdleWorkerBeatsABusyOneWithLargerCredit() {
        Scheduler s = scheduler(0, 0, "w1");
        UnitRecord tiny = submit(s, 1, Placement.any()).get(0);
        sends(s, T0);
        finish(s, "w1", tiny, 100); // w1's credit is now 21
        UnitRecord longOne = submit(s, 1, Placement.any()).get(0);
        assertEquals(Map.of("w1", List.of(longOne)), sends(s, T0));
        s.addWorker("w2");
        s.ready("w2"); // credit 2, idle
        UnitRecord quick = submit(s, 1, Placement.any()).get(0);
        assertEquals(Map.of("w2", List.of(quick)), sends(s, T0), "the quick unit must not wait behind the long one");
    }

    @Test
    void prefetchCreditFollowsTheRunTimeAndMaxTasksPerChild() {
        Scheduler s = scheduler(0, 0, "w1");
        List<UnitRecord> units = submit(s, 40, Placement.any());
        assertEquals(2, sends(s, T0).get("w1").size(), "two before the first result");
        finish(s, "w1", units.get(0), 100);
        finish(s, "w1", units.get(1), 100);
        // 1 + ceil(2000 / 100) = 21 units in flight
        assertEquals(21, sends(s, T0).get("w1").size());
        assertEquals(21, s.inFlight("w1"));

        Scheduler slow = scheduler(0, 0, "w1");
        List<UnitRecord> slowUnits = submit(slow, 3, Placement.any());
        sends(slow, T0);
        finish(slow, "w1", slowUnits.get(0), 5_000);
        assertEquals(Map.of(), sends(slow, T0), "units of 5 ms or more: one at a time, and one is in flight");
        finish(slow, "w1", slowUnits.get(1), 5_000);
        assertEquals(Map.of("w1", List.of(slowUnits.get(2))), sends(slow, T0));

        Scheduler limited = scheduler(3, 0, "w1");
        List<UnitRecord> limitedUnits = submit(limited, 5, Placement.any());
        assertEquals(List.of(limitedUnits.get(0), limitedUnits.get(1)), sends(limited, T0).get("w1"));
        finish(limited, "w1", limitedUnits.get(0), 100);
        assertEquals(List.of(limitedUnits.get(2)), sends(limited, T0).get("w1"), "the third and last of its life");
        assertTrue(limited.exhausted("w1"));
        assertEquals(List.of(), limited.openWorkers());
        finish(limited, "w1", limitedUnits.get(1), 100);
        assertEquals(Map.of(), sends(limited, T0));
    }

    @Test
    void anIdleWorkerStealsFromAPrefetchQueueOnceTheHeadHasRunLongEnough() {
        Scheduler s = scheduler(0, 0, "w1");
        s.addWorker("w2");
        List<UnitRecord> units = submit(s, 4, Placement.any());
        assertEquals(List.of(units.get(0), units.get(1)), sends(s, T0).get("w1"));
        finish(s, "w1", units.get(0), 100);
        assertEquals(List.of(units.get(2), units.get(3)), sends(s, T0).get("w1"));
        assertEquals(3, s.inFlight("w1"));
        assertFalse(s.stealable(), "no idle worker yet");
        s.ready("w2");
        assertTrue(s.stealable());
        assertEquals(Map.of(), s.next(LATER - 1).steals(), "the head has not run long enough");
        Scheduler.Round round = s.next(LATER);
        assertEquals(Map.of(), round.sends());
        // half of the three it holds, from the newest, never the head (unit 1)
        assertEquals(Map.of("w1", List.of(units.get(3).id)), round.steals());
        // the next round asks for up to half again, skipping units asked for already; never the head
        assertEquals(Map.of("w1", List.of(units.get(2).id)), s.next(LATER).steals());
        assertEquals(Map.of(), s.next(LATER).steals());

        UnitRecord back = s.take("w1", units.get(3).id);
        s.givenBack("w1");
        s.requeueFirst(List.of(back));
        assertEquals(Map.of("w2", List.of(back)), sends(s, LATER));
    }

    @Test
    void unitsPinnedToAWorkerAreNeverStolen() {
        Scheduler s = scheduler(0, 0, "w1", "w2");
        s.close("w2");
        s.addWorker("w3");
        List<UnitRecord> pinned = submit(s, 2, Placement.onWorker("w1"));
        assertEquals(Map.of("w1", pinned), sends(s, T0));
        s.ready("w3");
        assertFalse(s.stealable());
        assertEquals(Map.of(), s.next(LATER).steals());
    }

    @Test
    void aUnitForAGivenWorkerWaitsForThatWorker() {
        Scheduler s = scheduler(0, 0, "w1");
        s.addWorker("w2");
        UnitRecord forW2 = submit(s, 1, Placement.onWorker("w2")).get(0);
        assertEquals(Map.of(), sends(s, T0), "w1 is idle, but the unit is for w2");
        UnitRecord any = submit(s, 1, Placement.any()).get(0);
        assertEquals(Map.of("w1", List.of(any)), sends(s, T0));
        s.ready("w2");
        assertEquals(Map.of("w2", List.of(forW2)), sends(s, T0));
        assertEquals("w2", forW2.worker);
    }

    @Test
    void aWorkersOwnUnitsGoBeforeSharedOnes() {
        Scheduler s = scheduler(0, 0);
        s.addWorker("w1");
        List<UnitRecord> shared = submit(s, 2, Placement.any());
        List<UnitRecord> own = submit(s, 2, Placement.onWorker("w1"));
        s.ready("w1");
        assertEquals(Map.of("w1", own), sends(s, T0), "credit 2, both taken by its own units");
        finish(s, "w1", own.get(0), 10_000);
        finish(s, "w1", own.get(1), 10_000);
        assertEquals(Map.of("w1", List.of(shared.get(0))), sends(s, T0));
    }

    @Test
    void aUnitForAWorkerThatIsNotInThePoolIsRefused() {
        Scheduler s = scheduler(0, 0, "w1", "w2");
        s.close("w2");
        UnitRecord unknown = jobs.add(nextJob++, new JobSubmission(new byte[0],
                List.of(new JobSubmission.Unit(0, 1, new byte[0])), listener, null, Placement.onWorker("w9")),
                s.openWorkers()).get(0);
        assertFalse(s.enqueue(unknown));
        UnitRecord closed = jobs.add(nextJob++, new JobSubmission(new byte[0],
                List.of(new JobSubmission.Unit(0, 1, new byte[0])), listener, null, Placement.onWorker("w2")),
                s.openWorkers()).get(0);
        assertFalse(s.enqueue(closed));
        assertTrue(s.idle());
    }

    @Test
    void everyWorkerGetsOneCopyOfEachUnit() {
        Scheduler s = scheduler(0, 0, "w1", "w2", "w3");
        s.close("w3"); // retiring: not a current worker
        s.addWorker("w4"); // starting: a current worker
        List<UnitRecord> copies = submit(s, 2, Placement.onEveryWorker());
        assertEquals(List.of("copied 0 [w1, w2, w4]", "copied 1 [w1, w2, w4]"), events);
        assertEquals(6, copies.size());
        assertEquals(List.of("w1", "w2", "w4", "w1", "w2", "w4"), copies.stream().map(u -> u.pinnedTo).toList());
        Map<String, List<UnitRecord>> sent = sends(s, T0);
        assertEquals(List.of(copies.get(0), copies.get(3)), sent.get("w1"));
        assertEquals(List.of(copies.get(1), copies.get(4)), sent.get("w2"));
        assertNull(sent.get("w4"), "w4 is not ready yet");
        s.ready("w4");
        assertEquals(Map.of("w4", List.of(copies.get(2), copies.get(5))), sends(s, T0));
    }

    @Test
    void aLostWorkersUnitsPlacedOnAnyWorkerRunElsewhere() {
        Scheduler s = scheduler(0, 1, "w1", "w2");
        s.close("w2");
        List<UnitRecord> units = submit(s, 3, Placement.any());
        sends(s, T0); // w1 holds units 0 and 1
        Scheduler.Loss loss = s.lost("w1", 1); // unit 0 had started, unit 1 had not
        assertEquals(List.of(), loss.diedRunning());
        assertEquals(List.of(), loss.diedWaiting());
        assertEquals(1, loss.retried());
        assertEquals(2, loss.held());
        assertEquals(1, units.get(0).attempts);
        assertEquals(0, units.get(1).attempts);
        s.addWorker("w3");
        s.ready("w3");
        assertEquals(Map.of("w3", List.of(units.get(0), units.get(1))), sends(s, T0), "in their old order, first");

        Scheduler.Loss again = s.lost("w3", 2); // both started; unit 0 has no retry left
        assertEquals(List.of(units.get(0)), again.diedRunning());
        assertEquals(1, again.retried());
    }

    @Test
    void aLostWorkersPinnedUnitsFailAndDoNotRunElsewhere() {
        Scheduler s = scheduler(0, 3, "w1", "w2");
        List<UnitRecord> pinned = submit(s, 3, Placement.onWorker("w1"));
        assertEquals(Map.of("w1", List.of(pinned.get(0), pinned.get(1))), sends(s, T0));
        Scheduler.Loss loss = s.lost("w1", 1);
        assertEquals(List.of(pinned.get(0)), loss.diedRunning());
        assertEquals(List.of(pinned.get(1), pinned.get(2)), loss.diedWaiting(), "sent but not started, and queued");
        assertEquals(0, loss.retried());
        assertTrue(s.idle(), "nothing queued for w2");
        assertEquals(Map.of(), sends(s, T0));
    }

    @Test
    void aLostWorkersCopyFailsWithWorkerLostAndTheOtherCopiesRun() {
        Scheduler s = scheduler(0, 3, "w1", "w2");
        List<UnitRecord> copies = submit(s, 1, Placement.onEveryWorker());
        sends(s, T0);
        events.clear();
        Scheduler.Loss loss = s.lost("w1", 1);
        assertEquals(List.of(copies.get(0)), loss.diedRunning());
        for (UnitRecord u : loss.diedRunning()) {
            jobs.fail(u, new UnitFailure(UnitFailure.Kind.WORKER_LOST, "w1", 137, List.of(), "died", null));
        }
        assertEquals(List.of("failed 0 w1 WORKER_LOST"), events);
        assertEquals(List.of(), finishedJobs, "the copy on w2 is still running");
        finish(s, "w2", copies.get(1), 100);
        jobs.complete(copies.get(1), "w2", null);
        assertEquals(List.of("failed 0 w1 WORKER_LOST", "completed 0 w2"), events);
        assertEquals(List.of(1L), finishedJobs);
        assertTrue(s.idle());
    }

    @Test
    void aCancelledJobsQueuedUnitsLeaveEveryQueue() {
        Scheduler s = scheduler(0, 0);
        s.addWorker("w1");
        List<UnitRecord> shared = submit(s, 2, Placement.any());
        List<UnitRecord> own = submit(s, 1, Placement.onWorker("w1"));
        assertEquals(shared, s.removeQueued(shared.get(0).job));
        assertEquals(own, s.removeQueued(own.get(0).job));
        assertTrue(s.idle());
    }
}
