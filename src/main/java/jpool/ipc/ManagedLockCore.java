package jpool.ipc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The owner's state of a managed lock, reentrant lock or (bounded) semaphore: free permits, who
 * holds them (per process, so that a process that dies gives them back) and the FIFO of waiters.
 *
 * <p>Invariants: a thread waits only while nothing is free for it; a released permit goes to the
 * oldest waiter, if any, before it is counted free; for a reentrant lock {@code owner} is null
 * exactly when {@code depth} is 0.
 */
final class ManagedLockCore extends ManagedCore {

    private final String kind;
    private final boolean reentrant;
    private final int bound; // Integer.MAX_VALUE unless bounded (or a plain lock: 1)
    private int permits;
    private final Map<String, Integer> heldByPeer = new HashMap<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private String owner; // reentrant only
    private int depth;

    ManagedLockCore(String kind, boolean reentrant, int permits, int bound) {
        this.kind = kind;
        this.reentrant = reentrant;
        this.permits = permits;
        this.bound = bound;
    }

    private static String holderOf(Waiter w) {
        return new String(w.item, StandardCharsets.UTF_8);
    }

    private static String peerOf(String holder) {
        return holder.substring(0, holder.lastIndexOf('#'));
    }

    @Override
    Waiter invoke(String peer, String op, ManagedCodec.In arg, boolean wait) {
        String me = holder(peer, arg.thread);
        switch (op) {
            case "acquire" -> {
                if (reentrant && me.equals(owner)) {
                    depth++;
                    return Waiter.done(Boolean.TRUE);
                }
                boolean free = reentrant ? owner == null : permits > 0;
                if (free && waiters.isEmpty()) {
                    grant(me);
                    return Waiter.done(Boolean.TRUE);
                }
                if (!wait) {
                    return Waiter.done(Boolean.FALSE);
                }
                Waiter w = new Waiter(peer, me.getBytes(StandardCharsets.UTF_8));
                waiters.addLast(w);
                return w;
            }
            case "release" -> {
                release(me);
                return Waiter.done(Boolean.TRUE);
            }
            case "locked" -> {
                return Waiter.done(reentrant ? owner != null : permits == 0);
            }
            case "heldByMe" -> {
                return Waiter.done(me.equals(owner) ? (long) depth : 0L);
            }
            case "permits" -> {
                return Waiter.done((long) permits);
            }
            default -> throw noOp(kind, op);
        }
    }

    private void grant(String holder) {
        if (reentrant) {
            owner = holder;
            depth = 1;
        } else {
            permits--;
        }
        heldByPeer.merge(peerOf(holder), 1, Integer::sum);
    }

    private void release(String me) {
        if (reentrant) {
            if (!me.equals(owner)) {
                throw new IllegalStateException("this thread does not hold the managed " + kind
                        + (owner == null ? " (no thread does)" : ""));
            }
            if (--depth > 0) {
                return;
            }
            owner = null;
            debit(peerOf(me));
            handOff();
            return;
        }
        if (permits >= bound) {
            throw new IllegalStateException(bound == 1 ? "release of an unlocked managed lock"
                    : "the managed bounded semaphore was released more times than it was acquired (bound " + bound + ")");
        }
        // A lock or semaphore may be released by another thread or process than the one that took it
        // (as in Python): the releasing process's share is debited first, else any holder's.
        String peer = peerOf(me);
        if (!heldByPeer.containsKey(peer) && !heldByPeer.isEmpty()) {
            peer = heldByPeer.keySet().iterator().next();
        }
        debit(peer);
        permits++;
        handOff();
    }

    private void debit(String peer) {
        heldByPeer.computeIfPresent(peer, (k, n) -> n > 1 ? n - 1 : null);
    }

    /** Gives what is free to the oldest waiters. */
    private void handOff() {
        while (!waiters.isEmpty() && (reentrant ? owner == null : permits > 0)) {
            Waiter w = waiters.pollFirst();
            grant(holderOf(w));
            w.future.complete(Boolean.TRUE);
        }
    }

    @Override
    boolean cancel(Waiter w) {
        return waiters.remove(w);
    }

    @Override
    void lost(String peer) {
        waiters.removeIf(w -> peer.equals(w.peer));
        Integer held = heldByPeer.remove(peer);
        if (held == null) {
            return;
        }
        if (reentrant) {
            owner = null;
            depth = 0;
        } else {
            permits += held;
        }
        handOff();
    }
}
