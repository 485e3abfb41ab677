package jpool.ipc;

import com.google.gson.JsonObject;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import jpool.cluster.LibraryThreads;
import jpool.wire.BeforeHalt;
import jpool.wire.Wakeups;
import jpool.wire.Limits;
import jpool.wire.Message;
import jpool.wire.Signer;
import jpool.wire.Wire;
import jpool.wire.WireStats;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * This JVM's end of jpool's inter-process traffic, started the first time an IPC object is made or
 * arrives here. It owns, on one I/O thread:
 *
 * <ul>
 * <li>a ROUTER socket on 127.0.0.1 (random port) where other JVMs call the objects this JVM owns
 *     ({@link Served}), every message signed with this hub's random key;</li>
 * <li>one DEALER socket per other hub this JVM calls ({@link Link}), signed with that hub's key;</li>
 * <li>heartbeats both ways: a peer (caller) silent for longer than the silence limit, or one whose
 *     connection is gone (a send to it fails, the ROUTER being "mandatory"), is lost and the objects
 *     drop what it was waiting for; an owner silent that long fails every call to it.</li>
 * </ul>
 *
 * Other threads post commands ({@link #post}); nothing here blocks on anything but the poller.
 */
final class Hub {

    static final long HEARTBEAT_NANOS = Long.getLong("jpool-ipc.heartbeatMillis", 500) * 1_000_000;
    static final long SILENCE_NANOS = Long.getLong("jpool-ipc.silenceMillis", 10_000) * 1_000_000;
    static final long FLUSH_NANOS = 5_000_000_000L;

    /**
     * Waits, at most {@code nanos}, until every owner this JVM sent to has received all of it: a ping on
     * each link, answered after everything sent before it (one connection keeps order).
     */
    void flush(long nanos) {
        long deadline = System.nanoTime() + nanos;
        List<java.util.concurrent.CompletableFuture<Message>> pings = new ArrayList<>();
        for (Link l : links.values()) {
            Link.Pending p = l.ping();
            if (p != null) {
                pings.add(p.reply());
            }
        }
        for (var f : pings) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // lost or too slow: nothing more to do at exit
            }
        }
    }

    /** With -Djpool-ipc.trace=true every message in and out is logged to stderr: for finding lost traffic. */
    static final boolean TRACE = Boolean.getBoolean("jpool-ipc.trace");

    /** Logs one line of traffic when tracing is on. */
    static void trace(String what) {
        if (TRACE) {
            System.err.println("[ipc " + ProcessHandle.current().pid() + " " + System.currentTimeMillis() % 100_000 + "] " + what);
        }
    }

    private static volatile Hub instance;

    final String id;
    final byte[] key;
    final long pid = ProcessHandle.current().pid();
    volatile String endpoint;

    private final AtomicLong nextObject = new AtomicLong();
    private final Map<Long, Served> objects = new ConcurrentHashMap<>();
    private final Map<String, Object> localHandles = new ConcurrentHashMap<>();
    private final Map<String, Object> remoteHandles = new ConcurrentHashMap<>();
    private final Map<String, Link> links = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile Throwable startFailure;
    private volatile Throwable failure;
    private volatile Thread ioThread;

    // I/O thread only
    private ZContext ctx;
    private ZMQ.Socket router;
    private ZMQ.Socket wakeRecv;
    private ZMQ.Socket wakeSend;
    private Wire wire;
    private final WireStats stats = new WireStats();
    private final Map<String, Long> peers = new HashMap<>();
    private final Map<String, java.util.function.BooleanSupplier> cancels = new HashMap<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final List<Link> activeLinks = new ArrayList<>();
    private boolean pollerDirty = true;

    private record Timer(long deadline, Runnable action) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            return Long.compare(deadline, o.deadline);
        }
    }

    private Hub() {
        byte[] idBytes = new byte[8];
        new SecureRandom().nextBytes(idBytes);
        id = HexFormat.of().formatHex(idBytes);
        key = Signer.newKey();
    }

    /** This JVM's hub, started on first use. */
    static Hub get() {
        Hub h = instance;
        if (h != null) {
            return h;
        }
        synchronized (Hub.class) {
            if (instance == null) {
                Hub created = new Hub();
                created.start();
                instance = created;
            }
            return instance;
        }
    }

    /** This JVM's hub if one was started, else null. */
    static Hub existing() {
        return instance;
    }

    private void start() {
        // The sockets are made on the I/O thread, a library thread, so that JeroMQ's own threads
        // belong to jpool's thread group and not to whatever (cell) thread made the first object.
        ioThread = LibraryThreads.newThread(this::run, "jpool-ipc-hub");
        ioThread.start();
        try {
            started.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IpcException("interrupted while starting this JVM's IPC hub");
        }
        if (startFailure != null) {
            throw new IpcException("cannot start this JVM's IPC hub (a socket on 127.0.0.1): " + startFailure,
                    startFailure);
        }
        // A process that ends normally delivers what it put: at a worker's halt and at a JVM's exit.
        BeforeHalt.register(() -> flush(FLUSH_NANOS));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> flush(FLUSH_NANOS), "jpool-ipc-flush"));
    }

    // ------------------------------------------------------------------ objects this JVM owns

    /** Registers an object this JVM owns and returns its id. */
    long register(Served object) {
        long oid = nextObject.incrementAndGet();
        objects.put(oid, object);
        return oid;
    }

    /** Remembers the owner's own handle of (object, part), which a ref that comes back resolves to. */
    void registerLocalHandle(long oid, int part, Object handle) {
        localHandles.put(oid + "/" + part, handle);
    }

    /** The ref that stands for (object, part) of this hub when serialized. */
    IpcRef ref(long oid, int part, String kind, int capacity) {
        return new IpcRef(endpoint, Signer.keyToHex(key), id, pid, oid, part, kind, capacity);
    }

    /** What a deserialized ref stands for in this JVM: the owner's own handle or a remote one. */
    Object resolve(IpcRef ref) {
        if (ref.hubId().equals(id)) {
            Object local = localHandles.get(ref.objectId() + "/" + ref.part());
            if (local == null) {
                throw new IpcException("this JVM owns no IPC object " + ref.objectId() + " (" + ref.kind() + ")");
            }
            return local;
        }
        Link link = links.computeIfAbsent(ref.hubId(), h -> new Link(this, ref));
        return remoteHandles.computeIfAbsent(ref.hubId() + "/" + ref.objectId() + "/" + ref.part(),
                k -> IpcKinds.remote(ref, link));
    }

    // ------------------------------------------------------------------ posting to the I/O thread

    /** Runs {@code command} on the I/O thread, soon. */
    void post(Runnable command) {
        Throwable f = failure;
        if (f != null) {
            throw new IpcException("this JVM's IPC hub has failed (" + f + "): its queues, pipes and calls to other"
                    + " JVMs no longer work; restart this JVM (the kernel)", f);
        }
        commands.add(command);
        if (Thread.currentThread() == ioThread) {
            return; // the loop runs the queue before it polls again
        }
        if (wakePending.compareAndSet(false, true)) {
            synchronized (this) {
                if (!Wakeups.send(wakeSend)) {
                    wakePending.set(false); // the loop runs the command at its next heartbeat anyway
                }
            }
        }
    }

    /** Whether the caller is the I/O thread. */
    boolean onIoThread() {
        return Thread.currentThread() == ioThread;
    }

    /** Runs {@code action} on the I/O thread once {@code deadline} (System.nanoTime) has passed. I/O thread only. */
    void schedule(long deadline, Runnable action) {
        timers.add(new Timer(deadline, action));
    }

    /** Registers how to cancel a deferred call of a peer. I/O thread only. */
    void putCancel(String peer, long call, java.util.function.BooleanSupplier cancel) {
        cancels.put(peer + ":" + call, cancel);
    }

    /** Forgets the cancel of a call that got its reply. I/O thread only. */
    void removeCancel(String peer, long call) {
        cancels.remove(peer + ":" + call);
    }

    /**
     * Sends a message to a peer on the ROUTER. I/O thread only.
     *
     * @return false if the peer's connection is gone (it is then treated as lost)
     */
    boolean sendToPeer(String peer, Message m) {
        boolean ok;
        try {
            ok = wire.send(router, peer.getBytes(java.nio.charset.StandardCharsets.US_ASCII), m);
        } catch (ZMQException e) {
            ok = false; // EHOSTUNREACH: ROUTER_MANDATORY says the peer is not connected
        }
        if (TRACE && !m.type().equals("hb")) {
            trace("to " + peer + " " + m.type() + " " + m.header() + " ok=" + ok);
        }
        if (!ok) {
            peerLost(peer, "its connection closed");
        }
        return ok;
    }

    // ------------------------------------------------------------------ the I/O loop

    private void run() {
        try {
            ctx = new ZContext(1);
            router = ctx.createSocket(SocketType.ROUTER);
            router.setSndHWM(0);
            router.setRcvHWM(0);
            router.setLinger(0);
            router.setRouterMandatory(true);
            // a caller that replaces its connection (Link's reconnect) takes its routing id over at once
            router.setRouterHandover(true);
            endpoint = "tcp://127.0.0.1:" + router.bindToRandomPort("tcp://127.0.0.1");
            String wakeAddress = "inproc://jpool-ipc-wake";
            wakeRecv = ctx.createSocket(SocketType.PAIR);
            wakeRecv.bind(wakeAddress);
            wakeSend = ctx.createSocket(SocketType.PAIR);
            wakeSend.connect(wakeAddress);
            wire = new Wire(key, Limits.DEFAULT, stats);
        } catch (RuntimeException e) {
            startFailure = e;
            started.countDown();
            return;
        }
        started.countDown();
        try {
            loop();
        } catch (Throwable t) {
            failure = t;
            System.err.println("jpool ipc: the hub's I/O thread failed; IPC calls of this JVM will not be answered: " + t);
            t.printStackTrace();
            for (Link l : links.values()) {
                l.fail(new IpcOwnerLostException("this JVM's IPC hub failed: " + t));
            }
        }
    }

    private void loop() {
        ZMQ.Poller poller = null;
        long nextTick = System.nanoTime() + HEARTBEAT_NANOS;
        while (true) {
            if (pollerDirty) {
                if (poller != null) {
                    poller.close();
                }
                poller = ctx.createPoller(2 + activeLinks.size());
                poller.register(router, ZMQ.Poller.POLLIN);
                poller.register(wakeRecv, ZMQ.Poller.POLLIN);
                for (Link l : activeLinks) {
                    poller.register(l.socket(), ZMQ.Poller.POLLIN);
                }
                pollerDirty = false;
            }
            long now = System.nanoTime();
            long until = nextTick;
            Timer first = timers.peek();
            if (first != null && first.deadline() < until) {
                until = first.deadline();
            }
            long waitMs = commands.isEmpty() ? Math.max(0, (until - now + 999_999) / 1_000_000) : 0;
            poller.poll(waitMs);
            if (poller.pollin(1)) {
                while (wakeRecv.recv(ZMQ.DONTWAIT) != null) {
                    // drain wake-ups
                }
            }
            wakePending.set(false);
            Runnable command;
            while ((command = commands.poll()) != null) {
                guarded(command, "a command");
            }
            if (poller.pollin(0)) {
                Wire.Received r;
                int n = 0;
                while (n++ < 10_000 && (r = wire.receive(router, true)) != null) {
                    if (r.dropped()) {
                        trace("dropped a message on the router: " + stats);
                    } else {
                        Wire.Received in = r;
                        guarded(() -> fromPeer(new String(in.identity(), java.nio.charset.StandardCharsets.US_ASCII),
                                in.message()), "a message from another JVM");
                    }
                }
            }
            for (int i = 0; i < activeLinks.size(); i++) {
                Link l = activeLinks.get(i);
                if (!pollerDirty && poller.pollin(2 + i)) {
                    guarded(l::drain, "a reply from " + l.endpoint);
                }
            }
            now = System.nanoTime();
            while (!timers.isEmpty() && timers.peek().deadline() - now <= 0) {
                guarded(timers.poll().action(), "a timer");
            }
            if (now - nextTick >= 0) {
                long at = now;
                guarded(() -> tick(at), "the heartbeat");
                nextTick = now + HEARTBEAT_NANOS;
            }
        }
    }

    /**
     * Runs one step of the loop; a bug in it is reported and the loop goes on, since a dead I/O thread
     * would silently stop every IPC object of this JVM.
     */
    private static void guarded(Runnable step, String what) {
        try {
            step.run();
        } catch (RuntimeException e) {
            System.err.println("jpool ipc: handling " + what + " failed; the hub goes on: " + e);
            e.printStackTrace();
        }
    }

    private void tick(long now) {
        for (Iterator<Map.Entry<String, Long>> it = new ArrayList<>(peers.entrySet()).iterator(); it.hasNext();) {
            Map.Entry<String, Long> e = it.next();
            if (!peers.containsKey(e.getKey())) {
                continue;
            }
            if (now - e.getValue() > SILENCE_NANOS) {
                peerLost(e.getKey(), "it was silent for " + (now - e.getValue()) / 1_000_000 + " ms");
            } else {
                sendToPeer(e.getKey(), Message.of("hb"));
            }
        }
        for (Link l : new ArrayList<>(activeLinks)) {
            l.tick(now);
        }
    }

    /** A link's socket exists now (I/O thread). */
    void linkOpened(Link l) {
        activeLinks.add(l);
        pollerDirty = true;
    }

    /** A link's socket was closed (I/O thread). */
    void linkClosed(Link l) {
        activeLinks.remove(l);
        pollerDirty = true;
    }

    /**
     * What this hub knows, for diagnosing lost traffic: its endpoint and counters, the peers it hears
     * and the owners it calls. Asked of the I/O thread; if that does not answer within a second, says so.
     */
    String describe() {
        java.util.concurrent.CompletableFuture<String> f = new java.util.concurrent.CompletableFuture<>();
        post(() -> {
            long now = System.nanoTime();
            StringBuilder b = new StringBuilder("hub ").append(id).append(" pid ").append(pid).append(" at ")
                    .append(endpoint).append(": router ").append(stats).append("; ").append(objects.size())
                    .append(" objects; peers");
            peers.forEach((p, t) -> b.append(' ').append(p).append(" (heard ").append((now - t) / 1_000_000)
                    .append(" ms ago)"));
            b.append("; links");
            links.values().forEach(l -> b.append(' ').append(l.describe(now)));
            f.complete(b.toString());
        });
        try {
            return f.get(1, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return "hub " + id + " pid " + pid + ": its I/O thread did not answer within 1 s (" + ioThread.getState() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "hub " + id + ": interrupted while asking";
        } catch (java.util.concurrent.ExecutionException e) {
            return "hub " + id + ": " + e.getCause();
        }
    }

    ZContext context() {
        return ctx;
    }

    private void fromPeer(String peer, Message m) {
        if (peers.put(peer, System.nanoTime()) == null) {
            trace("new peer " + peer);
        }
        JsonObject h = m.header();
        if (TRACE && !m.type().equals("hb")) {
            trace("from " + peer + " " + m.type() + " " + h);
        }
        switch (m.type()) {
            case "hb" -> {
            }
            case "ping" -> {
                JsonObject b = new JsonObject();
                b.addProperty("c", h.get("c").getAsLong());
                b.addProperty("s", "ok");
                sendToPeer(peer, new Message("re", b, null));
            }
            case "call" -> {
                Call c = new Call(this, peer, h.get("c").getAsLong(), h.get("op").getAsString(),
                        h.get("p").getAsInt(), h.get("t").getAsLong(), h.has("a") && h.get("a").getAsBoolean(),
                        m.frames(), h.get("o").getAsLong());
                Served s = objects.get(c.objectId);
                if (s == null) {
                    c.fail("nobj", "the owner (pid " + pid + ") has no IPC object " + c.objectId);
                    return;
                }
                try {
                    s.serve(c);
                } catch (RuntimeException e) {
                    c.fail("error", "the owner (pid " + pid + ") failed: " + e);
                }
            }
            case "cancel" -> {
                String k = peer + ":" + h.get("c").getAsLong();
                java.util.function.BooleanSupplier cancel = cancels.get(k);
                if (cancel != null && cancel.getAsBoolean()) {
                    cancels.remove(k);
                    JsonObject b = new JsonObject();
                    b.addProperty("c", h.get("c").getAsLong());
                    b.addProperty("s", "cancelled");
                    sendToPeer(peer, new Message("re", b, null));
                }
            }
            default -> {
                // an unknown type from a signed peer: a newer jpool; ignored
            }
        }
    }

    private void peerLost(String peer, String why) {
        if (peers.remove(peer) == null) {
            return;
        }
        trace("peer " + peer + " lost: " + why);
        cancels.keySet().removeIf(k -> k.startsWith(peer + ":"));
        for (Served s : objects.values()) {
            s.peerLost(peer);
        }
    }
}
