package jpool.jupyter;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * The kernel side of the Jupyter messaging protocol 5.3 over ZeroMQ.
 *
 * <p>Threads: one poller thread owns every socket and never sleeps: it waits on the shell, control,
 * stdin and heartbeat sockets and on an internal wake-up socket, decodes and verifies what arrives,
 * and sends what other threads queued. Shell requests run one at a time on the shell thread, control
 * requests on the control thread (so an interrupt or shutdown is handled while a cell runs), and the comm
 * messages of targets {@linkplain CommManager#registerTargetOutsideShell served outside the shell queue} on a
 * comm thread of their own (so a Stop button acts while a cell runs). Any
 * thread may {@link #publish} at any time; without an explicit parent the publication uses the
 * {@linkplain #currentParent() current parent}: the most recent execute_request, as ipykernel does.
 */
public final class JupyterServer implements AutoCloseable {

    private static final byte[] EMPTY = new byte[0];

    private final ConnectionInfo info;
    private final WireCodec codec;
    private final String session = UUID.randomUUID().toString();
    private final String username = "kernel";
    private final PrintStream log;
    private final boolean debug = System.getenv("JPOOL_DEBUG") != null;

    private final Map<String, RequestHandler> handlers = new ConcurrentHashMap<>();
    private final LinkedBlockingDeque<JupyterMessage> shellQueue = new LinkedBlockingDeque<>();
    private final LinkedBlockingDeque<JupyterMessage> controlQueue = new LinkedBlockingDeque<>();
    private final LinkedBlockingDeque<JupyterMessage> commQueue = new LinkedBlockingDeque<>();
    private final ConcurrentLinkedQueue<Outgoing> outgoing = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final Object wakeLock = new Object();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final CommManager comms;

    private ZMQ.Context context;
    private ZMQ.Socket wakeSender;
    private boolean wakeClosed; // guarded by wakeLock
    private volatile boolean closing;
    private volatile JupyterMessage currentParent;
    private volatile JupyterMessage currentShellRequest;
    private volatile CompletableFuture<String> pendingInput;
    private Thread poller;
    private Thread shellThread;
    private Thread controlThread;
    private Thread commThread;

    /**
     * @param info the connection file
     * @param log where protocol problems are reported (the kernel's real stderr)
     */
    public JupyterServer(ConnectionInfo info, PrintStream log) {
        this.info = info;
        this.codec = new WireCodec(new JupyterSigner(info.signatureScheme(), info.key()));
        this.log = log;
        this.comms = new CommManager(this);
    }

    /** Registers the handler of a request type, e.g. {@code execute_request}; replaces an earlier one. */
    public void on(String msgType, RequestHandler handler) {
        handlers.put(msgType, handler);
    }

    /** The comm registry (comm_open, comm_msg, comm_close, comm_info). */
    public CommManager comms() {
        return comms;
    }

    /** This kernel's session id, used in the headers of the messages it sends. */
    public String session() {
        return session;
    }

    /** Binds the sockets and starts the poller, shell and control threads. */
    public synchronized void start() {
        context = ZMQ.context(1);
        ZMQ.Socket shell = bind(SocketType.ROUTER, info.shellPort());
        ZMQ.Socket control = bind(SocketType.ROUTER, info.controlPort());
        ZMQ.Socket stdin = bind(SocketType.ROUTER, info.stdinPort());
        ZMQ.Socket iopub = bind(SocketType.PUB, info.iopubPort());
        iopub.setSndHWM(100_000);
        ZMQ.Socket hb = bind(SocketType.REP, info.hbPort());
        String wakeAddress = "inproc://jpool-wake-" + session;
        ZMQ.Socket wakeReceiver = context.socket(SocketType.PULL);
        wakeReceiver.bind(wakeAddress);
        wakeSender = context.socket(SocketType.PUSH);
        wakeSender.connect(wakeAddress);
        Sockets sockets = new Sockets(shell, control, stdin, iopub, hb, wakeReceiver);
        poller = new Thread(() -> pollLoop(sockets), "jupyter-poller");
        poller.setDaemon(true);
        poller.start();
        shellThread = new Thread(() -> requestLoop(shellQueue, Channel.SHELL, false), "jupyter-shell");
        shellThread.setDaemon(true);
        shellThread.start();
        controlThread = new Thread(() -> requestLoop(controlQueue, Channel.CONTROL, false), "jupyter-control");
        controlThread.setDaemon(true);
        controlThread.start();
        commThread = new Thread(() -> requestLoop(commQueue, Channel.SHELL, true), "jupyter-comm");
        commThread.setDaemon(true);
        commThread.start();
        publish(null, "status", status("starting"), null);
    }

    private ZMQ.Socket bind(SocketType type, int port) {
        ZMQ.Socket s = context.socket(type);
        s.setLinger(1000);
        s.bind(info.address(port));
        return s;
    }

    private record Sockets(ZMQ.Socket shell, ZMQ.Socket control, ZMQ.Socket stdin, ZMQ.Socket iopub,
                           ZMQ.Socket hb, ZMQ.Socket wake) {
    }

    private record Outgoing(Channel channel, List<byte[]> frames) {
    }

    // ------------------------------------------------------------------ poller thread

    private void pollLoop(Sockets s) {
        ZMQ.Poller poller = context.poller(5);
        int shellIdx = poller.register(s.shell, ZMQ.Poller.POLLIN);
        int controlIdx = poller.register(s.control, ZMQ.Poller.POLLIN);
        int stdinIdx = poller.register(s.stdin, ZMQ.Poller.POLLIN);
        int hbIdx = poller.register(s.hb, ZMQ.Poller.POLLIN);
        int wakeIdx = poller.register(s.wake, ZMQ.Poller.POLLIN);
        try {
            while (true) {
                poller.poll(-1);
                if (poller.pollin(wakeIdx)) {
                    while (s.wake.recv(ZMQ.DONTWAIT) != null) {
                        // drain wake-ups
                    }
                }
                wakePending.set(false);
                sendQueued(s);
                if (closing) {
                    break;
                }
                if (poller.pollin(hbIdx)) {
                    byte[] ping;
                    while ((ping = s.hb.recv(ZMQ.DONTWAIT)) != null) {
                        s.hb.send(ping, 0);
                    }
                }
                if (poller.pollin(controlIdx)) {
                    receiveAll(s.control, Channel.CONTROL);
                }
                if (poller.pollin(shellIdx)) {
                    receiveAll(s.shell, Channel.SHELL);
                }
                if (poller.pollin(stdinIdx)) {
                    receiveAll(s.stdin, Channel.STDIN);
                }
            }
        } catch (RuntimeException | Error e) {
            if (!closing) {
                log.println("jpool: poller failed: " + e);
                e.printStackTrace(log);
            }
        } finally {
            poller.close();
            for (ZMQ.Socket sock : List.of(s.shell, s.control, s.stdin, s.iopub, s.hb, s.wake)) {
                sock.close();
            }
            synchronized (wakeLock) {
                wakeClosed = true;
                wakeSender.close();
            }
            context.term();
            terminated.countDown();
        }
    }

    private void sendQueued(Sockets s) {
        Outgoing o;
        while ((o = outgoing.poll()) != null) {
            ZMQ.Socket sock = switch (o.channel) {
                case SHELL -> s.shell;
                case CONTROL -> s.control;
                case STDIN -> s.stdin;
                case IOPUB -> s.iopub;
                case HEARTBEAT -> s.hb;
            };
            List<byte[]> frames = o.frames;
            for (int i = 0; i < frames.size(); i++) {
                sock.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
            }
        }
    }

    private void receiveAll(ZMQ.Socket sock, Channel channel) {
        while (true) {
            byte[] first = sock.recv(ZMQ.DONTWAIT);
            if (first == null) {
                return;
            }
            List<byte[]> frames = new ArrayList<>();
            frames.add(first);
            while (sock.hasReceiveMore()) {
                frames.add(sock.recv(0));
            }
            JupyterMessage m;
            try {
                m = codec.decode(frames);
            } catch (WireCodec.BadMessageException e) {
                log.println("jpool: dropped a message on " + channel.name().toLowerCase() + ": " + e.getMessage());
                continue;
            }
            if (debug) {
                log.println("jpool: <- " + channel + " " + m.msgType());
            }
            switch (channel) {
                // decided here, in arrival order, so a comm's messages all take the same queue
                case SHELL -> (comms.servedOutsideShell(m) ? commQueue : shellQueue).add(m);
                case CONTROL -> controlQueue.add(m);
                case STDIN -> receivedInput(m);
                default -> { }
            }
        }
    }

    private void receivedInput(JupyterMessage m) {
        CompletableFuture<String> pending = pendingInput;
        if ("input_reply".equals(m.msgType()) && pending != null) {
            pending.complete(m.contentString("value", ""));
        }
    }

    // ------------------------------------------------------------------ request threads

    /**
     * Handles the requests of one queue in order.
     *
     * @param beside whether the queue is served beside the shell queue (comm messages of targets served
     *     outside it)
     */
    private void requestLoop(LinkedBlockingDeque<JupyterMessage> queue, Channel channel, boolean beside) {
        while (!closing) {
            JupyterMessage m;
            try {
                m = queue.take();
            } catch (InterruptedException e) {
                if (closing) {
                    return;
                }
                continue;
            }
            try {
                handle(m, channel, beside);
            } catch (RuntimeException | Error e) {
                log.println("jpool: failed handling " + m.msgType() + ": " + e);
                e.printStackTrace(log);
            }
        }
    }

    private void handle(JupyterMessage m, Channel channel, boolean beside) {
        String type = m.msgType();
        // Beside a running cell the kernel stays busy: an idle status now would tell the frontend otherwise.
        boolean status = !beside || currentShellRequest == null;
        if (status) {
            publish(m, "status", status("busy"), null);
        }
        try {
            if (channel == Channel.SHELL && !beside) {
                currentShellRequest = m;
                if ("execute_request".equals(type)) {
                    currentParent = m;
                }
            }
            RequestHandler handler = handlers.get(type);
            JsonObject reply;
            if (handler == null) {
                if (debug) {
                    log.println("jpool: no handler for " + type);
                }
                reply = type.endsWith("_request") ? errorContent("NotImplemented", "unknown request " + type) : null;
            } else {
                try {
                    long t0 = System.nanoTime();
                    reply = handler.handle(new Request(m, channel, this));
                    if (debug) {
                        log.printf("jpool: %s handled in %.3f ms%n", type, (System.nanoTime() - t0) / 1e6);
                    }
                } catch (Exception | LinkageError | AssertionError e) {
                    reply = errorContent(e.getClass().getName(), String.valueOf(e.getMessage()));
                }
            }
            if (reply != null) {
                if (!reply.has("status")) {
                    reply.addProperty("status", "ok");
                }
                String replyType = type.endsWith("_request")
                        ? type.substring(0, type.length() - "_request".length()) + "_reply" : type + "_reply";
                // Abort before replying: only requests queued behind the failed cell are dropped, never
                // one a client sends after it has seen the error reply.
                if ("execute_request".equals(type) && "error".equals(reply.get("status").getAsString())
                        && m.contentBoolean("stop_on_error", true)) {
                    abortQueuedExecutions();
                }
                send(channel, m.identities(), m, replyType, reply, null);
            }
        } finally {
            if (channel == Channel.SHELL && !beside) {
                currentShellRequest = null;
            }
            if (status) {
                publish(m, "status", status("idle"), null);
            }
            if ("shutdown_request".equals(type)) {
                close();
            }
        }
    }

    /** After a failed cell, queued execute requests are answered "aborted" and not run (as ipykernel does). */
    private void abortQueuedExecutions() {
        List<JupyterMessage> keep = new ArrayList<>();
        JupyterMessage q;
        while ((q = shellQueue.poll()) != null) {
            if ("execute_request".equals(q.msgType())) {
                publish(q, "status", status("busy"), null);
                JsonObject aborted = new JsonObject();
                aborted.addProperty("status", "aborted");
                aborted.addProperty("execution_count", 0);
                send(Channel.SHELL, q.identities(), q, "execute_reply", aborted, null);
                publish(q, "status", status("idle"), null);
            } else {
                keep.add(q);
            }
        }
        for (int i = keep.size() - 1; i >= 0; i--) {
            shellQueue.addFirst(keep.get(i));
        }
    }

    // ------------------------------------------------------------------ sending

    /** Content of an error reply. */
    public static JsonObject errorContent(String ename, String evalue, String... traceback) {
        JsonObject c = new JsonObject();
        c.addProperty("status", "error");
        c.addProperty("ename", ename);
        c.addProperty("evalue", evalue);
        JsonArray tb = new JsonArray();
        for (String t : traceback) {
            tb.add(t);
        }
        c.add("traceback", tb);
        return c;
    }

    private static JsonObject status(String state) {
        JsonObject c = new JsonObject();
        c.addProperty("execution_state", state);
        return c;
    }

    /** The parent of background publications: the most recent execute_request, or null before the first. */
    public JupyterMessage currentParent() {
        return currentParent;
    }

    /** Publishes on iopub under the {@linkplain #currentParent() current parent}; callable from any thread. */
    public void publish(String msgType, JsonObject content) {
        publish(currentParent, msgType, content, null);
    }

    /** Publishes on iopub under the given parent (null for none); callable from any thread. */
    public void publish(JupyterMessage parent, String msgType, JsonObject content, JsonObject metadata) {
        byte[] topic = ("kernel." + session + "." + msgType).getBytes(StandardCharsets.UTF_8);
        send(Channel.IOPUB, List.of(topic), parent, msgType, content, metadata);
    }

    /** Sends a message on a channel; callable from any thread. */
    public void send(Channel channel, List<byte[]> identities, JupyterMessage parent, String msgType, JsonObject content,
                     JsonObject metadata) {
        JupyterMessage m = new JupyterMessage(identities, JupyterMessage.newHeader(msgType, session, username),
                parent == null ? new JsonObject() : parent.header(), metadata, content, null);
        outgoing.add(new Outgoing(channel, codec.encode(m)));
        wake();
    }

    private void wake() {
        if (wakePending.compareAndSet(false, true)) {
            synchronized (wakeLock) {
                if (!wakeClosed && wakeSender != null) {
                    // JeroMQ fails a call from an interrupted thread (a cell thread the user interrupted), and an
                    // interrupt during its write closes its signalling channel for good: set the status aside.
                    boolean interrupted = Thread.interrupted();
                    try {
                        if (!wakeSender.send(EMPTY, ZMQ.DONTWAIT)) {
                            wakePending.set(false);
                        }
                    } catch (org.zeromq.ZMQException e) {
                        wakePending.set(false);
                    } finally {
                        if (interrupted) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ stdin

    /** Whether the shell request being handled allows input requests. */
    public boolean stdinAllowed() {
        JupyterMessage req = currentShellRequest;
        return req != null && req.contentBoolean("allow_stdin", false);
    }

    /**
     * Asks the frontend for a line of input (input_request on stdin) and waits for the answer.
     * Only one input request is outstanding at a time.
     *
     * @throws IOException when the current request does not allow stdin, or the wait was cancelled
     */
    public synchronized String requestInput(String prompt, boolean password) throws IOException {
        JupyterMessage req = currentShellRequest;
        if (req == null || !req.contentBoolean("allow_stdin", false)) {
            throw new IOException("stdin is not available: this frontend does not accept input requests");
        }
        CompletableFuture<String> answer = new CompletableFuture<>();
        pendingInput = answer;
        JsonObject c = new JsonObject();
        c.addProperty("prompt", prompt);
        c.addProperty("password", password);
        send(Channel.STDIN, req.identities(), req, "input_request", c, null);
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for input");
        } catch (ExecutionException e) {
            throw new InterruptedIOException("input cancelled: " + e.getCause().getMessage());
        } finally {
            pendingInput = null;
        }
    }

    /** Cancels a pending input request (used by interrupt); the waiting reader gets an IOException. */
    public void cancelInput(String why) {
        CompletableFuture<String> pending = pendingInput;
        if (pending != null) {
            pending.completeExceptionally(new IOException(why));
        }
    }

    // ------------------------------------------------------------------ shutdown

    /** Sends what is queued, closes the sockets and ends the threads. Idempotent. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        wakePending.set(false);
        wake();
        shellThread.interrupt();
        controlThread.interrupt();
        commThread.interrupt();
    }

    /** Waits until the sockets are closed after {@link #close()}. */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }
}
