package jpool.ipc;

import java.util.concurrent.TimeUnit;

/**
 * A counting semaphore held by its owner JVM (Python's {@code Manager().Semaphore(n)} and
 * {@code BoundedSemaphore(n)}). A bounded one refuses a release that would raise its permits above
 * the initial count. Any thread of any process may release. Waiting threads get permits in the order
 * they asked. If a process that holds permits dies, the owner gives them back (see {@link ManagedLock}).
 */
public final class ManagedSemaphore extends ManagedHandle {

    private static final long serialVersionUID = 1L;

    ManagedSemaphore(IpcRef ref, ManagedBackend backend) {
        super(ref, backend);
    }

    /**
     * Takes a permit, waiting until one is free.
     *
     * @throws InterruptedException if interrupted while waiting (no permit is then taken)
     * @throws IpcOwnerLostException if the owner is gone
     */
    public void acquire() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        call("acquire", -1, "release");
    }

    /**
     * Takes a permit if one is free now.
     *
     * @return whether a permit was taken
     * @throws IpcOwnerLostException if the owner is gone
     */
    public boolean tryAcquire() {
        return now("acquire").yes();
    }

    /**
     * Takes a permit if one becomes free within the timeout.
     *
     * @return whether a permit was taken
     * @throws InterruptedException if interrupted while waiting (no permit is then taken)
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IpcOwnerLostException if the owner is gone
     */
    public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        return call("acquire", nanos(timeout, unit), "release").yes();
    }

    /**
     * Gives a permit back (or adds one).
     *
     * @throws IllegalStateException if the semaphore is bounded and all its permits are free
     *     (Python's {@code ValueError})
     * @throws IpcOwnerLostException if the owner is gone
     */
    public void release() {
        now("release");
    }

    /**
     * Takes a permit and returns the hold that gives it back, for try-with-resources.
     *
     * @throws InterruptedException if interrupted while waiting
     * @throws IpcOwnerLostException if the owner is gone
     */
    public ManagedHold hold() throws InterruptedException {
        acquire();
        return new ManagedHold() {
            private boolean released;

            @Override
            public void close() {
                if (released) {
                    throw new IllegalMonitorStateException("this hold of the managed semaphore was already released");
                }
                released = true;
                release();
            }
        };
    }

    /**
     * The number of free permits now (a snapshot).
     *
     * @throws IpcOwnerLostException if the owner is gone
     */
    public int availablePermits() {
        return (int) now("permits").n();
    }
}
