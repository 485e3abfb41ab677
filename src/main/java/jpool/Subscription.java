package jpool;

/**
 * A listener's registration, returned by {@link AsyncResult#onProgress}; cancel it to stop the listener.
 *
 * <p>{@link #cancel()} is idempotent and may be called from any thread, the listener itself included.
 * Called from the listener, no further call follows; called from another thread, a call that has
 * already begun on the callback thread may still end after {@code cancel()} returns, and none begins
 * later. {@link #close()} is {@code cancel()}, for try-with-resources.
 */
public interface Subscription extends AutoCloseable {

    /** Stops the deliveries to the listener; does nothing if they have stopped already. */
    void cancel();

    /** Whether {@link #cancel()} has not been called yet. */
    boolean isActive();

    /** Same as {@link #cancel()}. */
    @Override
    default void close() {
        cancel();
    }
}
