package jpool.wire;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What must run before a worker JVM halts at its controller's shutdown (a halt skips shutdown hooks):
 * the IPC hub registers the flush of its outgoing messages here, so that a process's last puts are not
 * lost when it ends normally.
 */
public final class BeforeHalt {

    private static final List<Runnable> ACTIONS = new CopyOnWriteArrayList<>();

    private BeforeHalt() {
    }

    /** Adds an action; it must bound its own time. */
    public static void register(Runnable action) {
        ACTIONS.add(action);
    }

    /** Runs every action once, in order; a failing one does not stop the others. */
    public static void runAll() {
        for (Runnable a : ACTIONS) {
            try {
                a.run();
            } catch (RuntimeException e) {
                // halting anyway
            }
        }
    }
}
