package jpool.cluster;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import jpool.wire.Message;
import jpool.wire.OutputPiece;
import jpool.wire.PayloadCodec;
import jpool.wire.Signer;
import jpool.wire.StartRecord;
import jpool.wire.TaskCodec;
import jpool.wire.Timeouts;
import jpool.wire.UnitResult;
import jpool.wire.UnitWire;
import jpool.wire.Wire;
import jpool.wire.WireStats;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The controller of a set of worker JVMs: binds a ZeroMQ ROUTER on 127.0.0.1, launches and supervises
 * workers, schedules units onto them and routes results back to each job's {@link JobListener}.
 *
 * <p>Threading: one I/O thread owns the ROUTER socket and all scheduling state. Other threads talk to
 * it by queueing commands and waking it through an inproc socket; nothing polls with sleeps. Public
 * methods are thread-safe.
 *
 * <p>Scheduling: units wait in one FIFO queue; each ready worker holds at most a small, adaptive number
 * of units (one for long units, up to a few hundred for tiny ones), so that tiny units pipeline while
 * long ones stay balanced. Several units to one worker travel in one message.
 */
public final class Controller {

    private static final AtomicLong CONTROLLERS = new AtomicLong();
    private static final boolean DEBUG = Boolean.getBoolean("jpool.debug");
    private static final long STEAL_AFTER_NANOS = 5_000_000L;

    private final ClusterConfig config;
    private final byte[] key = Signer.newKey();
    private final WireStats wireStats = new WireStats();
    private final ZContext ctx = new ZContext(1);
    private final ZMQ.Socket router;
    private final ZMQ.Socket wakeRecv;
    private final ZMQ.Socket wakeSend;
    private final Wire wire;
    private final String endpoint;
    private final int port;
    private final Thread ioThread;
    private final Thread shutdownHook;
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    /** Counted down when the first worker connects, when the pool breaks, or when the controller stops. */
    private final CountDownLatch firstContact = new CountDownLatch(1);
    private volatile boolean connected;
    private volatile UnitFailure brokenFailure;
    private final long controllerNumber = CONTROLLERS.incrementAndGet();
    /**
     * Random suffix of worker routing ids: a stale worker of another controller that reconnects to a
     * reused port must not take the routing id of one of ours.
     */
    private final String token = Long.toHexString(new java.security.SecureRandom().nextLong());
    private final Set<Process> children = java.util.concurrent.ConcurrentHashMap.newKeySet();

    // ---- I/O-thread state
    private final Map<String, WorkerRecord> workers = new LinkedHashMap<>();
    private final ArrayDeque<Unit> queue = new ArrayDeque<>();
    private final Map<Long, Unit> units = new HashMap<>();
    private final Map<Long, Job> jobs = new HashMap<>();
    private long nextUnitId = 1;
    private int nextWorkerNumber = 1;
    private int consecutiveStartFailures;
    private boolean shuttingDown;
    private boolean terminating;
    private boolean shutdownSent;
    private UnitFailure broken;
    private long nextHeartbeat;

    // ---- counters readable from any thread
    private final AtomicLong workersStarted = new AtomicLong();
    private final AtomicLong workersLost = new AtomicLong();
    private final AtomicLong unitsRetried = new AtomicLong();
    private final AtomicLong unitsCompleted = new AtomicLong();
    private final AtomicLong nextJobId = new AtomicLong(1);
    private volatile List<WorkerInfo> workerSnapshot = List.of();
    private volatile boolean acceptingJobs = true;
    private volatile String brokenMessage;

    private Controller(ClusterConfig config) {
        this.config = config;
        this.wire = new Wire(key, config.limits(), wireStats);
        ctx.setThreadFactor(LibraryThreads::newThread); // JeroMQ's I/O and reaper threads, made with the first socket
        router = ctx.createSocket(SocketType.ROUTER);
        router.setSndHWM(0);
        router.setRcvHWM(0);
        router.setLinger(0);
        router.setRouterMandatory(false);
        port = router.bindToRandomPort("tcp://127.0.0.1");
        endpoint = "tcp://127.0.0.1:" + port;
        String wakeAddress = "inproc://jpool-controller-wake-" + controllerNumber;
        wakeRecv = ctx.createSocket(SocketType.PAIR);
        wakeRecv.bind(wakeAddress);
        wakeSend = ctx.createSocket(SocketType.PAIR);
        wakeSend.connect(wakeAddress);
        ioThread = LibraryThreads.newThread(this::ioLoop, "jpool-controller-" + controllerNumber);
        shutdownHook = new Thread(this::killAllNow, "jpool-controller-exit-" + controllerNumber);
    }

    /**
     * Starts a controller and its workers. Returns at once; units queue until workers are ready. See
     * {@link #awaitFirstWorker()} to learn whether workers can start at all.
     *
     * @throws IOException if the socket cannot be bound
     */
    public static Controller start(ClusterConfig config) throws IOException {
        Controller c;
        try {
            c = new Controller(config);
        } catch (RuntimeException e) {
            throw new IOException("cannot bind the controller socket", e);
        }
        Runtime.getRuntime().addShutdownHook(c.shutdownHook);
        c.ensureWorkers(); // before the I/O thread starts, which then owns the registry
        c.ioThread.start();
        return c;
    }

