package jpool.cluster;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import jpool.wire.Message;
import jpool.wire.Protocol;
import jpool.wire.Timeouts;

/**
 * The lifecycle of worker processes: launch, hello and welcome, ready, heartbeats and silence, retiring
 * (maxTasksPerChild, or the pool shrank), stopping, death, and replacement, so that the pool's target size
 * ({@code processes} at start, changed by {@link #resize}) of workers count towards the pool while it runs. Three workers in a row that exit before connecting, or a worker that cannot be
 * launched, mean workers cannot start: {@link Events#startFailed}.
 *
 * <p>States go STARTING, INITIALIZING (welcomed), READY, then RETIRING or STOPPING, then DEAD; a worker
 * leaves the registry when its process has exited, and only then ({@link Events#exited}).
 *
 * <p>Invariants: the registry holds every launched worker whose process has not been seen to exit; at
 * most the target of them are counted, and while the supervisor is not winding down exactly that many are
 * (a worker stops counting when it retires or is stopped, and its replacement is launched at once; a
 * worker retired because the pool shrank is not replaced). Every launched process is in {@link
 * #killAll}'s set until it has exited.
 *
 * <p>Confined to the controller's I/O thread (before that thread starts, to the thread that starts the
 * controller), except {@link #killAll}, which any thread may call.
 */
final class WorkerSupervisor {

    /** What the supervisor tells the rest of the controller; called on the I/O thread. */
    interface Events {
        /** A worker process was launched. */
        void launched(WorkerRecord w);

        /** The set of workers or the state of one changed (publish a snapshot). */
        void changed();

        /** A worker was welcomed: one has connected. */
        void welcomed(WorkerRecord w);

        /** A worker accepts units. */
        void ready(WorkerRecord w);

        /** A worker accepts no more units (it is retiring or stopping). */
        void closed(WorkerRecord w);

        /** A worker's process exited; {@code lastStarted} is the last unit its start record names (0: none). */
        void exited(WorkerRecord w, int exitCode, List<String> tail, long lastStarted);

        /** Worker JVMs cannot be started. */
        void startFailed(UnitFailure failure);
    }

    private static final boolean DEBUG = Boolean.getBoolean("jpool.debug");

    private final ClusterConfig config;
    private final String endpoint;
    private final byte[] key;
    private final String token;
    private final Outbox outbox;
    private final Executor ioThread;
    private final CodeDistribution code;
    private final Events events;
    private final Map<String, WorkerRecord> workers = new LinkedHashMap<>(); // by routing id, launch order
    /** Every launched worker not yet seen to exit: the JVM's shutdown hook kills them. */
    private final Set<WorkerHandle> handles = ConcurrentHashMap.newKeySet();
    private int nextWorkerNumber = 1;
    private int consecutiveStartFailures;
    private boolean windingDown;
    private long nextHeartbeat;
    /** How many workers count towards the pool: {@code processes} until {@link #resize}. */
    private int target;

    /**
     * @param token random suffix of routing ids: a stale worker of another controller that reconnects to a
     *     reused port must not take the routing id of one of ours
     * @param ioThread runs a task on the I/O thread (process exits are noticed on other threads)
     */
    WorkerSupervisor(ClusterConfig config, String endpoint, byte[] key, String token, Outbox outbox,
            Executor ioThread, CodeDistribution code, Events events) {
        this.config = config;
        this.endpoint = endpoint;
        this.key = key;
        this.token = token;
        this.outbox = outbox;
        this.ioThread = ioThread;
        this.code = code;
        this.events = events;
        this.target = config.processes();
    }

    /** A worker by routing id, or null. */
    WorkerRecord byRoutingId(String routingId) {
        return workers.get(routingId);
    }

    /** A worker by id ({@code w3}), or null. */
    WorkerRecord byId(String id) {
        return workers.get(id + "." + token);
    }

    /** The workers, in launch order (a live view: copy before stopping any). */
    Collection<WorkerRecord> all() {
        return workers.values();
    }

    /** Whether every launched worker has exited. */
    boolean isEmpty() {
        return workers.isEmpty();
    }

