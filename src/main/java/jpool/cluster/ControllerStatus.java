package jpool.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jpool.wire.WireStats;

/**
 * What the controller's I/O thread publishes for other threads: the worker snapshot, the counters,
 * whether a worker has connected, why the pool broke, and whether it still accepts jobs.
 *
 * <p>Written by the I/O thread (and {@link #stopAccepting} by any), read by any thread: every field is
 * volatile, atomic or a latch. The first-contact latch is released when a worker is welcomed, when the
 * pool breaks, and when the controller stops; {@link #connected} and {@link #brokenFailure} are set
 * before it is released.
 */
final class ControllerStatus {

    private final WireStats wireStats;
    private final CountDownLatch firstContact = new CountDownLatch(1);
    private volatile boolean connected;
    private volatile UnitFailure brokenFailure;
    private volatile boolean acceptingJobs = true;
    private volatile List<WorkerInfo> snapshot = List.of();
    private final AtomicLong workersLost = new AtomicLong();
    private final AtomicLong unitsRetried = new AtomicLong();
    private final AtomicLong unitsCompleted = new AtomicLong();
    private final AtomicLong workersStarted = new AtomicLong();
    private volatile int queuedUnits;
    private volatile int heldUnits;

    ControllerStatus(WireStats wireStats) {
        this.wireStats = wireStats;
    }

    /** Waits for the first contact, or for the controller to give up or stop. */
    boolean awaitContact(long timeout, TimeUnit unit) throws InterruptedException {
        return firstContact.await(timeout, unit);
    }

    /** Releases the waiters for a first contact (the controller stopped). */
    void releaseContactWaiters() {
        firstContact.countDown();
    }

    /** A worker was welcomed. */
    void connected() {
        connected = true;
        firstContact.countDown();
    }

    boolean isConnected() {
        return connected;
    }

    /** The pool is broken (first call only, from the I/O thread): it accepts no more jobs. */
    void broken(UnitFailure failure) {
        brokenFailure = failure;
        acceptingJobs = false;
        firstContact.countDown();
    }

    /** Why the pool is broken, or null. */
    UnitFailure brokenFailure() {
        return brokenFailure;
    }

    boolean acceptingJobs() {
        return acceptingJobs;
    }

    /** Refuses new jobs from now on; any thread. */
    void stopAccepting() {
        acceptingJobs = false;
    }

    /** Publishes a new worker snapshot built from the supervisor's and the scheduler's view. */
    void publish(WorkerSupervisor supervisor, Scheduler scheduler) {
        List<WorkerInfo> list = new ArrayList<>();
        List<String> open = scheduler.openWorkers();
        long nowNanos = System.nanoTime();
        long nowMillis = System.currentTimeMillis();
        for (WorkerRecord w : supervisor.all()) {
            int inFlight = scheduler.inFlight(w.id);
            WorkerInfo.State state = w.state == WorkerInfo.State.READY && inFlight > 0 ? WorkerInfo.State.BUSY
                    : w.state;
            UnitRecord running = w.runningUnit == 0 ? null : scheduler.held(w.id, w.runningUnit);
            list.add(new WorkerInfo(w.id, w.pid, state, scheduler.completed(w.id), inFlight, w.index,
                    open.contains(w.id), w.host, w.launcher, w.unitsFailed,
                    running == null ? 0 : running.job.id,
                    running == null ? 0 : nowMillis - (nowNanos - w.runningSince) / 1_000_000,
                    w.heapUsed, w.heapMax, nowMillis - (nowNanos - w.startedAt) / 1_000_000, w.restarts));
        }
        snapshot = List.copyOf(list);
        countUnits(scheduler);
    }

    /** Publishes how many units are queued and how many workers hold (with every snapshot and each loop round). */
    void countUnits(Scheduler scheduler) {
        queuedUnits = scheduler.queuedUnits();
        heldUnits = scheduler.heldUnits();
    }

    List<WorkerInfo> snapshot() {
        return snapshot;
    }

    void workerStarted() {
        workersStarted.incrementAndGet();
    }

    void workerLost() {
        workersLost.incrementAndGet();
    }

    void unitsRetried(int n) {
        unitsRetried.addAndGet(n);
    }

    void unitCompleted() {
        unitsCompleted.incrementAndGet();
    }

    ControllerStats stats() {
        return new ControllerStats(wireStats.received(), wireStats.sent(), wireStats.droppedUnsigned(),
                wireStats.droppedMalformed(), wireStats.droppedOversized(), workersStarted.get(), workersLost.get(),
                unitsRetried.get(), unitsCompleted.get(), queuedUnits, heldUnits);
    }
}
