package jpool.worker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import jpool.wire.BeforeHalt;
import jpool.wire.Wakeups;
import jpool.wire.Limits;
import jpool.wire.MalformedMessageException;
import jpool.wire.Message;
import jpool.wire.MessageType;
import jpool.wire.OutputPiece;
import jpool.wire.PayloadCodec;
import jpool.wire.Protocol;
import jpool.wire.RemoteFailure;
import jpool.wire.ServiceClient;
import jpool.wire.Signer;
import jpool.wire.StartRecord;
import jpool.wire.Timeouts;
import jpool.wire.UnitResult;
import jpool.wire.Wire;
import jpool.wire.WireStats;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Entry point of a worker JVM: {@code java -cp CP jpool.worker.WorkerMain --connect tcp://HOST:PORT --id ID}.
 *
 * <p>The HMAC key is read as the first line of standard input (hex), so it never shows in {@code ps};
 * {@code --key-file PATH} reads it from a file instead (for workers started by hand). {@code --started-file
 * PATH} names the controller's {@link StartRecord} for this worker. A locally
 * launched worker keeps reading its standard input and exits as soon as it reaches end of file, which
 * happens when the parent process dies. It also exits when the controller has been silent for the
 * configured time.
 *
 * <p>Threads: the main thread is the I/O thread and the only user of the DEALER socket; the task
 * thread ({@link TaskRunner}) runs units and talks to the I/O thread through a queue and an inproc
 * wake-up socket.
 */
public final class WorkerMain {

    /** Exit code: the parent process went away (standard input closed). */
    public static final int EXIT_PARENT_GONE = 65;
    /** Exit code: the controller was silent for too long. */
    public static final int EXIT_CONTROLLER_SILENT = 66;
    /** Exit code: the initializer failed. */
    public static final int EXIT_INIT_FAILED = 67;
    /** Exit code: a unit exceeded the task timeout. */
    public static final int EXIT_TASK_TIMEOUT = 68;
    /** Exit code: bad command line or key. */
    public static final int EXIT_USAGE = 69;

    private static final long OUTPUT_FLUSH_NANOS = 20_000_000L;
    private static final int MAX_BATCH = 512;
    /** How long a closed standard input waits for a {@code shutdown} that may be on its way. */
    private static final long STDIN_CLOSED_GRACE_NANOS = Timeouts.STDIN_CLOSED_GRACE.toNanos();
    private static final long STDIN_CLOSED_BACKSTOP_MS = Timeouts.STDIN_CLOSED_BACKSTOP.toMillis();
    /** Longest the I/O thread parks waiting for the result of a lone unit before it polls again. */
    private static final long RESULT_PARK_NANOS = 1_000_000L;
    /**
     * How long a unit runs before the worker tells the controller it has started ({@code started}). Units
     * that finish sooner, which is nearly all in a stream of tiny tasks, cost no extra message: their
     * result carries the start time.
     */
    static final long STARTED_NOTICE_NANOS = 1_000_000L;
    private static final int IO_RUNNING = 0;
    private static final int IO_PARKED = 1;
    private static final int IO_UNPARKED = 2;

    private static volatile boolean stdinClosed;
    private static volatile WorkerMain running;

    private final String id;
    private final String endpoint;
    private final byte[] key;
    private final TaskClassLoaders loaders;
    private final StartRecord startRecord; // null when started by hand
    private final ConcurrentLinkedQueue<Outgoing> outbound = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final AtomicInteger ioState = new AtomicInteger(IO_RUNNING);
    private Thread ioThread;
    private final CountDownLatch exitFlushed = new CountDownLatch(1);
    private volatile boolean exiting;
    private volatile boolean retiring;
    private ZMQ.Socket wakeSend;
    private OutputCapture capture;
    private TaskRunner runner;
    private Wire wire;
    private ZContext ctx;
    private ZMQ.Socket socket;
    // the controller's defaults until its welcome says otherwise
    private long heartbeatNanos = Timeouts.HEARTBEAT.toNanos();
    private long silenceNanos = Timeouts.WORKER_SILENCE.toNanos();
    private long taskTimeoutNanos;
    private int exitAfterFlush = -1;
    private long noticedUnit; // the last unit whose start was sent in a started message

    private WorkerMain(String id, String endpoint, byte[] key, TaskClassLoaders loaders, StartRecord startRecord) {
        this.id = id;
        this.endpoint = endpoint;
        this.key = key;
        this.loaders = loaders;
        this.startRecord = startRecord;
    }

    /** Runs a worker; see the class documentation for the arguments. */
    public static void main(String[] args) throws Exception {
        String connect = null;
        String id = null;
        String keyFile = null;
        String startedFile = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--connect" -> connect = args[i + 1];
                case "--id" -> id = args[i + 1];
                case "--key-file" -> keyFile = args[i + 1];
                case "--started-file" -> startedFile = args[i + 1];
                default -> usage("unknown option " + args[i]);
            }
        }
        if (connect == null) {
            usage("--connect is required");
        }
        if (id == null) {
            id = "w" + ProcessHandle.current().pid();
        }
        byte[] key;
        try {
            if (keyFile != null) {
                key = Signer.keyFromHex(Files.readString(Path.of(keyFile)).lines().findFirst().orElse(""));
            } else {
                key = Signer.keyFromHex(readLine(System.in));
                Thread watchdog = new Thread(WorkerMain::watchStdin, "jpool-stdin-watch");
                watchdog.setDaemon(true);
                watchdog.start();
            }
        } catch (IOException | IllegalArgumentException e) {
            usage("cannot read the key: " + e.getMessage());
            return;
        }
        StartRecord startRecord = null;
        if (startedFile != null) {
            try {
                startRecord = StartRecord.attach(Path.of(startedFile));
            } catch (IOException e) {
                usage("cannot map the start record " + startedFile + ": " + e.getMessage());
                return;
            }
        }
        new WorkerMain(id, connect, key, TaskClassLoaders.shipped(), startRecord).run();
    }

    private static void usage(String problem) {
        System.err.println("jpool worker: " + problem);
        System.err.println("usage: jpool.worker.WorkerMain --connect tcp://HOST:PORT [--id ID] [--key-file PATH]"
                + " [--started-file PATH]");
        Runtime.getRuntime().halt(EXIT_USAGE);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(80);
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            line.write(b);
        }
        if (b == -1 && line.size() == 0) {
            throw new IOException("standard input closed before the key");
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    private static void watchStdin() {
        byte[] buffer = new byte[256];
        try {
            while (System.in.read(buffer) != -1) {
                // ignore anything the parent writes after the key
            }
        } catch (IOException e) {
            // treat as end of file
        }
        // The controller also closes the pipe right after sending shutdown (so that no thread sits in a
        // native read when the JVM exits: exit waits up to 300 ms for such threads). The I/O thread
        // tells the two cases apart; this thread only makes sure the worker goes.
        stdinClosed = true;
        WorkerMain w = running;
        if (w != null) {
            w.signal();
        }
        try {
            Thread.sleep(STDIN_CLOSED_BACKSTOP_MS);
        } catch (InterruptedException e) {
            // halt now
        }
        Runtime.getRuntime().halt(EXIT_PARENT_GONE);
    }

    private void signal() {
        if (ioState.compareAndSet(IO_PARKED, IO_UNPARKED)) {
            LockSupport.unpark(ioThread);
            return;
        }
        if (wakePending.compareAndSet(false, true)) {
            synchronized (this) {
                if (wakeSend != null && !Wakeups.send(wakeSend)) {
                    wakePending.set(false); // the poll ends at its timeout; a later signal may try again
                }
            }
        }
    }

    /**
     * What the I/O thread sends next, in order: results and output are batched into {@code result}
     * messages; a control message or an exit first sends the batch so far.
     */
    private sealed interface Outgoing {
    }

    private record ResultOut(UnitResult result) implements Outgoing {
    }

    private record OutputOut(OutputPiece piece) implements Outgoing {
    }

    private record ControlOut(Protocol.Msg message) implements Outgoing {
    }

    /** Exit with this code once everything before it is sent. */
    private record ExitOut(int code) implements Outgoing {
    }

    /** Service calls waiting for their reply, by call id. */
    private final Map<Long, CompletableFuture<Protocol.ServiceCall>> serviceCalls =
            new ConcurrentHashMap<>();
    private final AtomicLong nextCallId = new AtomicLong(1);

    /** Task threads call services through the I/O thread, which owns the socket. */
    private final ServiceClient services = (service, body, frames, timeout) -> {
        long id = nextCallId.getAndIncrement();
        CompletableFuture<Protocol.ServiceCall> reply = new CompletableFuture<>();
        serviceCalls.put(id, reply);
        outbound.add(new ControlOut(new Protocol.ServiceCall(service, id, body, frames)));
        signal();
        try {
            return reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            serviceCalls.remove(id);
        }
    };

    private void queueOutput(List<OutputPiece> output) {
        for (OutputPiece p : output) {
            outbound.add(new OutputOut(p));
        }
    }

    private final TaskRunner.Outbox outbox = new TaskRunner.Outbox() {
        @Override
        public void put(List<OutputPiece> output, UnitResult result) {
            queueOutput(output);
            outbound.add(new ResultOut(result));
            signal();
        }

        @Override
        public void initDone(List<OutputPiece> output, RemoteFailure failure) {
            queueOutput(output);
            if (failure == null) {
                outbound.add(new ControlOut(new Protocol.Ready()));
            } else {
                byte[] bytes;
                try {
                    bytes = PayloadCodec.serialize(failure);
                } catch (IOException e) {
                    bytes = null;
                }
                outbound.add(new ControlOut(new Protocol.InitFailed(bytes)));
                outbound.add(new ExitOut(EXIT_INIT_FAILED));
            }
            signal();
        }

        @Override
        public void retire() {
            outbound.add(new ControlOut(new Protocol.Bye()));
            outbound.add(new ExitOut(0));
            signal();
        }
    };

    private void run() {
        wire = new Wire(key, Limits.DEFAULT, new WireStats());
        ctx = new ZContext(1);
        socket = newSocket();
        ZMQ.Socket wakeRecv = ctx.createSocket(SocketType.PAIR);
        String wakeAddress = "inproc://jpool-worker-wake";
        wakeRecv.bind(wakeAddress);
        synchronized (this) {
            wakeSend = ctx.createSocket(SocketType.PAIR);
            wakeSend.connect(wakeAddress);
        }
        capture = new OutputCapture(this::signal);
        capture.install();
        running = this;
        ServiceClient.install(services);
        ioThread = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(this::onJvmExit, "jpool-exit-flush"));

        sendHello();

        ZMQ.Poller poller = ctx.createPoller(2);
        int socketIndex = poller.register(socket, ZMQ.Poller.POLLIN);
        int wakeIndex = poller.register(wakeRecv, ZMQ.Poller.POLLIN);
        long now = System.nanoTime();
        long lastHeard = now;
        long nextHeartbeat = now + heartbeatNanos;
        long lastOutputFlush = 0;
        boolean backlog = false;
        int hellosUnanswered = 0;
        long nextHello = now + Timeouts.HELLO_RETRY_FIRST.toNanos();
        long stdinClosedDeadline = Long.MAX_VALUE;
        while (true) {
            now = System.nanoTime();
            if (stdinClosed && stdinClosedDeadline == Long.MAX_VALUE) {
                stdinClosedDeadline = now + STDIN_CLOSED_GRACE_NANOS;
            }
            long deadline = Math.min(Math.min(nextHeartbeat, lastHeard + silenceNanos), stdinClosedDeadline);
            if (capture.pending()) {
                deadline = Math.min(deadline, lastOutputFlush + OUTPUT_FLUSH_NANOS);
            }
            if (runner == null) {
                deadline = Math.min(deadline, nextHello);
            }
            long taskDeadline = taskDeadline();
            if (taskDeadline != Long.MAX_VALUE) {
                deadline = Math.min(deadline, taskDeadline);
            }
            deadline = Math.min(deadline, startNoticeDeadline(now));
            long waitMs = Math.max(0, (deadline - now + 999_999) / 1_000_000);
            boolean socketIn;
            boolean wakeIn;
            if (!backlog && waitMs > 0 && runner != null && runner.soleUnit()
                    && awaitResult(Math.min(RESULT_PARK_NANOS, deadline - now))) {
                socketIn = false; // read on the next pass, at most RESULT_PARK_NANOS later
                wakeIn = false;
            } else {
                poller.poll(backlog ? 0 : waitMs);
                socketIn = poller.pollin(socketIndex);
                wakeIn = poller.pollin(wakeIndex);
            }
            now = System.nanoTime();
            if (backlog || socketIn) {
                Wire.Received r = null;
                int n = 0;
                backlog = false;
                while (n++ < 1000 && (r = wire.receive(socket, false)) != null) {
                    if (!r.dropped()) {
                        lastHeard = now;
                        handle(r.message());
                    }
                }
                backlog = r != null;
            }
            if (wakeIn) {
                while (wakeRecv.recv(ZMQ.DONTWAIT) != null) {
                    // drain wake-ups
                }
                wakePending.set(false);
            }
            if (capture.pending() && now - lastOutputFlush >= OUTPUT_FLUSH_NANOS) {
                lastOutputFlush = now;
                queueOutput(capture.drain(false));
            }
            flushOutbound();
            noticeStart(now);
            if (exiting) {
                // What the task printed just before System.exit must reach the controller before
                // "exiting" does, or its result closes without that output.
                queueOutput(capture.drain(true));
                flushOutbound();
                send(new Protocol.Exiting(runner == null ? 0 : runner.currentUnit()));
                closeSocket();
                exitFlushed.countDown();
                return; // the JVM is exiting; let it
            }
            if (exitAfterFlush >= 0) {
                BeforeHalt.runAll();
                closeSocket();
                Runtime.getRuntime().halt(exitAfterFlush);
            }
            if (now >= stdinClosedDeadline) {
                Runtime.getRuntime().halt(EXIT_PARENT_GONE); // no shutdown came: the parent is gone
            }
            if (now - lastHeard > silenceNanos) {
                capture.originalErr().println("jpool worker " + id + ": controller silent, exiting");
                Runtime.getRuntime().halt(EXIT_CONTROLLER_SILENT);
            }
            if (taskDeadline != Long.MAX_VALUE && now >= taskDeadline) {
                long unit = runner.currentUnit();
                if (unit != 0) {
                    queueOutput(capture.drain(true));
                    flushOutbound();
                    send(new Protocol.Timeout(unit, taskTimeoutNanos / 1_000_000));
                    closeSocket();
                    Runtime.getRuntime().halt(EXIT_TASK_TIMEOUT);
                }
            }
            if (runner == null && now >= nextHello) {
                // No welcome yet. Under heavy worker churn a fresh connection sometimes never delivers
                // its messages; start over on a new connection and say hello again.
                hellosUnanswered++;
                nextHello = now + Math.min(Timeouts.HELLO_RETRY_MAX.toNanos(),
                        Timeouts.HELLO_RETRY_FIRST.toNanos() * (1 + hellosUnanswered));
                poller.unregister(socket);
                socket.setLinger(0);
                socket.close();
                socket = newSocket();
                socketIndex = poller.register(socket, ZMQ.Poller.POLLIN);
                sendHello();
            }
            if (now >= nextHeartbeat) {
                nextHeartbeat = now + heartbeatNanos;
                if (runner == null) {
                    sendHello(); // still no welcome: repeat the hello (also done sooner by the hello timer)
                } else {
                    long unit = runner.currentUnit();
                    Runtime rt = Runtime.getRuntime();
                    send(new Protocol.Heartbeat(unit, unit == 0 ? 0 : (now - runner.currentStartNanos()) / 1_000_000,
                            rt.totalMemory() - rt.freeMemory(), rt.maxMemory()));
                }
            }
        }
    }

    /**
     * Waits for the result of the one unit the task thread holds. Apply-style round trips are short, and
     * a park ended by {@link #signal()} hands the result over faster than the inproc wake-up socket and
     * a poll. True if the outbox may have something.
     */
    private boolean awaitResult(long nanos) {
        ioState.set(IO_PARKED);
        if (outbound.isEmpty()) {
            LockSupport.parkNanos(this, nanos);
        }
        return ioState.getAndSet(IO_RUNNING) == IO_UNPARKED || !outbound.isEmpty();
    }

    private ZMQ.Socket newSocket() {
        ZMQ.Socket s = ctx.createSocket(SocketType.DEALER);
        s.setIdentity(id.getBytes(StandardCharsets.UTF_8));
        s.setLinger(Timeouts.SOCKET_LINGER.toMillis());
        s.setSndHWM(0);
        s.setRcvHWM(0);
        s.connect(endpoint);
        return s;
    }

    /**
     * When the I/O thread must look again whether the running unit needs a {@code started} message: when
     * the unit has run for {@link #STARTED_NOTICE_NANOS}, or, while the task thread holds units but none
     * is marked running yet (it is between two units), that long from now. Nothing wakes the I/O thread
     * when a unit starts, only when one ends, so this deadline is what makes every start be seen.
     */
    private long startNoticeDeadline(long now) {
        if (runner == null) {
            return Long.MAX_VALUE;
        }
        long unit = runner.currentUnit();
        if (unit != 0) {
            return unit == noticedUnit ? Long.MAX_VALUE : runner.currentStartNanos() + STARTED_NOTICE_NANOS;
        }
        return runner.holdsUnits() ? now + STARTED_NOTICE_NANOS : Long.MAX_VALUE;
    }

    /** Sends {@code started} for the running unit once it has run for {@link #STARTED_NOTICE_NANOS}. */
    private void noticeStart(long now) {
        if (runner == null) {
            return;
        }
        long unit = runner.currentUnit();
        if (unit == 0 || unit == noticedUnit) {
            return;
        }
        long startNanos = runner.currentStartNanos();
        long startMicros = runner.currentStartMicros();
        if (runner.currentUnit() != unit) {
            return; // it moved on meanwhile: the start times read may be the next unit's
        }
        if (now - startNanos < STARTED_NOTICE_NANOS) {
            return;
        }
        noticedUnit = unit;
        send(new Protocol.Started(unit, startMicros));
    }

    private void sendHello() {
        send(new Protocol.Hello(id, ProcessHandle.current().pid(), hostName()));
    }

    private void send(Protocol.Msg message) {
        wire.send(socket, null, Protocol.encode(message));
    }

    private long taskDeadline() {
        if (taskTimeoutNanos <= 0 || runner == null || runner.currentUnit() == 0) {
            return Long.MAX_VALUE;
        }
        return runner.currentStartNanos() + taskTimeoutNanos;
    }

    private void handle(Message received) {
        Protocol.Msg m;
        try {
            m = Protocol.decode(received);
        } catch (MalformedMessageException e) {
            wire.stats().countMalformed();
            return;
        }
        if (!m.type().sentByController() || (runner == null && m.type() != MessageType.WELCOME
                && m.type() != MessageType.HEARTBEAT && m.type() != MessageType.SHUTDOWN)) {
            wire.stats().countMalformed(); // not ours to receive, or a task before the welcome
            return;
        }
        switch (m.type()) {
            case WELCOME -> welcome((Protocol.Welcome) m);
            case TASK -> {
                Protocol.Tasks tasks = (Protocol.Tasks) m;
                for (long job : tasks.droppedJobs()) {
                    runner.dropJob(job);
                }
                runner.add(tasks.units());
            }
            case CANCEL -> {
                for (long unit : ((Protocol.Cancel) m).units()) {
                    if (runner.cancel(unit)) {
                        outbound.add(new ResultOut(new UnitResult(unit, UnitResult.CANCELLED, 0, TaskRunner.micros(),
                                new int[0], new byte[0])));
                    }
                }
            }
            case STEAL -> {
                for (long unit : ((Protocol.Steal) m).units()) {
                    if (runner.takeBack(unit)) {
                        outbound.add(new ResultOut(new UnitResult(unit, UnitResult.RETURNED, 0, 0, new int[0],
                                new byte[0])));
                    }
                }
            }
            case SHUTDOWN -> {
                queueOutput(capture.drain(true));
                exitAfterFlush = 0;
            }
            case HEARTBEAT -> {
                // liveness only
            }
            case SERVICE -> {
                Protocol.ServiceCall reply = (Protocol.ServiceCall) m;
                CompletableFuture<Protocol.ServiceCall> waiting = serviceCalls.remove(reply.callId());
                if (waiting != null) {
                    waiting.complete(reply);
                }
            }
            default -> wire.stats().countMalformed();
        }
    }

    private void welcome(Protocol.Welcome w) {
        if (runner != null) {
            return;
        }
        heartbeatNanos = w.heartbeatMs() * 1_000_000L;
        silenceNanos = w.silenceMs() * 1_000_000L;
        taskTimeoutNanos = w.taskTimeoutMs() * 1_000_000L;
        loaders.limits(w.limits());
        String publicId = id.contains(".") ? id.substring(0, id.indexOf('.')) : id;
        runner = new TaskRunner(outbox, loaders, w.limits(), capture, w.maxTasks(), startRecord, publicId,
                w.workerIndex());
        runner.start(w.initializer(), w.initializerCode());
    }

    private void flushOutbound() {
        List<UnitResult> results = new ArrayList<>();
        List<OutputPiece> output = new ArrayList<>();
        Outgoing item;
        while ((item = outbound.poll()) != null) {
            if (item instanceof ResultOut r) {
                results.add(r.result());
                if (results.size() >= MAX_BATCH) {
                    sendBatch(results, output);
                }
            } else if (item instanceof OutputOut p) {
                output.add(p.piece());
            } else if (item instanceof ControlOut control) {
                sendBatch(results, output);
                send(control.message());
            } else if (item instanceof ExitOut exit) {
                sendBatch(results, output);
                exitAfterFlush = exit.code();
            }
        }
        sendBatch(results, output);
    }

    private void sendBatch(List<UnitResult> results, List<OutputPiece> output) {
        if (results.isEmpty() && output.isEmpty()) {
            return;
        }
        send(new Protocol.Results(results, output));
        results.clear();
        output.clear();
    }

    private void closeSocket() {
        synchronized (this) {
            wakeSend = null; // signal() from other threads (stdin watchdog, exit hook) must not use it now
        }
        ctx.close();
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** Shutdown hook: a task called System.exit (or the JVM is stopping); let the I/O thread flush. */
    private void onJvmExit() {
        exiting = true;
        signal();
        try {
            exitFlushed.await(Timeouts.EXIT_FLUSH.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }


}