    /** Launches and replaces no more workers (shutdown, terminate, or the pool is broken). */
    void windDown() {
        windingDown = true;
    }

    /** How many workers count towards the pool now. */
    int target() {
        return target;
    }

    /**
     * Sets how many workers count towards the pool, and launches workers when that is more than count now.
     * Fewer is the caller's to carry out: it {@linkplain #retire retires} the surplus it chooses.
     */
    void resize(int processes) {
        target = processes;
        ensureWorkers();
    }

    /** The workers counted towards the pool, in launch order. */
    List<WorkerRecord> counted() {
        List<WorkerRecord> list = new ArrayList<>();
        for (WorkerRecord w : workers.values()) {
            if (w.counted) {
                list.add(w);
            }
        }
        return list;
    }

    /** Launches workers until the target count towards the pool. */
    void ensureWorkers() {
        if (windingDown) {
            return;
        }
        int live = 0;
        for (WorkerRecord w : workers.values()) {
            if (w.counted) {
                live++;
            }
        }
        while (live < target && !windingDown && (config.replaceWorkers() || nextWorkerNumber <= config.processes())) {
            launch();
            live++;
        }
        events.changed();
    }

    /** How many workers were launched for each place in the pool. */
    private final java.util.Map<Integer, Integer> launchesByIndex = new java.util.HashMap<>();

    /** The lowest place in the pool no counted worker has: a replacement takes the place of the one it replaces. */
    private int freeIndex() {
        java.util.BitSet taken = new java.util.BitSet();
        for (WorkerRecord w : workers.values()) {
            if (w.counted) {
                taken.set(w.index);
            }
        }
        return taken.nextClearBit(0);
    }

    private void launch() {
        WorkerRecord w = new WorkerRecord("w" + (nextWorkerNumber++), token, freeIndex());
        w.restarts = launchesByIndex.merge(w.index, 1, Integer::sum) - 1;
        if (DEBUG) {
            System.err.println("jpool: launching " + w.id);
        }
        w.counted = true;
        workers.put(w.routingId, w);
        try {
            w.handle = config.launcher().launch(new WorkerLauncher.Launch(w.routingId, endpoint, key, config));
        } catch (IOException | RuntimeException e) {
            workers.remove(w.routingId);
            events.startFailed(new UnitFailure(UnitFailure.Kind.START_FAILED, w.id, -1, List.of(),
                    "cannot start a worker JVM: " + e.getMessage(), null));
            return;
        }
        w.pid = w.handle.pid();
        w.host = hostOf(w.handle);
        w.launcher = config.launcher().name();
        handles.add(w.handle);
        events.launched(w);
        WorkerHandle handle = w.handle;
        handle.onExit().thenAccept(exitCode -> {
            List<String> tail = handle.outputTail(1000);
            ioThread.execute(() -> exited(w, exitCode, tail));
        });
    }

    private static String hostOf(WorkerHandle handle) {
        try {
            String host = handle.host();
            return host == null ? "" : host;
        } catch (RuntimeException e) {
            return ""; // a launcher's bug must not stop the launch
        }
    }

    /** The worker no longer counts towards the pool size; its replacement is launched now. */
    void uncount(WorkerRecord w) {
        if (w.counted) {
            w.counted = false;
            ensureWorkers();
        }
    }

    /**
     * Stops a worker: closes its standard input (a healthy worker then exits) and kills it after {@code
     * graceMs}, or at once when 0. The first reason given is kept for its death report.
     */
    void stop(WorkerRecord w, String reason, long graceMs) {
        if (w.state == WorkerInfo.State.DEAD) {
            return;
        }
        if (w.stopReason == null) {
            w.stopReason = reason;
        }
        w.state = WorkerInfo.State.STOPPING;
        w.killAt = Math.min(w.killAt, System.nanoTime() + graceMs * 1_000_000L);
        events.closed(w);
        uncount(w);
        if (graceMs == 0) {
            w.handle.kill();
        } else {
            w.handle.release(); // the worker is exiting; see WorkerMain.watchStdin
        }
        events.changed();
    }

    /** Kills every worker process at once (JVM shutdown hook and last resort); any thread. */
    void killAll() {
        for (WorkerHandle h : handles) {
            h.kill();
        }
    }

