package jpool.ipc;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import jpool.wire.Limits;
import jpool.wire.Message;
import jpool.wire.Signer;
import jpool.wire.Wire;
import jpool.wire.WireStats;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * This JVM's connection to another JVM's hub: one DEALER socket, owned by this JVM's hub I/O thread,
 * shared by every handle of that owner's objects and every thread that calls them. A caller's thread
 * posts its request and parks on a future that the I/O thread completes with the reply, or fails
 * with {@link IpcOwnerLostException} once the owner has been silent for the silence limit.
 */
final class Link {

    final Hub hub;
    final String endpoint;
    final long ownerPid;
    private final boolean ownerLocal;
    private final byte[] key;
    private final AtomicLong nextCall = new AtomicLong();
    private final Map<Long, CompletableFuture<Message>> calls = new ConcurrentHashMap<>();
    private final Map<Long, Consumer<Message>> abandoned = new ConcurrentHashMap<>();
    private final Map<String, Message> deferred = new ConcurrentHashMap<>();
    private volatile IpcOwnerLostException lost;

    // I/O thread only
    private ZMQ.Socket socket;
    private Wire wire;
    private long lastHeard;
    private boolean heardAnything;
    private long connectedAt;
    private int reconnects;
    // what was sent before anything was heard from the owner, to send again on a new socket
    private List<Message> unanswered = new ArrayList<>();

    private static final long RECONNECT_NANOS = Math.max(2 * Hub.HEARTBEAT_NANOS, 1_500_000_000L);
    private static final int MAX_RECONNECTS = 5;
    private static final int MAX_UNANSWERED = 10_000;

    Link(Hub hub, IpcRef ref) {
        this.hub = hub;
        this.endpoint = ref.endpoint();
        this.ownerPid = ref.ownerPid();
        this.ownerLocal = endpoint.startsWith("tcp://127.0.0.1:");
        this.key = Signer.keyFromHex(ref.keyHex());
    }

    /** The owner as error messages name it. */
    String owner() {
        return "pid " + ownerPid + " (" + endpoint + ")";
    }

    /** A request on its way: its call id and the future of its reply. */
    record Pending(long id, CompletableFuture<Message> reply) {
    }

    /** Sends a request and returns the future of its reply. */
    Pending call(long oid, int part, String op, long timeoutNanos, byte[] frame) {
        IpcOwnerLostException l = lost;
        if (l != null) {
            return new Pending(0, CompletableFuture.failedFuture(l));
        }
        long c = nextCall.incrementAndGet();
        CompletableFuture<Message> f = new CompletableFuture<>();
        calls.put(c, f);
        Message m = request(c, oid, part, op, timeoutNanos, frame, false);
        hub.post(() -> send(m));
        if (lost != null) {
            f.completeExceptionally(lost); // lost between the check and the put: fail() may have missed it
        }
        return new Pending(c, f);
    }

    /**
     * Asks the owner to answer once it has read everything sent before; null if this link never sent
     * anything or is lost.
     */
    Pending ping() {
        if (lost != null || nextCall.get() == 0) {
            return null;
        }
        long c = nextCall.incrementAndGet();
        CompletableFuture<Message> f = new CompletableFuture<>();
        calls.put(c, f);
        JsonObject b = new JsonObject();
        b.addProperty("c", c);
        Message m = new Message("ping", b, null);
        hub.post(() -> send(m));
        return new Pending(c, f);
    }

    /** Sends a request that expects no reply unless it fails. */
    void send(long oid, int part, String op, byte[] frame) {
        IpcOwnerLostException l = lost;
        if (l != null) {
            throw l;
        }
        Message m = request(nextCall.incrementAndGet(), oid, part, op, 0, frame, true);
        hub.post(() -> send(m));
    }

    /** The failure reply an earlier asynchronous request of (object, part) met, once, or null. */
    Message takeDeferred(long oid, int part) {
        return deferred.remove(oid + "/" + part);
    }

