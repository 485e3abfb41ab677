package jpool.ipc;

/**
 * A lock or permit held, for try-with-resources where Python writes {@code with lock:}:
 * {@code try (ManagedHold h = lock.hold()) { ... }} releases it when the block ends, normally or not.
 */
public interface ManagedHold extends AutoCloseable {

    /**
     * Releases what {@code hold()} acquired. Call it once, from the thread that acquired it.
     *
     * @throws IllegalMonitorStateException if it was already released
     */
    @Override
    void close();
}
