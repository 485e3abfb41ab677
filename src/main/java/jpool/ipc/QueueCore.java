package jpool.ipc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of one queue, in its owner: encoded elements, the waiters for elements, for space and
 * (joinable queues) for the unfinished count to reach zero. One monitor guards it all; nothing in
 * here blocks. Local calls come through {@link QueueBackend}; calls of other JVMs through
 * {@link #serve}, on the hub's I/O thread.
 *
 * <p>Invariants: a getter waits only while there is no element; a putter waits only while the queue
 * is full; {@code unfinished} counts successful puts minus task-done calls and is never negative.
 */
final class QueueCore implements Served, QueueBackend {

    private final int capacity;
    private final ArrayDeque<byte[]> items = new ArrayDeque<>();
    private final ArrayDeque<Waiter> getters = new ArrayDeque<>();
    private final ArrayDeque<Waiter> putters = new ArrayDeque<>();
    private final List<Waiter> joiners = new ArrayList<>();
    private long unfinished;

    QueueCore(int capacity) {
        this.capacity = capacity;
    }

    private boolean hasSpace() {
        return items.size() < capacity;
    }

    // ------------------------------------------------------------------ the state machine (monitor held)

    private synchronized Waiter take(String peer, boolean wait) {
        byte[] x = items.pollFirst();
        if (x != null) {
            while (!putters.isEmpty() && hasSpace()) {
                Waiter p = putters.pollFirst();
                items.addLast(p.item);
                unfinished++;
                p.future.complete(Boolean.TRUE);
            }
            return Waiter.done(x);
        }
        if (!wait) {
            return null;
        }
        Waiter w = new Waiter(peer, null);
        getters.addLast(w);
        return w;
    }

    private synchronized Waiter add(String peer, byte[] item, boolean wait) {
        Waiter g = getters.pollFirst();
        if (g != null) {
            unfinished++;
            g.future.complete(item);
            return Waiter.done(Boolean.TRUE);
        }
        if (hasSpace()) {
            items.addLast(item);
            unfinished++;
            return Waiter.done(Boolean.TRUE);
        }
        if (!wait) {
            return null;
        }
        Waiter w = new Waiter(peer, item);
        putters.addLast(w);
        return w;
    }

    /** Puts back, at the head, an element whose taker could not receive it (gone, interrupted, unreadable). */
    @Override
    public synchronized void unget(byte[] item) {
        Waiter g = getters.pollFirst();
        if (g != null) {
            g.future.complete(item);
        } else {
            items.addFirst(item);
        }
    }

    private synchronized Waiter joinWaiter(String peer, boolean wait) {
        if (unfinished == 0) {
            return Waiter.done(Boolean.TRUE);
        }
        if (!wait) {
            return null;
        }
        Waiter w = new Waiter(peer, null);
        joiners.add(w);
        return w;
    }

    private synchronized boolean cancel(Waiter w) {
        return getters.remove(w) || putters.remove(w) || joiners.remove(w);
    }

    @Override
    public synchronized void taskDone() {
        if (unfinished == 0) {
            throw new IllegalStateException("taskDone() called more times than elements were put: no element is "
                    + "unfinished (call it once for each element you took with get)");
        }
        if (--unfinished == 0) {
            for (Waiter j : joiners) {
                j.future.complete(Boolean.TRUE);
            }
            joiners.clear();
        }
    }

    @Override
    public synchronized int size() {
        return items.size();
    }

    @Override
    public synchronized int unfinished() {
        return (int) Math.min(Integer.MAX_VALUE, unfinished);
    }

    @Override
    public synchronized void peerLost(String peer) {
        getters.removeIf(w -> peer.equals(w.peer));
        putters.removeIf(w -> peer.equals(w.peer));
        joiners.removeIf(w -> peer.equals(w.peer));
    }

    // ------------------------------------------------------------------ local calls (the owner's handle)

    @Override
    public boolean put(byte[] item, long timeoutNanos) throws InterruptedException {
        Waiter w = add(null, item, timeoutNanos != 0);
        return w != null && w.await(timeoutNanos, this::cancel) == Waiter.Outcome.DONE;
    }

    @Override
    public byte[] get(long timeoutNanos) throws InterruptedException {
        Waiter w = take(null, timeoutNanos != 0);
        if (w == null || w.await(timeoutNanos, this::cancel) != Waiter.Outcome.DONE) {
            return null;
        }
        return (byte[]) w.future.join();
    }

    @Override
    public boolean join(long timeoutNanos) throws InterruptedException {
        Waiter w = joinWaiter(null, timeoutNanos != 0);
        return w != null && w.await(timeoutNanos, this::cancel) == Waiter.Outcome.DONE;
    }

    // ------------------------------------------------------------------ calls of other JVMs (I/O thread)

    @Override
    public void serve(Call c) {
        switch (c.op) {
            case "put" -> {
                Waiter w = add(c.peer, c.frame(), c.waits());
                if (w == null) {
                    c.fail("full", null);
                } else {
                    c.deferred(w.future, () -> cancel(w), "full", null);
                }
            }
            case "get" -> {
                Waiter w = take(c.peer, c.waits());
                if (w == null) {
                    c.fail("empty", null);
                } else {
                    c.deferred(w.future, () -> cancel(w), "empty", this::unget);
                }
            }
            case "join" -> {
                Waiter w = joinWaiter(c.peer, c.waits());
                if (w == null) {
                    c.ok(0, null);
                } else {
                    c.deferred(w.future, () -> cancel(w), "ok0", null);
                }
            }
            case "unget" -> unget(c.frame());
            case "size" -> c.ok(size(), null);
            case "unfinished" -> c.ok(unfinished(), null);
            case "done" -> {
                try {
                    taskDone();
                    c.ok(1, null);
                } catch (IllegalStateException e) {
                    c.fail(e);
                }
            }
            default -> c.fail("error", "a queue has no operation " + c.op);
        }
    }
}
