package jpool.ipc;

/**
 * How a managed object's handle reaches its state: directly in the owner ({@link ManagedCore}), over
 * this JVM's {@link Link} elsewhere ({@link ManagedRemote}). Every operation carries the calling
 * thread's id in {@code arg} (see {@link ManagedCodec}), so the owner knows which thread of which
 * process holds a lock.
 */
interface ManagedBackend {

    /** An answer: a number (1/0 for yes/no) and an optional payload. */
    record Reply(long n, byte[] frame) {
        boolean yes() {
            return n != 0;
        }
    }

    /**
     * Runs {@code op} in the owner, waiting for ever ({@code timeoutNanos} negative), at most that long,
     * or not at all (0). A wait that times out answers {@code Reply(0, null)}. If the caller is
     * interrupted after the owner granted the operation, {@code undo} (if not null) is sent with the
     * same {@code arg} so that nothing stays acquired by a thread that gave up.
     *
     * @throws IllegalArgumentException, IndexOutOfBoundsException, IllegalStateException as the owner
     *     threw them; {@link IpcOwnerLostException} if the owner is gone
     */
    Reply call(String op, byte[] arg, long timeoutNanos, String undo) throws InterruptedException;
}
