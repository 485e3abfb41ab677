package jpool.cluster;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import jpool.wire.Message;
import jpool.wire.Protocol;
import jpool.wire.Timeouts;
import jpool.wire.WireStats;

/**
 * The controller's state behind its I/O loop: builds the {@link JobTable}, {@link Scheduler}, {@link
 * WorkerSupervisor}, {@link CodeDistribution} and {@link WorkerProtocol}, carries out the facade's
 * commands (submit, cancel, resize, shutdown, terminate), sends each round's units, settles the units of
 * lost workers, and owns the pool's run state.
 *
 * <p>Run state: running, then shutting down (no new jobs; workers are told to exit once the scheduler is
 * idle) or terminating (every unit fails with TERMINATED, every worker is killed), or broken (workers
 * cannot start or the initializer failed: every unit fails with that failure). Once stopping for good,
 * no worker is launched or replaced, and the loop ends when the last worker has exited ({@link
 * #finished}).
 *
 * <p>Confined to the I/O thread (before it starts, to the thread that starts the controller); what other
 * threads read is in {@link ControllerStatus}.
 */
final class ControllerCore implements WorkerSupervisor.Events, WorkerProtocol.Effects {

    private final ClusterConfig config;
    private final Outbox outbox;
    private final ControllerStatus status;
    private final CodeDistribution code = new CodeDistribution();
    private final JobTable jobs = new JobTable(code::jobFinished);
    private final Scheduler scheduler;
    private final WorkerSupervisor supervisor;
    private final WorkerProtocol protocol;
    private final ServiceDirectory services;
    private boolean shuttingDown;
    private boolean terminating;
    private boolean shutdownSent;
    private UnitFailure broken;

    /**
     * @param token random suffix of the workers' routing ids
     * @param ioThread runs a task on the I/O thread
     */
    ControllerCore(ClusterConfig config, String endpoint, byte[] key, String token, Outbox outbox,
            WireStats wireStats, Executor ioThread) {
        this.config = config;
        this.outbox = outbox;
        this.status = new ControllerStatus(wireStats);
        this.scheduler = new Scheduler(config.maxTasksPerChild(), config.retries());
        this.supervisor = new WorkerSupervisor(config, endpoint, key, token, outbox, ioThread, code, this);
        this.services = new ServiceDirectory((workerId, reply) -> ioThread.execute(() -> {
            WorkerRecord w = supervisor.byId(workerId);
            if (w != null) {
                outbox.send(w.identity, reply);
            }
        }));
        this.protocol = new WorkerProtocol(config, wireStats, jobs, scheduler, supervisor, status, services, this);
    }

    /** The controller's services (registration is thread-safe). */
    ServiceDirectory services() {
        return services;
    }

    /** What other threads may read. */
    ControllerStatus status() {
        return status;
    }

    WorkerSupervisor supervisor() {
        return supervisor;
    }

    /** Acts on a signed message from a worker. */
    void handle(byte[] identity, Message m) {
        protocol.handle(identity, m);
    }

    // ------------------------------------------------------------------------------------ commands

    /** Accepts a job, or fails its units at once when the pool is broken or terminated. */
    void submit(long jobId, JobSubmission submission) {
        UnitFailure refusal = broken != null ? broken : terminating ? terminated(null) : null;
        if (refusal != null) {
            JobTable.refuse(jobId, submission, refusal);
            return;
        }
        for (UnitRecord u : jobs.add(jobId, submission, scheduler.openWorkers())) {
            if (!scheduler.enqueue(u)) {
                jobs.fail(u, new UnitFailure(UnitFailure.Kind.WORKER_LOST, u.pinnedTo, -1, List.of(),
                        "worker " + u.pinnedTo + " is not in the pool, or is retiring or stopping", null));
            }
        }
    }

    /** Cancels a job: drops its queued units and asks workers to cancel (and interrupt) those they hold. */
    void cancel(long jobId, boolean interrupt) {
        JobTable.Job job = jobs.cancel(jobId);
        if (job == null) {
            return;
        }
        for (UnitRecord u : scheduler.removeQueued(job)) {
            jobs.resolve(u);
        }
        Map<String, List<Long>> perWorker = new HashMap<>();
        long graceDeadline = System.nanoTime() + config.cancelGraceMs() * 1_000_000L;
        for (UnitRecord u : jobs.held(job)) {
            perWorker.computeIfAbsent(u.worker, k -> new ArrayList<>()).add(u.id);
            if (interrupt) {
                u.cancelDeadline = graceDeadline;
            }
        }
        for (Map.Entry<String, List<Long>> e : perWorker.entrySet()) {
            outbox.send(supervisor.byId(e.getKey()).identity, new Protocol.Cancel(longs(e.getValue()), interrupt));
        }
        unitsResolved();
    }

