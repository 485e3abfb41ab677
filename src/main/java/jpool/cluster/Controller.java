package jpool.cluster;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import jpool.wire.Wakeups;
import jpool.wire.Signer;
import jpool.wire.Timeouts;
import jpool.wire.Wire;
import jpool.wire.WireStats;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The controller of a set of worker JVMs: binds a ZeroMQ ROUTER on its configured address (127.0.0.1 by
 * default), starts and supervises workers through its {@link WorkerLauncher}, schedules units onto them
 * and routes results back to each job's {@link JobListener}.
 *
 * <p>This class is the facade and the I/O loop. One I/O thread owns the ROUTER socket and, through {@link
 * ControllerCore}, all controller state: the {@link JobTable}, the {@link Scheduler}, the {@link
 * WorkerSupervisor}, the {@link CodeDistribution} and the {@link WorkerProtocol}. Other threads talk to it
 * by queueing commands and waking it through an inproc socket; nothing polls with sleeps. They read what
 * it publishes in {@link ControllerStatus}. Public methods are thread-safe.
 *
 * <p>Scheduling: see {@link Scheduler}. Several units to one worker travel in one message.
 */
public final class Controller {

    private static final AtomicLong CONTROLLERS = new AtomicLong();
    private static final boolean DEBUG = Boolean.getBoolean("jpool.debug");

    private final long startTimeoutMs;
    private final WireStats wireStats = new WireStats();
    private final ZContext ctx = new ZContext(1);
    private final ZMQ.Socket router;
    private final ZMQ.Socket wakeRecv;
    private final ZMQ.Socket wakeSend;
    private final Wire wire;
    private final String endpoint;
    private final Thread ioThread;
    private final Thread shutdownHook;
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final AtomicLong nextJobId = new AtomicLong(1);
    private final ControllerCore core;
    private final ControllerStatus status;

    private Controller(ClusterConfig config) {
        long number = CONTROLLERS.incrementAndGet();
        byte[] key = Signer.newKey();
        this.startTimeoutMs = config.startTimeoutMs();
        this.wire = new Wire(key, config.limits(), wireStats);
        ctx.setThreadFactor(LibraryThreads::newThread); // JeroMQ's I/O and reaper threads, made with the first socket
        router = ctx.createSocket(SocketType.ROUTER);
        router.setSndHWM(0);
        router.setRcvHWM(0);
        router.setLinger(0);
        router.setRouterMandatory(false);
        String host = config.bindAddress().contains(":") && !config.bindAddress().startsWith("[")
                ? "[" + config.bindAddress() + "]" : config.bindAddress(); // an IPv6 literal
        if (host.startsWith("[")) {
            router.setIPv6(true);
        }
        endpoint = "tcp://" + host + ":" + router.bindToRandomPort("tcp://" + host);
        String wakeAddress = "inproc://jpool-controller-wake-" + number;
        wakeRecv = ctx.createSocket(SocketType.PAIR);
        wakeRecv.bind(wakeAddress);
        wakeSend = ctx.createSocket(SocketType.PAIR);
        wakeSend.connect(wakeAddress);
        String token = Long.toHexString(new SecureRandom().nextLong());
        core = new ControllerCore(config, endpoint, key, token, (identity, m) -> wire.send(router, identity, m),
                wireStats, this::post);
        status = core.status();
        ioThread = LibraryThreads.newThread(this::ioLoop, "jpool-controller-" + number);
        shutdownHook = new Thread(this::killAllNow, "jpool-controller-exit-" + number);
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
        c.core.supervisor().ensureWorkers(); // before the I/O thread starts, which then owns the registry
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
            if (!status.awaitContact(startTimeoutMs, TimeUnit.MILLISECONDS)) {
                post(core::startTimedOut);
                status.awaitContact(Long.MAX_VALUE, TimeUnit.DAYS);
            }
            if (status.isConnected()) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new UnitFailure(UnitFailure.Kind.START_FAILED, null, -1, List.of(),
                    "interrupted while waiting for the first worker JVM to connect", null);
            terminate();
        }
        if (failure == null) {
            failure = status.brokenFailure() != null ? status.brokenFailure() : new UnitFailure(
                    UnitFailure.Kind.START_FAILED, null, -1, List.of(),
                    "the controller stopped before any worker JVM connected", null);
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
        UnitFailure broken = status.brokenFailure();
        if (broken != null) {
            throw new IllegalStateException("the pool is broken: " + broken.message());
        }
        if (!status.acceptingJobs()) {
            throw new IllegalStateException("the pool is shut down");
        }
        post(() -> core.submit(jobId, job));
    }

