package jpool.ipc;

import java.util.ArrayDeque;

/**
 * The state of one pipe, in its owner: for each of the two ends, the messages sent to it and not yet
 * received, whether it is closed (and why), the waiters in {@code recv} and {@code poll}, and the peer
 * JVM holding it. One monitor guards it; nothing in here blocks.
 *
 * <p>An end is attached to the first other JVM that uses it; if that JVM is lost, the end is closed,
 * so the other end sees end of file instead of waiting for ever. Messages are tagged byte arrays
 * ({@link PipeHandle}).
 */
final class PipeCore implements Served {

    private final boolean duplex;
    @SuppressWarnings("unchecked")
    private final ArrayDeque<byte[]>[] inbox = new ArrayDeque[] {new ArrayDeque<>(), new ArrayDeque<>()};
    @SuppressWarnings("unchecked")
    private final ArrayDeque<Waiter>[] receivers = new ArrayDeque[] {new ArrayDeque<>(), new ArrayDeque<>()};
    @SuppressWarnings("unchecked")
    private final ArrayDeque<Waiter>[] pollers = new ArrayDeque[] {new ArrayDeque<>(), new ArrayDeque<>()};
    private final String[] closedWhy = new String[2];
    private final String[] holder = new String[2];

    PipeCore(boolean duplex) {
        this.duplex = duplex;
    }

    boolean readable(int end) {
        return duplex || end == 0;
    }

    boolean writable(int end) {
        return duplex || end == 1;
    }

    private void checkUsable(int end, boolean send) {
        if (closedWhy[end] != null) {
            throw new IllegalStateException("this end of the pipe is closed (" + closedWhy[end] + ")");
        }
        if (send && !writable(end)) {
            throw new IllegalStateException("this is the receiving end of a one-way pipe: it cannot send");
        }
        if (!send && !readable(end)) {
            throw new IllegalStateException("this is the sending end of a one-way pipe: it cannot receive");
        }
    }

    private PipeClosedException eof(int end) {
        return new PipeClosedException("end of file: the other end of the pipe is closed (" + closedWhy[1 - end] + ")");
    }

    synchronized void send(int end, byte[] message) throws PipeClosedException {
        checkUsable(end, true);
        int other = 1 - end;
        if (closedWhy[other] != null) {
            throw new PipeClosedException("cannot send: the other end of the pipe is closed (" + closedWhy[other] + ")");
        }
        Waiter r = receivers[other].pollFirst();
        if (r != null) {
            r.future.complete(message);
        } else {
            inbox[other].addLast(message);
        }
        wakePollers(other, true);
    }

    private void wakePollers(int end, boolean value) {
        for (Waiter p : pollers[end]) {
            p.future.complete(value);
        }
        pollers[end].clear();
    }

    synchronized Waiter recv(String peer, int end, boolean wait) {
        checkUsable(end, false);
        byte[] m = inbox[end].pollFirst();
        if (m != null) {
            return Waiter.done(m);
        }
        if (closedWhy[1 - end] != null) {
            Waiter w = new Waiter(peer, null);
            w.future.completeExceptionally(eof(end));
            return w;
        }
        if (!wait) {
            return null;
        }
        Waiter w = new Waiter(peer, null);
        receivers[end].addLast(w);
        return w;
    }

    synchronized Waiter poll(String peer, int end, boolean wait) {
        checkUsable(end, false);
        if (!inbox[end].isEmpty() || closedWhy[1 - end] != null) {
            return Waiter.done(Boolean.TRUE);
        }
        if (!wait) {
            return null;
        }
        Waiter w = new Waiter(peer, null);
        pollers[end].addLast(w);
        return w;
    }

    /** Puts a message back at the head of an end's inbox (its receiver could not take it). */
    synchronized void unrecv(int end, byte[] message) {
        Waiter r = receivers[end].pollFirst();
        if (r != null) {
            r.future.complete(message);
        } else {
            inbox[end].addFirst(message);
        }
    }

    synchronized boolean cancel(int end, Waiter w) {
        return receivers[end].remove(w) || pollers[end].remove(w);
    }

    synchronized void close(int end, String why) {
        if (closedWhy[end] != null) {
            return;
        }
        closedWhy[end] = why;
        inbox[end].clear();
        for (Waiter r : receivers[end]) {
            r.future.completeExceptionally(new IllegalStateException("this end of the pipe was closed while waiting"));
        }
        receivers[end].clear();
        wakePollers(end, false);
        int other = 1 - end;
        for (Waiter r : receivers[other]) {
            r.future.completeExceptionally(eof(other));
        }
        receivers[other].clear();
        wakePollers(other, true);
    }

    synchronized boolean isClosed(int end) {
        return closedWhy[end] != null;
    }

    private synchronized void attach(int end, String peer) {
        if (holder[end] == null) {
            holder[end] = peer;
        }
    }

    @Override
    public void peerLost(String peer) {
        for (int end = 0; end < 2; end++) {
            synchronized (this) {
                receivers[end].removeIf(w -> peer.equals(w.peer));
                pollers[end].removeIf(w -> peer.equals(w.peer));
                if (peer.equals(holder[end])) {
                    close(end, "the process holding it exited");
                }
            }
        }
    }

    @Override
    public void serve(Call c) {
        int end = c.part;
        if (end != 0 && end != 1) {
            c.fail("error", "a pipe has no end " + end);
            return;
        }
        attach(end, c.peer);
        try {
            switch (c.op) {
                case "send" -> {
                    send(end, c.frame());
                    c.ok(1, null);
                }
                case "recv" -> {
                    Waiter w = recv(c.peer, end, c.waits());
                    if (w == null) {
                        c.fail("empty", null);
                    } else {
                        c.deferred(w.future, () -> cancel(end, w), "empty", m -> unrecv(end, m));
                    }
                }
                case "poll" -> {
                    Waiter w = poll(c.peer, end, c.waits());
                    if (w == null) {
                        c.ok(0, null);
                    } else {
                        c.deferred(w.future, () -> cancel(end, w), "ok0", null);
                    }
                }
                case "unrecv" -> unrecv(end, c.frame());
                case "close" -> {
                    close(end, "closed by the process holding it");
                    c.ok(1, null);
                }
                default -> c.fail("error", "a pipe has no operation " + c.op);
            }
        } catch (PipeClosedException | IllegalStateException e) {
            c.fail(e);
        }
    }
}
