package jpool.ipc;

/**
 * The owner's state of one managed object. Each operation runs under the core's monitor
 * ({@link #invoke}) and never blocks: one that has to wait returns a pending {@link Waiter}, which a
 * later operation completes (a release, a set, the last party). Threads of the owner call it
 * through {@link #call} and park on the waiter; other JVMs through {@link #serve}, on the hub's I/O
 * thread, with a deferred reply.
 *
 * <p>A waiter completes with a {@code byte[]} (a payload), a {@code Boolean} or a {@code Number}; a
 * failure completes it exceptionally.
 */
abstract class ManagedCore implements Served, ManagedBackend {

    /** The holder name of a thread: its process ("" for the owner's own threads, else the peer) and thread id. */
    static String holder(String peer, long thread) {
        return peer + "#" + thread;
    }

    /**
     * Runs {@code op} for a thread of {@code peer} ("" in the owner). Called with the monitor held.
     *
     * @param wait whether the caller is willing to wait; if not, an operation that would wait answers false
     */
    abstract Waiter invoke(String peer, String op, ManagedCodec.In arg, boolean wait);

    /** Removes a waiter that gave up (timeout, interrupt); true if it was still waiting. Monitor held. */
    abstract boolean cancel(Waiter w);

    /** A process is gone: drop its waiters, release what it held. Monitor held. */
    abstract void lost(String peer);

    private synchronized Waiter run(String peer, String op, byte[] arg, boolean wait) {
        return invoke(peer, op, new ManagedCodec.In(arg), wait);
    }

    private synchronized boolean cancelLocked(Waiter w) {
        return cancel(w);
    }

    @Override
    public final synchronized void peerLost(String peer) {
        lost(peer);
    }

    @Override
    public final Reply call(String op, byte[] arg, long timeoutNanos, String undo) throws InterruptedException {
        Waiter w = run("", op, arg, timeoutNanos != 0);
        if (w.await(timeoutNanos, this::cancelLocked) == Waiter.Outcome.TIMED_OUT) {
            return new Reply(0, null);
        }
        try {
            return reply(w.value());
        } catch (PipeClosedException e) {
            throw new IllegalStateException(e.getMessage(), e); // not used by managed objects
        }
    }

    static Reply reply(Object v) {
        if (v instanceof byte[] b) {
            return new Reply(1, b);
        }
        if (v instanceof Number n) {
            return new Reply(n.longValue(), null);
        }
        return new Reply(Boolean.TRUE.equals(v) ? 1 : 0, null);
    }

    @Override
    public final void serve(Call c) {
        Waiter w;
        try {
            w = run(c.peer, c.op, c.frames.isEmpty() ? new byte[0] : c.frame(), c.waits());
        } catch (IndexOutOfBoundsException e) {
            c.fail("index", e.getMessage());
            return;
        } catch (IllegalArgumentException e) {
            c.fail("arg", e.getMessage());
            return;
        } catch (IllegalStateException e) {
            c.fail("state", e.getMessage());
            return;
        }
        if (w.future.isDone() && !w.future.isCompletedExceptionally()) {
            Reply r = reply(w.future.join());
            c.ok(r.n(), r.frame());
        } else {
            c.deferred(w.future, () -> cancelLocked(w), "ok0", null);
        }
    }

    /** The error for an operation this kind does not have. */
    static IllegalArgumentException noOp(String kind, String op) {
        return new IllegalArgumentException("a managed " + kind + " has no operation " + op
                + "; use the same jpool version in every JVM");
    }
}