    /**
     * Waits until the first worker has connected, or until the controller gives up on starting workers:
     * three workers in a row exited before connecting, a worker process could not be launched, or no
     * worker connected within the start timeout. A failure stops the controller; this returns only after
     * every worker process it launched has exited. If the waiting thread is interrupted, the controller
     * is terminated the same way and the interrupt status is set again.
     *
     * @return null once a worker has connected, else why none could start (kind
     *     {@link UnitFailure.Kind#START_FAILED}, with the last failed worker's output)
     */
    public UnitFailure awaitFirstWorker() {
        UnitFailure failure = null;
        try {
            if (!firstContact.await(config.startTimeoutMs(), TimeUnit.MILLISECONDS)) {
                post(() -> {
                    if (!connected) {
                        markBroken(new UnitFailure(UnitFailure.Kind.START_FAILED, null, -1, List.of(),
                                "no worker JVM connected within " + config.startTimeoutMs() + " ms", null));
                    }
                });
                firstContact.await();
            }
            if (connected) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new UnitFailure(UnitFailure.Kind.START_FAILED, null, -1, List.of(),
                    "interrupted while waiting for the first worker JVM to connect", null);
            terminate();
        }
        if (failure == null) {
            failure = brokenFailure != null ? brokenFailure : new UnitFailure(UnitFailure.Kind.START_FAILED, null,
                    -1, List.of(), "the controller stopped before any worker JVM connected", null);
        }
        boolean interrupted = Thread.interrupted();
        try {
            long deadline = System.nanoTime() + Timeouts.START_FAILURE_CLEANUP.toNanos();
            while (!isTerminated() && System.nanoTime() < deadline) {
                try {
                    terminated.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (!isTerminated()) {
                killAllNow();
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return failure;
    }

    /** The endpoint workers connect to, e.g. {@code tcp://127.0.0.1:40123}. */
    public String endpoint() {
        return endpoint;
    }

    /** The TCP port of {@link #endpoint()}. */
    public int port() {
        return port;
    }

    /** The settings. */
    public ClusterConfig config() {
        return config;
    }

    /** A new job id (ids are unique per controller). */
    public long newJobId() {
        return nextJobId.getAndIncrement();
    }

    /**
     * Queues a job's units.
     *
     * @throws IllegalStateException after shutdown, terminate, or when the pool is broken
     */
    public void submit(long jobId, JobSubmission job) {
        if (brokenMessage != null) {
            throw new IllegalStateException("the pool is broken: " + brokenMessage);
        }
        if (!acceptingJobs) {
            throw new IllegalStateException("the pool is shut down");
        }
        post(() -> enqueue(jobId, job));
    }

    /**
     * Cancels a job: its queued units are dropped; units on workers are cancelled there and, when
     * {@code interrupt}, interrupted if running. A worker whose unit does not stop within the grace
     * period is killed and replaced. The listener gets no further events for the job.
     */
    public void cancel(long jobId, boolean interrupt) {
        post(() -> cancelJob(jobId, interrupt));
    }

    /** Stops accepting jobs; workers exit once every queued unit has finished. */
    public void shutdown() {
        acceptingJobs = false;
        post(() -> {
            shuttingDown = true;
            maybeFinishShutdown();
        });
    }

    /** Kills every worker at once; unfinished units fail with {@link UnitFailure.Kind#TERMINATED}. */
    public void terminate() {
        acceptingJobs = false;
        post(this::terminateNow);
    }

    /** Waits until every worker has exited and the controller has closed its socket. */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    /** Whether the controller has stopped. */
    public boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    /** Whether shutdown or terminate was called. */
    public boolean isShutdown() {
        return !acceptingJobs;
    }

    /** Why the pool cannot run tasks (initializer failure, workers failing to start), or null. */
    public String brokenMessage() {
        return brokenMessage;
    }

    /** Current counters. */
    public ControllerStats stats() {
        return new ControllerStats(wireStats.received(), wireStats.sent(), wireStats.droppedUnsigned(),
                wireStats.droppedMalformed(), wireStats.droppedOversized(), workersStarted.get(), workersLost.get(),
                unitsRetried.get(), unitsCompleted.get());
    }

    /** A snapshot of the workers, refreshed by the I/O thread whenever their set or states change. */
    public List<WorkerInfo> workers() {
        return workerSnapshot;
    }

    // ------------------------------------------------------------------------------------ commands

    private void post(Runnable command) {
        commands.add(command);
        if (wakePending.compareAndSet(false, true)) {
            synchronized (wakeSend) {
                if (!isTerminated()) {
                    wakeSend.send(new byte[] {1}, ZMQ.DONTWAIT);
                }
            }
        }
    }

    private static final class Job {
        final long id;
        final byte[] function;
        final CodeAttachment code;
        final JobListener listener;
        int unresolved;
        boolean cancelled;
        final Set<WorkerRecord> knownBy = new HashSet<>();

        Job(long id, byte[] function, CodeAttachment code, JobListener listener, int units) {
            this.id = id;
            this.function = function;
            this.code = code;
            this.listener = listener;
            this.unresolved = units;
        }
    }

    private static final class Unit {
        final long id;
        final Job job;
        final int index;
        final int count;
        final byte[] arguments;
        int attempts;
        WorkerRecord worker;
        long cancelDeadline;
        long sentAt;
        boolean stealRequested;

        Unit(long id, Job job, JobSubmission.Unit u) {
            this.id = id;
            this.job = job;
            this.index = u.index();
            this.count = u.count();
            this.arguments = u.arguments();
        }
    }

    private final class WorkerRecord {
        final String id;
        final byte[] identity;
        LocalLauncher.Child child;
        StartRecord startRecord;
        long pid = -1;
        WorkerInfo.State state = WorkerInfo.State.STARTING;
        Message welcome; // what it was sent on its hello, again if it says hello again while initializing
        final LinkedHashMap<Long, Unit> inflight = new LinkedHashMap<>();
        final List<Long> pendingDrops = new ArrayList<>();
        final Set<String> blobs = new HashSet<>(); // content hashes of shipped code this worker has
        int assigned;
        long done;
        double avgRunMicros = -1;
        long lastHeard = System.nanoTime();
        final long startedAt = System.nanoTime();
        long killAt = Long.MAX_VALUE;
        String stopReason;
        long runningUnit;
        long runningSince;
        boolean counted; // whether it counts towards the pool size

        WorkerRecord(String id) {
            this.id = id;
            this.identity = (id + "." + token).getBytes(StandardCharsets.UTF_8);
        }

        boolean exhausted() {
            return config.maxTasksPerChild() > 0 && assigned >= config.maxTasksPerChild();
        }

        int credit() {
            if (state != WorkerInfo.State.READY) {
                return 0;
            }
            int limit;
            if (avgRunMicros < 0) {
                limit = 2;
            } else if (avgRunMicros >= 5000) {
                limit = 1;
            } else {
                limit = (int) Math.min(256, Math.max(2, 1 + Math.ceil(2000 / Math.max(avgRunMicros, 1))));
            }
            int free = limit - inflight.size();
            if (config.maxTasksPerChild() > 0) {
                free = Math.min(free, config.maxTasksPerChild() - assigned);
            }
            return Math.max(0, free);
        }
    }

    // ------------------------------------------------------------------------------------ I/O loop

    private void ioLoop() {
        ZMQ.Poller poller = ctx.createPoller(2);
        boolean backlog = false;
        poller.register(router, ZMQ.Poller.POLLIN);
        poller.register(wakeRecv, ZMQ.Poller.POLLIN);
        nextHeartbeat = System.nanoTime() + config.heartbeatMs() * 1_000_000L;
        try {
            while (true) {
                long now = System.nanoTime();
                long waitMs = Math.max(0, Math.min(stealable() ? 5 : 200, (nextHeartbeat - now) / 1_000_000));
                poller.poll(backlog ? 0 : waitMs);
                if (poller.pollin(1)) {
                    while (wakeRecv.recv(ZMQ.DONTWAIT) != null) {
                        // drain wake-ups
                    }
                }
                wakePending.set(false);
                Runnable command;
                while ((command = commands.poll()) != null) {
                    command.run();
                }
                if (backlog || poller.pollin(0)) {
                    Wire.Received r = null;
                    int n = 0;
                    backlog = false;
                    while (n++ < 10_000 && (r = wire.receive(router, true)) != null) {
                        if (!r.dropped()) {
                            handle(r);
                        } else if (DEBUG) {
                            System.err.println("jpool: dropped a message: " + wireStats);
                        }
                    }
                    backlog = r != null; // stopped at the cap: more may be waiting
                }
                dispatch();
                timers();
                if ((terminating || shutdownSent || broken != null) && workers.isEmpty()) {
                    break;
                }
            }
        } catch (Throwable t) {
            System.err.println("jpool controller: I/O thread failed: " + t);
            t.printStackTrace();
            killAllNow();
        } finally {
            finish();
        }
    }

    private void finish() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already exiting
        }
        synchronized (wakeSend) {
            terminated.countDown();
            ctx.close();
        }
        firstContact.countDown();
        Runnable command;
        while ((command = commands.poll()) != null) {
            try {
                command.run();
            } catch (RuntimeException e) {
                // late commands after termination are ignored
            }
        }
    }

    private void refreshSnapshot() {
        List<WorkerInfo> list = new ArrayList<>(workers.size());
        for (WorkerRecord w : workers.values()) {
            WorkerInfo.State state = w.state == WorkerInfo.State.READY && !w.inflight.isEmpty()
                    ? WorkerInfo.State.BUSY : w.state;
            list.add(new WorkerInfo(w.id, w.pid, state, w.done, w.inflight.size()));
        }
        workerSnapshot = List.copyOf(list);
    }

    // ------------------------------------------------------------------------------------ workers

    private void ensureWorkers() {
        if (shuttingDown || terminating || broken != null) {
            return;
        }
        int live = 0;
        for (WorkerRecord w : workers.values()) {
            if (w.counted) {
                live++;
            }
        }
        while (live < config.processes()) {
            launch();
            live++;
        }
        refreshSnapshot();
    }

    private void launch() {
        WorkerRecord w = new WorkerRecord("w" + (nextWorkerNumber++));
        if (DEBUG) {
            System.err.println("jpool: launching " + w.id);
        }
        w.counted = true;
        workers.put(new String(w.identity, StandardCharsets.UTF_8), w);
        try {
            w.startRecord = StartRecord.create();
            w.child = LocalLauncher.launch(config, endpoint, new String(w.identity, StandardCharsets.UTF_8), key,
                    w.startRecord);
        } catch (IOException | UncheckedIOException e) {
            if (w.startRecord != null) {
                w.startRecord.discard();
            }
            workers.remove(new String(w.identity, StandardCharsets.UTF_8));
            markBroken(new UnitFailure(UnitFailure.Kind.START_FAILED, w.id, -1, List.of(),
                    "cannot start a worker JVM: " + e.getMessage(), null));
            return;
        }
        workersStarted.incrementAndGet();
        w.pid = w.child.process.pid();
        children.add(w.child.process);
        LocalLauncher.Child child = w.child;
        child.process.onExit().thenRun(() -> {
            List<String> tail = child.tail(1000);
            int code = child.process.exitValue();
            post(() -> workerExited(w, code, tail));
        });
    }

    private void uncount(WorkerRecord w) {
        if (w.counted) {
            w.counted = false;
            ensureWorkers();
        }
    }

    private void stopWorker(WorkerRecord w, String reason, long graceMs) {
        if (w.state == WorkerInfo.State.DEAD) {
            return;
        }
        if (w.stopReason == null) {
            w.stopReason = reason;
        }
        w.state = WorkerInfo.State.STOPPING;
        w.killAt = Math.min(w.killAt, System.nanoTime() + graceMs * 1_000_000L);
        uncount(w);
        if (graceMs == 0) {
            w.child.process.destroyForcibly();
        } else {
            w.child.closeStdin(); // the worker is exiting; see WorkerMain.watchStdin
        }
        refreshSnapshot();
    }

    private void workerExited(WorkerRecord w, int code, List<String> tail) {
        boolean wasReady = w.state != WorkerInfo.State.STARTING && w.state != WorkerInfo.State.INITIALIZING;
        if (DEBUG) {
            System.err.printf("jpool: %s (pid %d) exited with code %d in state %s, reason %s, %d in flight, tail %s%n",
                    w.id, w.pid, code, w.state, w.stopReason, w.inflight.size(), tail);
        }
        w.state = WorkerInfo.State.DEAD;
        workers.remove(new String(w.identity, StandardCharsets.UTF_8));
        refreshSnapshot(); // gone before its units are reported lost
        children.remove(w.child.process);
        w.child.closeStdin();
        w.counted = false;
        for (Job job : jobs.values()) {
            job.knownBy.remove(w);
        }
        long lastStarted = w.startRecord.lastStarted();
        w.startRecord.discard();
        if (!w.inflight.isEmpty()) {
            workersLost.incrementAndGet();
            String reason = w.stopReason != null ? w.stopReason : describeExit(code);
            int started = startedCount(w, lastStarted);
            int position = 0;
            List<Unit> requeue = new ArrayList<>();
            for (Unit u : w.inflight.values()) {
                u.worker = null;
                boolean wasStarted = position++ < started;
                if (u.job.cancelled) {
                    resolve(u);
                } else if (wasStarted && !terminating) {
                    if (u.attempts < config.retries()) {
                        u.attempts++;
                        unitsRetried.incrementAndGet();
                        requeue.add(u);
                    } else {
                        fail(u, new UnitFailure(UnitFailure.Kind.WORKER_LOST, w.id, code, tail,
                                "worker " + w.id + " (pid " + w.pid + ") died while running the task: " + reason,
                                null));
                    }
                } else if (terminating) {
                    fail(u, new UnitFailure(UnitFailure.Kind.TERMINATED, w.id, code, tail, "the pool was terminated",
                            null));
                } else {
                    requeue.add(u);
                }
            }
            w.inflight.clear();
            for (int i = requeue.size() - 1; i >= 0; i--) {
                queue.addFirst(requeue.get(i));
            }
        }
        if (!wasReady && !terminating && !shuttingDown && w.stopReason == null) {
            consecutiveStartFailures++;
            if (consecutiveStartFailures >= 3) {
                markBroken(new UnitFailure(UnitFailure.Kind.START_FAILED, w.id, code, tail,
                        "worker JVMs exit before connecting (exit code " + code + "): " + String.join(" | ", tail),
                        null));
            }
        }
        ensureWorkers();
        maybeFinishShutdown();
        refreshSnapshot();
    }

    /**
     * How many of a dead worker's units, counted from the oldest, had started: those up to the last one
     * its {@link StartRecord} names (a finished unit whose result did not arrive counts as started, its
     * result is lost). Units start in the order they were sent, and the rest never ran.
     */
    private static int startedCount(WorkerRecord w, long lastStarted) {
        int position = 0;
        for (long unitId : w.inflight.keySet()) {
            position++;
            if (unitId == lastStarted) {
                return position;
            }
        }
        return 0;
    }

    private static String describeExit(int code) {
        return switch (code) {
            case 137 -> "killed (exit code 137, SIGKILL)";
            case 143 -> "terminated (exit code 143, SIGTERM)";
            case 3 -> "exit code 3 (OutOfMemoryError?)";
            default -> "exit code " + code;
        };
    }

    private void markBroken(UnitFailure failure) {
        if (broken != null) {
            return;
        }
        broken = failure;
        brokenFailure = failure;
        brokenMessage = failure.message();
        firstContact.countDown();
        acceptingJobs = false;
        for (Unit u : new ArrayList<>(queue)) {
            fail(u, failure);
        }
        queue.clear();
        for (WorkerRecord w : new ArrayList<>(workers.values())) {
            for (Unit u : new ArrayList<>(w.inflight.values())) {
                w.inflight.remove(u.id);
                fail(u, failure);
            }
            stopWorker(w, "pool broken", 0);
        }
    }

    // ------------------------------------------------------------------------------------ messages

    private void handle(Wire.Received r) {
        String wid = new String(r.identity(), StandardCharsets.UTF_8);
        WorkerRecord w = workers.get(wid);
        if (w == null) {
            wireStats.countMalformed();
            return;
        }
        w.lastHeard = System.nanoTime();
        Message m = r.message();
        try {
            switch (m.type()) {
                case "hello" -> hello(w, m);
                case "ready" -> {
                    if (w.state == WorkerInfo.State.INITIALIZING) {
                        w.state = WorkerInfo.State.READY;
                        w.welcome = null;
                        if (DEBUG) {
                            System.err.printf("jpool: %s ready after %.1f ms%n", w.id,
                                    (System.nanoTime() - w.startedAt) / 1e6);
                        }
                        consecutiveStartFailures = 0;
                        refreshSnapshot();
                    }
                }
                case "result" -> results(w, m);
                case "started" -> {
                    Unit u = w.inflight.get(m.header().get("u").getAsLong());
                    long startedMicros = m.header().get("s").getAsLong();
                    if (u != null && !u.job.cancelled) {
                        u.job.listener.started(u.index, w.id, startedMicros);
                    }
                }
                case "hb" -> {
                    long run = m.header().has("run") ? m.header().get("run").getAsLong() : 0;
                    if (run != w.runningUnit) {
                        w.runningUnit = run;
                        w.runningSince = System.nanoTime()
                                - (m.header().has("el") ? m.header().get("el").getAsLong() * 1_000_000L : 0);
                    }
                }
                case "timeout" -> {
                    long unitId = m.header().get("u").getAsLong();
                    Unit u = w.inflight.remove(unitId);
                    if (u != null) {
                        timedOut(w, u);
                    }
                    stopWorker(w, "task timeout", Timeouts.EXITING_GRACE.toMillis());
                }
                case "init_failed" -> {
                    byte[] remote = m.frames().isEmpty() ? null : m.frame(0);
                    String text = "the pool initializer failed on worker " + w.id;
                    try {
                        text += ": " + PayloadCodec.deserialize(remote, getClass().getClassLoader(),
                                config.limits());
                    } catch (Exception e) {
                        // keep the short text
                    }
                    markBroken(new UnitFailure(UnitFailure.Kind.INIT_FAILED, w.id, -1, List.of(), text, remote));
                }
                case "exiting" -> stopWorker(w, "the task called System.exit or the worker JVM is exiting",
                        Timeouts.EXITING_GRACE.toMillis());
                case "bye" -> {
                    w.child.closeStdin();
                    w.state = WorkerInfo.State.RETIRING;
                    w.killAt = System.nanoTime() + Timeouts.RETIRE_GRACE.toNanos();
                    uncount(w);
                    refreshSnapshot();
                }
                default -> wireStats.countMalformed();
            }
        } catch (RuntimeException e) {
            wireStats.countMalformed();
        }
    }

    private void hello(WorkerRecord w, Message m) {
        if (w.state == WorkerInfo.State.INITIALIZING && w.welcome != null) {
            // A worker that got no welcome within its hello timer reconnects and says hello again; the
            // welcome went to its old connection and is lost. The same welcome again (a worker takes the
            // first one it gets and ignores any other).
            wire.send(router, w.identity, w.welcome);
            return;
        }
        if (w.state != WorkerInfo.State.STARTING) {
            return; // a repeated hello from a worker that is past its welcome
        }
        if (DEBUG && System.nanoTime() - w.startedAt > 1_500_000_000L) {
            System.err.println("jpool: late hello from " + w.id);
        }
        w.state = WorkerInfo.State.INITIALIZING;
        if (DEBUG) {
            System.err.printf("jpool: %s hello after %.1f ms%n", w.id, (System.nanoTime() - w.startedAt) / 1e6);
        }
        JsonObject h = new JsonObject();
        h.addProperty("hbMs", config.heartbeatMs());
        h.addProperty("silenceMs", config.workerSilenceMs());
        h.addProperty("timeoutMs", config.taskTimeoutMs());
        h.addProperty("maxTasks", config.maxTasksPerChild());
        h.addProperty("maxBytes", config.limits().maxMessageBytes());
        h.addProperty("maxDepth", config.limits().maxDepth());
        h.addProperty("maxRefs", config.limits().maxRefs());
        h.addProperty("maxArray", config.limits().maxArrayLength());
        Message welcome = new Message("welcome", h, null);
        if (config.initializer() != null) {
            h.addProperty("init", welcome.addFrame(config.initializer()));
            // A new worker has been sent nothing yet: all of the initializer's code travels here,
            // and is remembered so that jobs listing the same blobs do not send them again.
            List<byte[]> code = codeFrames(w, config.initializerCode());
            if (!code.isEmpty()) {
                JsonArray ix = new JsonArray();
                for (byte[] frame : code) {
                    ix.add(welcome.addFrame(frame));
                }
                h.add("ix", ix);
            }
        }
        w.welcome = welcome;
        wire.send(router, w.identity, welcome);
        refreshSnapshot();
        connected = true;
        firstContact.countDown(); // after the snapshot: who returns from awaitFirstWorker sees the worker
    }

    private void results(WorkerRecord w, Message m) {
        for (OutputPiece p : TaskCodec.decodeOutput(m)) {
            Unit u = units.get(p.unitId());
            if (u != null) {
                if (!u.job.cancelled) {
                    u.job.listener.output(u.index, w.id, p.stream(), p.bytes());
                }
            } else {
                (p.stream() == OutputPiece.STDERR ? System.err : System.out)
                        .print(prefix(w.id, new String(p.bytes(), StandardCharsets.UTF_8)));
            }
        }
        List<UnitResult> results = TaskCodec.decodeResults(m);
        List<Unit> finishedUnits = new ArrayList<>(results.size());
        List<UnitResult> finishedResults = new ArrayList<>(results.size());
        for (UnitResult r : results) {
            Unit u = w.inflight.remove(r.unitId());
            if (u == null) {
                continue; // e.g. finished after a timeout was reported
            }
            u.worker = null;
            if (UnitResult.RETURNED.equals(r.kind())) {
                w.assigned--;
                if (u.job.cancelled) {
                    resolve(u);
                } else {
                    queue.addFirst(u);
                }
                continue;
            }
            if (!UnitResult.CANCELLED.equals(r.kind())) {
                w.done++; // it ran to the end; a unit cancelled before it started did not
                if (r.finishedMicros() >= r.startedMicros()) {
                    double perElement = (r.finishedMicros() - r.startedMicros()) / (double) Math.max(1, u.count);
                    double run = r.finishedMicros() - r.startedMicros();
                    w.avgRunMicros = w.avgRunMicros < 0 ? run : 0.7 * w.avgRunMicros + 0.3 * run;
                    if (perElement < 0) {
                        w.avgRunMicros = 0;
                    }
                }
            }
            finishedUnits.add(u);
            finishedResults.add(r);
        }
        // Publish the workers' new counts before any result is delivered: whoever has seen a result
        // complete then reads a snapshot that includes it.
        refreshSnapshot();
        for (int i = 0; i < finishedUnits.size(); i++) {
            Unit u = finishedUnits.get(i);
            UnitResult r = finishedResults.get(i);
            if (UnitResult.CANCELLED.equals(r.kind()) || u.job.cancelled) {
                resolve(u);
            } else {
                unitsCompleted.incrementAndGet();
                u.job.listener.completed(u.index, w.id, r);
                resolve(u);
            }
        }
        maybeFinishShutdown();
    }

    private static String prefix(String wid, String text) {
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("(?<=\n)")) {
            sb.append('[').append(wid).append("] ").append(line);
        }
        return sb.toString();
    }

    private void timedOut(WorkerRecord w, Unit u) {
        u.worker = null;
        if (u.job.cancelled) {
            resolve(u);
            return;
        }
        fail(u, new UnitFailure(UnitFailure.Kind.TIMEOUT, w.id, -1, List.of(),
                "the task ran longer than the timeout of " + config.taskTimeoutMs() + " ms; worker " + w.id
                        + " was killed and is replaced", null));
    }

    // ------------------------------------------------------------------------------------ jobs

    private void enqueue(long jobId, JobSubmission submission) {
        Job job = new Job(jobId, submission.function(), submission.code(), submission.listener(),
                submission.units().size());
        if (broken != null) {
            for (JobSubmission.Unit su : submission.units()) {
                job.listener.failed(su.index(), broken);
            }
            return;
        }
        if (terminating) {
            for (JobSubmission.Unit su : submission.units()) {
                job.listener.failed(su.index(), new UnitFailure(UnitFailure.Kind.TERMINATED, null, -1, List.of(),
                        "the pool was terminated", null));
            }
            return;
        }
        if (job.unresolved == 0) {
            return;
        }
        jobs.put(jobId, job);
        for (JobSubmission.Unit su : submission.units()) {
            Unit u = new Unit(nextUnitId++, job, su);
            units.put(u.id, u);
            queue.addLast(u);
        }
    }

    private void fail(Unit u, UnitFailure failure) {
        if (!u.job.cancelled) {
            u.job.listener.failed(u.index, failure);
        }
        resolve(u);
    }

    private void resolve(Unit u) {
        if (units.remove(u.id) == null) {
            return;
        }
        Job job = u.job;
        if (--job.unresolved == 0) {
            jobs.remove(job.id);
            for (WorkerRecord w : job.knownBy) {
                w.pendingDrops.add(job.id);
            }
            job.knownBy.clear();
        }
    }

    private void cancelJob(long jobId, boolean interrupt) {
        Job job = jobs.get(jobId);
        if (job == null || job.cancelled) {
            return;
        }
        job.cancelled = true;
        for (Iterator<Unit> it = queue.iterator(); it.hasNext();) {
            Unit u = it.next();
            if (u.job == job) {
                it.remove();
                resolve(u);
            }
        }
        Map<WorkerRecord, JsonArray> perWorker = new HashMap<>();
        long graceDeadline = System.nanoTime() + config.cancelGraceMs() * 1_000_000L;
        for (Unit u : units.values()) {
            if (u.job == job && u.worker != null) {
                perWorker.computeIfAbsent(u.worker, k -> new JsonArray()).add(u.id);
                if (interrupt) {
                    u.cancelDeadline = graceDeadline;
                }
            }
        }
        for (Map.Entry<WorkerRecord, JsonArray> e : perWorker.entrySet()) {
            JsonObject h = new JsonObject();
            h.add("units", e.getValue());
            h.addProperty("interrupt", interrupt);
            wire.send(router, e.getKey().identity, new Message("cancel", h, null));
        }
        maybeFinishShutdown();
    }

    // ------------------------------------------------------------------------------------ scheduling

    private void dispatch() {
        if (queue.isEmpty()) {
            steal();
            return;
        }
        List<WorkerRecord> ready = new ArrayList<>();
        for (WorkerRecord w : workers.values()) {
            if (w.credit() > 0) {
                ready.add(w);
            }
        }
        if (ready.isEmpty()) {
            return;
        }
        Map<WorkerRecord, List<Unit>> batches = new LinkedHashMap<>();
        // Each unit goes to the least loaded worker that still has credit, so a unit never waits in the
        // prefetch queue of a busy worker while another sits idle (ties go to the larger credit).
        while (!queue.isEmpty()) {
            WorkerRecord best = null;
            int bestCredit = 0;
            int bestLoad = Integer.MAX_VALUE;
            for (WorkerRecord w : ready) {
                int planned = batches.getOrDefault(w, List.of()).size();
                int c = w.credit() - planned;
                int load = w.inflight.size() + planned;
                if (c > 0 && (load < bestLoad || (load == bestLoad && c > bestCredit))) {
                    best = w;
                    bestCredit = c;
                    bestLoad = load;
                }
            }
            if (best == null) {
                break;
            }
            Unit u = queue.pollFirst();
            batches.computeIfAbsent(best, k -> new ArrayList<>()).add(u);
        }
        for (Map.Entry<WorkerRecord, List<Unit>> e : batches.entrySet()) {
            send(e.getKey(), e.getValue());
        }
    }

    /** Whether an idle worker waits while units sit in another worker's prefetch queue. */
    private boolean stealable() {
        boolean idle = false;
        boolean loaded = false;
        for (WorkerRecord w : workers.values()) {
            if (w.state == WorkerInfo.State.READY) {
                if (w.inflight.isEmpty() && w.credit() > 0) {
                    idle = true;
                } else if (w.inflight.size() >= 2) {
                    loaded = true;
                }
            }
        }
        return idle && loaded;
    }

    /**
     * Work stealing: when a worker is idle and the queue is empty, units waiting behind a long-running
     * unit in another worker's prefetch queue are taken back (the worker returns those it has not
     * started) and queued again.
     */
    private void steal() {
        if (!stealable()) {
            return;
        }
        long now = System.nanoTime();
        for (WorkerRecord w : workers.values()) {
            if (w.state != WorkerInfo.State.READY || w.inflight.size() < 2) {
                continue;
            }
            Unit head = w.inflight.values().iterator().next();
            if (now - head.sentAt < STEAL_AFTER_NANOS) {
                continue;
            }
            List<Unit> tail = new ArrayList<>(w.inflight.values());
            int take = tail.size() / 2;
            JsonArray ids = new JsonArray();
            for (int i = tail.size() - 1; i >= 1 && ids.size() < take; i--) {
                Unit u = tail.get(i);
                if (!u.stealRequested && !u.job.cancelled) {
                    u.stealRequested = true;
                    ids.add(u.id);
                }
            }
            if (!ids.isEmpty()) {
                JsonObject h = new JsonObject();
                h.add("units", ids);
                wire.send(router, w.identity, new Message("steal", h, null));
            }
        }
    }

    private void send(WorkerRecord w, List<Unit> batch) {
        List<UnitWire> wires = new ArrayList<>(batch.size());
        for (Unit u : batch) {
            byte[] fn = null;
            List<byte[]> extra = List.of();
            if (u.job.knownBy.add(w)) {
                fn = u.job.function;
                extra = codeFrames(w, u.job.code);
            }
            wires.add(new UnitWire(u.id, u.job.id, u.count, fn, u.arguments, extra));
            u.worker = w;
            u.sentAt = System.nanoTime();
            u.stealRequested = false;
            w.inflight.put(u.id, u);
            w.assigned++;
        }
        long[] drops = w.pendingDrops.stream().mapToLong(Long::longValue).toArray();
        w.pendingDrops.clear();
        refreshSnapshot(); // BUSY from before the worker can start the units
        wire.send(router, w.identity, TaskCodec.encodeTasks(wires, drops));
        for (Unit u : batch) {
            u.job.listener.dispatched(u.index, w.id);
        }
        if (w.exhausted()) {
            uncount(w); // start the replacement while this one finishes its last units
        }
    }

    /** The manifest, then (hash, bytes) for each blob the worker has not been sent yet. */
    private static List<byte[]> codeFrames(WorkerRecord w, CodeAttachment code) {
        if (code == null) {
            return List.of();
        }
        List<byte[]> frames = new ArrayList<>();
        frames.add(code.manifest());
        for (String hash : code.blobHashes()) {
            if (w.blobs.add(hash)) {
                frames.add(hash.getBytes(StandardCharsets.UTF_8));
                frames.add(code.blobs().apply(hash));
            }
        }
        return frames;
    }

    // ------------------------------------------------------------------------------------ timers

    private void timers() {
        long now = System.nanoTime();
        if (now < nextHeartbeat) {
            return;
        }
        nextHeartbeat = now + config.heartbeatMs() * 1_000_000L;
        for (WorkerRecord w : new ArrayList<>(workers.values())) {
            switch (w.state) {
                case STARTING -> {
                    if (now - w.startedAt > config.startTimeoutMs() * 1_000_000L) {
                        stopWorker(w, "did not connect within " + config.startTimeoutMs() + " ms", 0);
                    }
                }
                case INITIALIZING, READY, RETIRING -> {
                    wire.send(router, w.identity, Message.of("hb"));
                    if (now - w.lastHeard > config.controllerSilenceMs() * 1_000_000L) {
                        stopWorker(w, "silent for " + config.controllerSilenceMs() + " ms", 0);
                    } else if (w.state == WorkerInfo.State.RETIRING && now > w.killAt) {
                        stopWorker(w, "did not exit after retiring", 0);
                    } else if (config.taskTimeoutMs() > 0 && w.runningUnit != 0
                            && now - w.runningSince
                                    > config.taskTimeout().plus(Timeouts.TASK_TIMEOUT_BACKSTOP).toNanos()) {
                        Unit u = w.inflight.remove(w.runningUnit);
                        if (u != null) {
                            timedOut(w, u);
                        }
                        stopWorker(w, "task timeout", 0);
                    } else {
                        for (Unit u : w.inflight.values()) {
                            if (u.cancelDeadline != 0 && now > u.cancelDeadline) {
                                stopWorker(w, "a cancelled task did not stop within " + config.cancelGraceMs()
                                        + " ms", 0);
                                break;
                            }
                        }
                    }
                }
                case STOPPING -> {
                    if (now > w.killAt) {
                        w.child.process.destroyForcibly();
                        w.killAt = Long.MAX_VALUE;
                    }
                }
                default -> {
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------ shutdown

    private void maybeFinishShutdown() {
        if (!shuttingDown || shutdownSent || terminating || !queue.isEmpty()) {
            return;
        }
        for (WorkerRecord w : workers.values()) {
            if (!w.inflight.isEmpty()) {
                return;
            }
        }
        shutdownSent = true;
        for (WorkerRecord w : new ArrayList<>(workers.values())) {
            if (w.state == WorkerInfo.State.STARTING) {
                stopWorker(w, "pool shut down", 0);
            } else {
                wire.send(router, w.identity, Message.of("shutdown"));
                stopWorker(w, "pool shut down", Timeouts.SHUTDOWN_GRACE.toMillis());
            }
        }
    }

    private void terminateNow() {
        if (terminating) {
            return;
        }
        terminating = true;
        UnitFailure f = new UnitFailure(UnitFailure.Kind.TERMINATED, null, -1, List.of(), "the pool was terminated",
                null);
        for (Unit u : new ArrayList<>(queue)) {
            fail(u, f);
        }
        queue.clear();
        for (WorkerRecord w : new ArrayList<>(workers.values())) {
            for (Unit u : new ArrayList<>(w.inflight.values())) {
                w.inflight.remove(u.id);
                fail(u, f);
            }
            stopWorker(w, "pool terminated", 0);
        }
    }

    /** Kills every child at once (JVM shutdown hook and last resort). */
    private void killAllNow() {
        for (Process p : children) {
            p.destroyForcibly();
        }
    }

}