    /** Throws if the owner is known to be gone. */
    void checkLost() {
        IpcOwnerLostException l = lost;
        if (l != null) {
            throw l;
        }
    }

    /**
     * Gives up waiting for the reply of {@code call} (the caller was interrupted): the owner is asked
     * to cancel it, and a reply that was already on its way goes to {@code late} (which puts a taken
     * element back, so nothing is lost).
     */
    void abandon(Pending p, Consumer<Message> late) {
        long c = p.id();
        CompletableFuture<Message> f = p.reply();
        if (calls.remove(c) == null) {
            if (f.isDone() && !f.isCompletedExceptionally()) {
                late.accept(f.join());
            }
            return;
        }
        abandoned.put(c, late);
        JsonObject b = new JsonObject();
        b.addProperty("c", c);
        Message m = new Message("cancel", b, null);
        hub.post(() -> send(m));
    }

    private Message request(long c, long oid, int part, String op, long timeoutNanos, byte[] frame, boolean async) {
        JsonObject b = new JsonObject();
        b.addProperty("c", c);
        b.addProperty("o", oid);
        b.addProperty("p", part);
        b.addProperty("op", op);
        b.addProperty("t", timeoutNanos);
        if (async) {
            b.addProperty("a", true);
        }
        List<byte[]> frames = new ArrayList<>(1);
        if (frame != null) {
            frames.add(frame);
        }
        return new Message("call", b, frames);
    }

    /** Waits for a reply; the owner's loss and the reply's failure statuses that are not the caller's to handle are thrown. */
    static Message await(Pending p) throws InterruptedException {
        try {
            return p.reply().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IpcException("IPC call failed: " + e.getCause(), e.getCause());
        }
    }

    /** The exception for a reply's failure status, or null for "ok". */
    RuntimeException failure(Message reply) {
        String s = reply.header().get("s").getAsString();
        String m = reply.header().has("m") ? reply.header().get("m").getAsString() : s;
        return switch (s) {
            case "ok" -> null;
            case "state" -> new IllegalStateException(m);
            case "nobj" -> new IpcException(m + "; the object was made in another run of that JVM, or never");
            default -> new IpcException("the owner " + owner() + " answered " + s + ": " + m);
        };
    }

    // ------------------------------------------------------------------ I/O thread

    ZMQ.Socket socket() {
        return socket;
    }

    private void send(Message m) {
        if (lost != null) {
            Hub.trace("link -> " + endpoint + " lost, not sent: " + m.type() + " " + m.header());
            return;
        }
        if (socket == null) {
            wire = new Wire(key, Limits.DEFAULT, new WireStats());
            lastHeard = System.nanoTime();
            connect();
        }
        if (!heardAnything && unanswered != null) {
            if (unanswered.size() < MAX_UNANSWERED) {
                unanswered.add(m);
            } else {
                unanswered = null; // too much to send again: a stalled connection is then failed by the silence limit
            }
        }
        boolean ok = wire.send(socket, null, m);
        if (Hub.TRACE && !m.type().equals("hb")) {
            Hub.trace("link -> " + endpoint + " " + m.type() + " " + m.header() + " ok=" + ok);
        }
    }

    private void connect() {
        socket = hub.context().createSocket(SocketType.DEALER);
        socket.setIdentity(hub.id.getBytes(StandardCharsets.US_ASCII));
        socket.setSndHWM(0);
        socket.setRcvHWM(0);
        socket.setLinger(0);
        socket.connect(endpoint);
        connectedAt = System.nanoTime();
        hub.linkOpened(this);
        Hub.trace("link " + hub.id + " -> " + endpoint + " connected");
    }

