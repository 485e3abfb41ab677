package jpool.ipc;

import java.util.ArrayList;
import java.util.List;

/**
 * The owner's state of a managed barrier: the parties waiting in the current generation and whether
 * it is broken. The last party to arrive releases all; a party that times out, is interrupted or
 * whose process dies breaks the barrier for the others, as {@link java.util.concurrent.CyclicBarrier}
 * does.
 */
final class ManagedBarrierCore extends ManagedCore {

    /** The start of the message of a broken barrier, which handles turn into BrokenBarrierException. */
    static final String BROKEN = "broken barrier: ";

    private final int parties;
    private final List<Waiter> arrived = new ArrayList<>();
    private boolean broken;

    ManagedBarrierCore(int parties) {
        this.parties = parties;
    }

    @Override
    Waiter invoke(String peer, String op, ManagedCodec.In arg, boolean wait) {
        switch (op) {
            case "await" -> {
                if (broken) {
                    throw new IllegalStateException(BROKEN + "it was broken before this party arrived (call reset())");
                }
                int index = parties - 1 - arrived.size();
                if (index == 0) {
                    for (Waiter w : arrived) {
                        w.future.complete(w.item);
                    }
                    arrived.clear();
                    return Waiter.done(ManagedCodec.intBytes(0));
                }
                if (!wait) {
                    breakBarrier("a party did not wait (timeout 0)");
                    return Waiter.done(Boolean.FALSE);
                }
                Waiter w = new Waiter(peer, ManagedCodec.intBytes(index));
                arrived.add(w);
                return w;
            }
            case "reset" -> {
                breakBarrier("it was reset while this party waited");
                broken = false;
                return Waiter.done(Boolean.TRUE);
            }
            case "waiting" -> {
                return Waiter.done((long) arrived.size());
            }
            case "broken" -> {
                return Waiter.done(broken);
            }
            default -> throw noOp("barrier", op);
        }
    }

    private void breakBarrier(String why) {
        broken = true;
        for (Waiter w : arrived) {
            w.future.completeExceptionally(new IllegalStateException(BROKEN + why));
        }
        arrived.clear();
    }

    @Override
    boolean cancel(Waiter w) {
        if (!arrived.remove(w)) {
            return false;
        }
        breakBarrier("another party timed out or was interrupted");
        return true;
    }

    @Override
    void lost(String peer) {
        if (arrived.removeIf(w -> peer.equals(w.peer))) {
            breakBarrier("the process of a waiting party died");
        }
    }
}
