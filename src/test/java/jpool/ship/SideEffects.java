package jpool.ship;

import java.util.concurrent.atomic.AtomicInteger;

/** On the application class path, so kernel-side and worker-side cell classes share it. */
public final class SideEffects {
    public static final AtomicInteger inits = new AtomicInteger();

    private SideEffects() {
    }
}
