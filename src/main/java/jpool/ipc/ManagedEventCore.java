package jpool.ipc;

import java.util.ArrayList;
import java.util.List;

/** The owner's state of a managed event: a flag and the threads waiting for it to be set. */
final class ManagedEventCore extends ManagedCore {

    private boolean flag;
    private final List<Waiter> waiters = new ArrayList<>();

    @Override
    Waiter invoke(String peer, String op, ManagedCodec.In arg, boolean wait) {
        switch (op) {
            case "set" -> {
                flag = true;
                for (Waiter w : waiters) {
                    w.future.complete(Boolean.TRUE);
                }
                waiters.clear();
                return Waiter.done(Boolean.TRUE);
            }
            case "clear" -> {
                flag = false;
                return Waiter.done(Boolean.TRUE);
            }
            case "isSet" -> {
                return Waiter.done(flag);
            }
            case "await" -> {
                if (flag || !wait) {
                    return Waiter.done(flag);
                }
                Waiter w = new Waiter(peer, null);
                waiters.add(w);
                return w;
            }
            default -> throw noOp("event", op);
        }
    }

    @Override
    boolean cancel(Waiter w) {
        return waiters.remove(w);
    }

    @Override
    void lost(String peer) {
        waiters.removeIf(w -> peer.equals(w.peer));
    }
}
