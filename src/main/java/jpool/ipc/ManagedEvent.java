package jpool.ipc;

import java.util.concurrent.TimeUnit;

/**
 * A flag held by its owner JVM that threads of every process can wait for (Python's
 * {@code Manager().Event()}): {@link #set()} wakes every waiter, {@link #clear()} lowers it again.
 */
public final class ManagedEvent extends ManagedHandle {

    private static final long serialVersionUID = 1L;

    ManagedEvent(IpcRef ref, ManagedBackend backend) {
        super(ref, backend);
    }

    /**
     * Sets the flag and wakes every thread waiting for it.
     *
     * @throws IpcOwnerLostException if the owner is gone
     */
    public void set() {
        now("set");
    }

    /**
     * Clears the flag.
     *
     * @throws IpcOwnerLostException if the owner is gone
     */
    public void clear() {
        now("clear");
    }

    /**
     * Whether the flag is set now.
     *
     * @throws IpcOwnerLostException if the owner is gone
     */
    public boolean isSet() {
        return now("isSet").yes();
    }

    /**
     * Waits until the flag is set (returns at once if it is).
     *
     * @throws InterruptedException if interrupted while waiting
     * @throws IpcOwnerLostException if the owner is gone
     */
    public void await() throws InterruptedException {
        call("await", -1, null);
    }

    /**
     * Waits at most the timeout for the flag to be set (Python's {@code wait(timeout)}).
     *
     * @return whether the flag was set (false: the timeout passed)
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IpcOwnerLostException if the owner is gone
     */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return call("await", nanos(timeout, unit), null).yes();
    }
}