    /**
     * JeroMQ (0.6.0), under load, now and then completes the TCP connection but never starts the ZeroMQ
     * handshake on it: the owner's greeting waits unread and nothing passes either way. An owner that hears
     * us answers within a heartbeat, so a link that has heard nothing for a while gets a new socket and
     * sends again what it sent on the old one, which the owner cannot have received. I/O thread.
     */
    private void reconnectIfNeverHeard(long now) {
        if (heardAnything || unanswered == null || now - connectedAt < RECONNECT_NANOS || reconnects >= MAX_RECONNECTS) {
            return;
        }
        reconnects++;
        Hub.trace("link -> " + endpoint + " heard nothing in " + (now - connectedAt) / 1_000_000 + " ms: new socket, "
                + unanswered.size() + " messages again");
        hub.linkClosed(this);
        socket.close();
        connect();
        for (Message m : unanswered) {
            wire.send(socket, null, m);
        }
    }

    void drain() {
        Wire.Received r;
        while (socket != null && (r = wire.receive(socket, false)) != null) {
            if (r.dropped()) {
                Hub.trace("link <- " + endpoint + " dropped a message");
                continue;
            }
            lastHeard = System.nanoTime();
            heardAnything = true;
            unanswered = null;
            Message m = r.message();
            JsonObject h = m.header();
            if (Hub.TRACE && !m.type().equals("hb")) {
                Hub.trace("link <- " + endpoint + " " + m.type() + " " + h);
            }
            switch (m.type()) {
                case "re" -> {
                    long c = h.get("c").getAsLong();
                    CompletableFuture<Message> f = calls.remove(c);
                    if (f != null) {
                        f.complete(m);
                    } else {
                        Consumer<Message> late = abandoned.remove(c);
                        if (late != null && h.get("s").getAsString().equals("ok")) {
                            late.accept(m);
                        }
                    }
                }
                case "err" -> deferred.put(h.get("o").getAsLong() + "/" + h.get("p").getAsInt(), m);
                default -> {
                    // hb: lastHeard is all it is for
                }
            }
        }
    }

    void tick(long now) {
        if (socket == null) {
            return;
        }
        // An owner on this host that has exited is known at once; the silence limit is for the
        // owner that hangs (or, later, one on another host).
        if (ownerLocal && ProcessHandle.of(ownerPid).map(p -> !p.isAlive()).orElse(true)) {
            fail(new IpcOwnerLostException("the JVM that owns this IPC object, " + owner()
                    + ", has exited; what it held is lost"));
            return;
        }
        reconnectIfNeverHeard(now);
        long silent = now - lastHeard;
        if (silent > Hub.SILENCE_NANOS) {
            String heard = heardAnything ? "has not answered for " + silent / 1_000_000 + " ms"
                    : "has not answered in the " + silent / 1_000_000 + " ms since this JVM connected";
            fail(new IpcOwnerLostException("the JVM that owns this IPC object, " + owner() + ", " + heard
                    + " (limit: jpool-ipc.silenceMillis=" + Hub.SILENCE_NANOS / 1_000_000
                    + "); it hangs or cannot be reached, and what it held is lost [from it: " + wire.stats() + "]"));
        } else {
            wire.send(socket, null, Message.of("hb"));
        }
    }

    /** This link's state for {@link Hub#describe()}. I/O thread. */
    String describe(long now) {
        String state = lost != null ? "lost" : socket == null ? "not connected"
                : heardAnything ? "heard " + (now - lastHeard) / 1_000_000 + " ms ago" : "nothing heard yet";
        return endpoint + " (" + state + ", " + calls.size() + " calls waiting" + (wire == null ? "" : ", " + wire.stats()) + ")";
    }

    /** Fails every call now and later with {@code e}. I/O thread. */
    void fail(IpcOwnerLostException e) {
        Hub.trace("link -> " + endpoint + " failed: " + e.getMessage());
        lost = e;
        if (socket != null) {
            socket.close();
            socket = null;
            hub.linkClosed(this);
        }
        for (CompletableFuture<Message> f : calls.values()) {
            f.completeExceptionally(e);
        }
        calls.clear();
        abandoned.clear();
    }
}
