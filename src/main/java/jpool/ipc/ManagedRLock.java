package jpool.ipc;

/**
 * A reentrant lock held by its owner JVM (Python's {@code Manager().RLock()}): the thread that holds
 * it may lock it again and must unlock it as many times. It is held by one thread of one process;
 * only that thread may unlock it. If that process dies, the owner releases the lock, whatever its
 * hold count (see {@link ManagedLock}).
 */
public final class ManagedRLock extends ManagedLock {

    private static final long serialVersionUID = 1L;

    ManagedRLock(IpcRef ref, ManagedBackend backend) {
        super(ref, backend);
    }

    /**
     * How many times the calling thread holds the lock (0 if it does not).
     *
     * @throws IpcOwnerLostException if the owner of the lock is gone
     */
    public int getHoldCount() {
        return (int) now("heldByMe").n();
    }

    /**
     * Whether the calling thread holds the lock.
     *
     * @throws IpcOwnerLostException if the owner of the lock is gone
     */
    public boolean isHeldByCurrentThread() {
        return getHoldCount() > 0;
    }
}