    /**
     * The pool keeps {@code processes} workers from now on (see {@link Controller#resize}): growing launches
     * workers at once; shrinking retires the surplus, chosen in this order: workers not ready yet, then
     * idle ones, then busy ones, each group from the highest index down. A busy retiring worker is asked
     * back the units it has not started (they go to the front of the queue) and finishes the one it runs.
     * Ignored once the pool is stopping or broken.
     */
    void resize(int processes) {
        if (shuttingDown || terminating || broken != null) {
            return;
        }
        supervisor.resize(processes);
        List<WorkerRecord> counted = supervisor.counted();
        int surplus = counted.size() - processes;
        if (surplus > 0) {
            counted.sort(java.util.Comparator.comparingInt(this::retireRank)
                    .thenComparing(java.util.Comparator.comparingInt((WorkerRecord w) -> w.index).reversed()));
            for (WorkerRecord w : counted.subList(0, surplus)) {
                supervisor.retire(w);
                if (w.shutdownWhenIdle) {
                    takeBackUnstarted(w);
                }
            }
        }
        shutDownIdleRetired();
        publish();
    }

    /** Which workers a shrinking pool retires first: 0 not ready yet, 1 idle, 2 holding or awaiting units. */
    private int retireRank(WorkerRecord w) {
        if (w.state == WorkerInfo.State.STARTING || w.state == WorkerInfo.State.INITIALIZING) {
            return 0;
        }
        return scheduler.inFlight(w.id) == 0 && scheduler.waitingFor(w.id) == 0 ? 1 : 2;
    }

    /**
     * Asks a retiring worker to give back the units placed on any worker that it holds; those it has not
     * started come back as returned and are queued again (the one it runs cannot be taken back and finishes
     * there). Units pinned to it stay: they may run nowhere else.
     */
    private void takeBackUnstarted(WorkerRecord w) {
        List<Long> ids = new ArrayList<>();
        for (UnitRecord u : scheduler.held(w.id)) {
            if (u.pinnedTo == null && !u.job.cancelled) {
                u.stealRequested = true;
                ids.add(u.id);
            }
        }
        if (!ids.isEmpty()) {
            outbox.send(w.identity, new Protocol.Steal(longs(ids)));
        }
    }

    /** Tells each worker retired by a shrink that holds no unit any more to shut down. */
    private void shutDownIdleRetired() {
        for (WorkerRecord w : new ArrayList<>(supervisor.all())) {
            if (w.shutdownWhenIdle && w.state == WorkerInfo.State.RETIRING && scheduler.inFlight(w.id) == 0) {
                outbox.send(w.identity, new Protocol.Shutdown());
                supervisor.stop(w, "the pool shrank", Timeouts.SHUTDOWN_GRACE.toMillis());
            }
        }
    }

    /**
     * Workers exit once every queued unit has finished. Until then a worker that exits (maxTasksPerChild)
     * is still replaced: the queued units need somewhere to run.
     */
    void shutdown() {
        shuttingDown = true;
        unitsResolved();
    }

    /** Kills every worker; unfinished units fail with TERMINATED. */
    void terminate() {
        if (terminating) {
            return;
        }
        terminating = true;
        supervisor.windDown();
        UnitFailure f = terminated(null);
        for (UnitRecord u : scheduler.removeAll()) {
            jobs.fail(u, f);
        }
        for (WorkerRecord w : new ArrayList<>(supervisor.all())) {
            supervisor.stop(w, "pool terminated", 0);
        }
    }

    private static UnitFailure terminated(WorkerRecord w) {
        return new UnitFailure(UnitFailure.Kind.TERMINATED, w == null ? null : w.id, -1, List.of(),
                "the pool was terminated", null);
    }

    /** The first worker did not connect in time: the pool is broken unless one has connected meanwhile. */
    void startTimedOut() {
        if (!status.isConnected()) {
            broken(new UnitFailure(UnitFailure.Kind.START_FAILED, null, -1, List.of(),
                    "no worker JVM connected within " + config.startTimeoutMs() + " ms", null));
        }
    }

    @Override
    public void broken(UnitFailure failure) {
        if (broken != null) {
            return;
        }
        broken = failure;
        status.broken(failure);
        supervisor.windDown();
        for (UnitRecord u : scheduler.removeAll()) {
            jobs.fail(u, failure);
        }
        for (WorkerRecord w : new ArrayList<>(supervisor.all())) {
            supervisor.stop(w, "pool broken", 0);
        }
    }

    @Override
    public void unitsResolved() {
        shutDownIdleRetired();
        if (!shuttingDown || shutdownSent || terminating || !scheduler.idle()) {
            return;
        }
        shutdownSent = true;
        supervisor.windDown();
        for (WorkerRecord w : new ArrayList<>(supervisor.all())) {
            if (w.state == WorkerInfo.State.STARTING) {
                supervisor.stop(w, "pool shut down", 0);
            } else {
                outbox.send(w.identity, new Protocol.Shutdown());
                supervisor.stop(w, "pool shut down", Timeouts.SHUTDOWN_GRACE.toMillis());
            }
        }
    }

    /** Whether the I/O loop may end: the pool is stopping for good and every worker has exited. */
    boolean finished() {
        return (terminating || shutdownSent || broken != null) && supervisor.isEmpty();
    }

    // ------------------------------------------------------------------------------------ ticks

    /** Whether an idle worker waits for units to be stolen (the loop then ticks more often). */
    boolean stealable() {
        return scheduler.stealable();
    }