    // ------------------------------------------------------------------------------------ messages

    /** A worker said hello: welcome it (again, if it reconnected before it was ready). */
    void hello(WorkerRecord w, String host) {
        if ((w.host == null || w.host.isEmpty()) && host != null) {
            w.host = host; // the launcher's name for the host wins; the worker's own is the fallback
        }
        if (w.state == WorkerInfo.State.INITIALIZING && w.welcome != null) {
            // A worker that got no welcome within its hello timer reconnects and says hello again; the
            // welcome went to its old connection and is lost. The same welcome again (a worker takes the
            // first one it gets and ignores any other).
            outbox.send(w.identity, w.welcome);
            return;
        }
        if (w.state != WorkerInfo.State.STARTING) {
            return; // a repeated hello from a worker that is past its welcome
        }
        w.state = WorkerInfo.State.INITIALIZING;
        if (DEBUG) {
            System.err.printf("jpool: %s hello after %.1f ms%n", w.id, (System.nanoTime() - w.startedAt) / 1e6);
        }
        w.welcome = welcome(w);
        outbox.send(w.identity, w.welcome);
        events.changed();
        events.welcomed(w); // after the snapshot: who learns of the contact sees the worker
    }

    private Message welcome(WorkerRecord w) {
        byte[] init = config.initializer();
        // A new worker has been sent nothing yet: all of the initializer's code travels here, and is
        // remembered so that jobs listing the same blobs do not send them again.
        List<byte[]> initCode = init == null ? List.of() : code.frames(w.id, config.initializerCode());
        return Protocol.encode(new Protocol.Welcome(config.heartbeatMs(), config.workerSilenceMs(),
                config.taskTimeoutMs(), config.maxTasksPerChild(), config.limits(), w.index, init, initCode));
    }

    /** A worker ran its initializer. */
    void ready(WorkerRecord w) {
        if (w.state != WorkerInfo.State.INITIALIZING) {
            return;
        }
        w.state = WorkerInfo.State.READY;
        w.welcome = null;
        if (DEBUG) {
            System.err.printf("jpool: %s ready after %.1f ms%n", w.id, (System.nanoTime() - w.startedAt) / 1e6);
        }
        consecutiveStartFailures = 0;
        events.ready(w);
        events.changed();
    }

    /** A worker's heartbeat: which unit it runs, for how long. */
    void heartbeat(WorkerRecord w, long runningUnit, long elapsedMs, long heapUsed, long heapMax) {
        boolean changed = false;
        if (heapMax > 0 && (heapUsed != w.heapUsed || heapMax != w.heapMax)) {
            w.heapUsed = heapUsed;
            w.heapMax = heapMax;
            changed = true;
        }
        if (runningUnit != w.runningUnit) {
            w.runningUnit = runningUnit;
            w.runningSince = System.nanoTime() - elapsedMs * 1_000_000L;
            changed = true;
        }
        if (changed) {
            events.changed(); // a new snapshot: displays show heap and the running task
        }
    }

    /** A worker's start notice: it runs that unit now (its heartbeats say so later). */
    void started(WorkerRecord w, long unitId) {
        if (w.runningUnit != unitId) {
            w.runningUnit = unitId;
            w.runningSince = System.nanoTime() - 1_000_000L; // a worker says "started" after 1 ms
            // no snapshot here, which would cost one per task of a stream of short tasks; the next
            // result or heartbeat publishes it
        }
    }

    /**
     * The pool shrank and this worker leaves it, without a replacement. One not connected or still running
     * the initializer holds no unit and is stopped at once. Any other takes no more units and is marked to
     * be shut down once it holds none ({@link WorkerRecord#shutdownWhenIdle}): giving back the units it has
     * not started and telling it to shut down are the caller's, who knows what it holds.
     */
    void retire(WorkerRecord w) {
        if (w.state == WorkerInfo.State.STARTING || w.state == WorkerInfo.State.INITIALIZING) {
            stop(w, "the pool shrank", 0);
            return;
        }
        if (w.state != WorkerInfo.State.READY) {
            uncount(w); // retiring or stopping already
            return;
        }
        w.state = WorkerInfo.State.RETIRING;
        w.shutdownWhenIdle = true;
        events.closed(w);
        uncount(w); // nothing is launched: the target is below the count
        events.changed();
    }