    /**
     * Registers a service that workers call by {@code name} with {@code svc} messages (see
     * {@link ControllerService}).
     *
     * @throws IllegalStateException if a service of that name is registered already
     */
    public void registerService(String name, ControllerService service) {
        core.services().register(name, service);
    }

    /**
     * Cancels a job: its queued units are dropped; units on workers are cancelled there and, when
     * {@code interrupt}, interrupted if running. A worker whose unit does not stop within the grace
     * period is killed and replaced. The listener gets no further events for the job.
     */
    public void cancel(long jobId, boolean interrupt) {
        post(() -> core.cancel(jobId, interrupt));
    }

    /**
     * Changes how many workers the controller keeps, and returns at once; the change is carried out on the
     * I/O thread, in the order of calls. Growing launches the missing workers now, each at the lowest
     * index no counted worker has. Shrinking retires the surplus: workers not connected or initializing
     * first (stopped at once), then idle ones, then busy ones, each group from the highest index down. A
     * retiring worker is sent no more units and is not replaced; the units it was sent but has not started
     * are asked back and queued again at the front, for the other workers; the unit it runs finishes there
     * and its result is delivered as any other; once it holds nothing it is told to shut down. No unit is
     * cancelled or failed by a shrink, except units pinned to a retiring worker ({@link Placement#onWorker})
     * that it never started, which fail as for a worker lost. The kept workers keep their indexes, so after a
     * shrink indexes need not run from 0 to {@code processes - 1}. A worker that is retiring already is not
     * taken back by a later growth; new workers are launched instead.
     *
     * @throws IllegalArgumentException if {@code processes} is below 1
     * @throws IllegalStateException after shutdown or terminate, or when the pool is broken
     */
    public void resize(int processes) {
        if (processes < 1) {
            throw new IllegalArgumentException("processes must be at least 1, got " + processes);
        }
        UnitFailure broken = status.brokenFailure();
        if (broken != null) {
            throw new IllegalStateException("the pool is broken: " + broken.message());
        }
        if (!status.acceptingJobs()) {
            throw new IllegalStateException("the pool is shut down");
        }
        post(() -> core.resize(processes));
    }

    /** Stops accepting jobs; workers exit once every queued unit has finished. */
    public void shutdown() {
        status.stopAccepting();
        post(core::shutdown);
    }

    /** Kills every worker at once; unfinished units fail with {@link UnitFailure.Kind#TERMINATED}. */
    public void terminate() {
        status.stopAccepting();
        post(core::terminate);
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
        return !status.acceptingJobs();
    }

    /** Why the pool cannot run tasks (initializer failure, workers failing to start), or null. */
    public String brokenMessage() {
        UnitFailure broken = status.brokenFailure();
        return broken == null ? null : broken.message();
    }

    /** Current counters. */
    public ControllerStats stats() {
        return status.stats();
    }

    /** A snapshot of the workers, refreshed by the I/O thread whenever their set or states change. */
    public List<WorkerInfo> workers() {
        return status.snapshot();
    }

    // ------------------------------------------------------------------------------------ I/O loop

    private void post(Runnable command) {
        commands.add(command);
        if (wakePending.compareAndSet(false, true)) {
            synchronized (wakeSend) {
                if (!isTerminated() && !Wakeups.send(wakeSend)) {
                    wakePending.set(false); // the poll ends at its timeout; a later wake may try again
                }
            }
        }
    }

    private void ioLoop() {
        ZMQ.Poller poller = ctx.createPoller(2);
        boolean backlog = false;
        poller.register(router, ZMQ.Poller.POLLIN);
        poller.register(wakeRecv, ZMQ.Poller.POLLIN);
        core.supervisor().startHeartbeats(System.nanoTime());
        try {
            while (true) {
                long waitMs = Math.min(core.stealable() ? 5 : 200, core.nanosToTimers(System.nanoTime()) / 1_000_000);
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
                            core.handle(r.identity(), r.message());
                        } else if (DEBUG) {
                            System.err.println("jpool: dropped a message: " + wireStats);
                        }
                    }
                    backlog = r != null; // stopped at the cap: more may be waiting
                }
                core.tick();
                if (core.finished()) {
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
        status.releaseContactWaiters();
        Runnable command;
        while ((command = commands.poll()) != null) {
            try {
                command.run();
            } catch (RuntimeException e) {
                // late commands after termination are ignored
            }
        }
    }

    /** Kills every child at once (JVM shutdown hook and last resort). */
    private void killAllNow() {
        core.supervisor().killAll();
    }
}