    /** Nanoseconds until the next timer round. */
    long nanosToTimers(long now) {
        return supervisor.nanosToHeartbeat(now);
    }

    /** Sends what the scheduler assigns and asks back what it would steal, then runs the timers when due. */
    void tick() {
        long now = System.nanoTime();
        Scheduler.Round round = scheduler.next(now);
        for (Map.Entry<String, List<UnitRecord>> e : round.sends().entrySet()) {
            send(supervisor.byId(e.getKey()), e.getValue());
        }
        for (Map.Entry<String, List<Long>> e : round.steals().entrySet()) {
            outbox.send(supervisor.byId(e.getKey()).identity, new Protocol.Steal(longs(e.getValue())));
        }
        timers(System.nanoTime());
        status.countUnits(scheduler);
    }

    private void send(WorkerRecord w, List<UnitRecord> batch) {
        Message tasks = code.tasks(w.id, batch);
        publish(); // BUSY from before the worker can start the units
        outbox.send(w.identity, tasks);
        for (UnitRecord u : batch) {
            jobs.dispatched(u, w.id);
        }
        if (scheduler.exhausted(w.id)) {
            supervisor.uncount(w); // start the replacement while this one finishes its last units
        }
    }

    /** After a heartbeat round: units past the task timeout, cancelled units past their grace period. */
    private void timers(long now) {
        if (!supervisor.heartbeatRound(now)) {
            return;
        }
        for (WorkerRecord w : new ArrayList<>(supervisor.all())) {
            if (w.state != WorkerInfo.State.INITIALIZING && w.state != WorkerInfo.State.READY
                    && w.state != WorkerInfo.State.RETIRING) {
                continue; // stopping (perhaps just now, by the heartbeat round) or not connected yet
            }
            if (config.taskTimeoutMs() > 0 && w.runningUnit != 0
                    && now - w.runningSince
                            > config.taskTimeout().plus(Timeouts.TASK_TIMEOUT_BACKSTOP).toNanos()) {
                UnitRecord u = scheduler.take(w.id, w.runningUnit);
                if (u != null) {
                    protocol.timedOut(w, u);
                }
                supervisor.stop(w, "task timeout", 0);
                continue;
            }
            for (UnitRecord u : scheduler.held(w.id)) {
                if (u.cancelDeadline != 0 && now > u.cancelDeadline) {
                    supervisor.stop(w, "a cancelled task did not stop within " + config.cancelGraceMs() + " ms", 0);
                    break;
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------ supervisor events

    @Override
    public void launched(WorkerRecord w) {
        status.workerStarted();
        scheduler.addWorker(w.id);
    }

    @Override
    public void changed() {
        publish();
    }

    @Override
    public void publish() {
        status.publish(supervisor, scheduler);
    }

    @Override
    public void welcomed(WorkerRecord w) {
        status.connected();
    }

    @Override
    public void ready(WorkerRecord w) {
        scheduler.ready(w.id);
    }

    @Override
    public void closed(WorkerRecord w) {
        scheduler.close(w.id);
    }

    @Override
    public void exited(WorkerRecord w, int exitCode, List<String> tail, long lastStarted) {
        code.forget(w.id);
        if (terminating) {
            if (scheduler.inFlight(w.id) > 0) {
                status.workerLost();
            }
            UnitFailure f = new UnitFailure(UnitFailure.Kind.TERMINATED, w.id, exitCode, tail,
                    "the pool was terminated", null);
            for (UnitRecord u : scheduler.forget(w.id)) {
                jobs.fail(u, f);
            }
        } else {
            Scheduler.Loss loss = scheduler.lost(w.id, startedCount(w.id, lastStarted));
            if (loss.held() > 0) {
                status.workerLost();
            }
            status.unitsRetried(loss.retried());
            String reason = w.stopReason != null ? w.stopReason : WorkerSupervisor.describeExit(exitCode);
            String who = "worker " + w.id + " (pid " + w.pid + ") died ";
            for (UnitRecord u : loss.diedRunning()) {
                jobs.fail(u, new UnitFailure(UnitFailure.Kind.WORKER_LOST, w.id, exitCode, tail,
                        who + "while running the task: " + reason, null));
            }
            for (UnitRecord u : loss.diedWaiting()) {
                jobs.fail(u, new UnitFailure(UnitFailure.Kind.WORKER_LOST, w.id, exitCode, tail,
                        who + "before it could run the task, which may run on no other worker: " + reason, null));
            }
        }
        unitsResolved();
    }

    /**
     * How many of a dead worker's units, counted from the oldest, had started: those up to the last one
     * its start record names (a finished unit whose result did not arrive counts as started, its result
     * is lost). Units start in the order they were sent, and the rest never ran.
     */
    private int startedCount(String workerId, long lastStarted) {
        int position = 0;
        for (UnitRecord u : scheduler.held(workerId)) {
            position++;
            if (u.id == lastStarted) {
                return position;
            }
        }
        return 0;
    }

    @Override
    public void startFailed(UnitFailure failure) {
        broken(failure);
    }

    private static long[] longs(List<Long> ids) {
        return ids.stream().mapToLong(Long::longValue).toArray();
    }
}