    /** A worker reached maxTasksPerChild: it exits after its last units, or is killed after 10 s. */
    void bye(WorkerRecord w) {
        w.handle.release();
        w.state = WorkerInfo.State.RETIRING;
        w.killAt = System.nanoTime() + Timeouts.RETIRE_GRACE.toNanos();
        events.closed(w);
        uncount(w);
        events.changed();
    }

    // ------------------------------------------------------------------------------------ timers

    /** Starts the heartbeat clock. */
    void startHeartbeats(long now) {
        nextHeartbeat = now + config.heartbeatMs() * 1_000_000L;
    }

    /** Nanoseconds until the next heartbeat round (0 when due). */
    long nanosToHeartbeat(long now) {
        return Math.max(0, nextHeartbeat - now);
    }

    /**
     * When due: sends heartbeats, and stops workers that did not connect in time, fell silent or did not
     * exit after retiring; kills stopping workers whose grace ran out.
     *
     * @return whether this was a heartbeat round
     */
    boolean heartbeatRound(long now) {
        if (now < nextHeartbeat) {
            return false;
        }
        nextHeartbeat = now + config.heartbeatMs() * 1_000_000L;
        ensureWorkers(); // a backstop: the pool is back to full size within a heartbeat whatever was missed
        for (WorkerRecord w : new ArrayList<>(workers.values())) {
            switch (w.state) {
                case STARTING -> {
                    if (now - w.startedAt > config.startTimeoutMs() * 1_000_000L) {
                        stop(w, "did not connect within " + config.startTimeoutMs() + " ms", 0);
                    }
                }
                case INITIALIZING, READY, RETIRING -> {
                    outbox.send(w.identity, Protocol.Heartbeat.IDLE);
                    if (now - w.lastHeard > config.controllerSilenceMs() * 1_000_000L) {
                        stop(w, "silent for " + config.controllerSilenceMs() + " ms", 0);
                    } else if (w.state == WorkerInfo.State.RETIRING && now > w.killAt) {
                        stop(w, "did not exit after retiring", 0);
                    }
                }
                case STOPPING -> {
                    if (now > w.killAt) {
                        w.handle.kill();
                        w.killAt = Long.MAX_VALUE;
                    }
                }
                default -> {
                }
            }
        }
        return true;
    }

    // ------------------------------------------------------------------------------------ death

    private void exited(WorkerRecord w, int exitCode, List<String> tail) {
        boolean wasReady = w.state != WorkerInfo.State.STARTING && w.state != WorkerInfo.State.INITIALIZING;
        if (DEBUG) {
            System.err.printf("jpool: %s (pid %d) exited with code %d in state %s, reason %s, tail %s%n",
                    w.id, w.pid, exitCode, w.state, w.stopReason, tail);
        }
        w.state = WorkerInfo.State.DEAD;
        workers.remove(w.routingId);
        events.changed(); // gone before its units are reported lost
        handles.remove(w.handle);
        w.handle.release();
        w.counted = false;
        long lastStarted = w.handle.lastStartedUnit();
        w.handle.discard();
        events.exited(w, exitCode, tail, lastStarted);
        if (!wasReady && !windingDown && w.stopReason == null && ++consecutiveStartFailures >= 3) {
            events.startFailed(new UnitFailure(UnitFailure.Kind.START_FAILED, w.id, exitCode, tail,
                    "worker JVMs exit before connecting (exit code " + exitCode + "): " + String.join(" | ", tail),
                    null));
        }
        ensureWorkers();
        events.changed();
    }

    /** How an exit code reads in a death report. */
    static String describeExit(int exitCode) {
        return switch (exitCode) {
            case 137 -> "killed (exit code 137, SIGKILL)";
            case 143 -> "terminated (exit code 143, SIGTERM)";
            case 3 -> "exit code 3 (OutOfMemoryError?)";
            default -> "exit code " + exitCode;
        };
    }
}
