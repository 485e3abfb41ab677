package jpool.ipc;

/**
 * What a queue handle calls: the queue itself in its owner ({@link QueueCore}), a {@link RemoteQueue}
 * elsewhere. Elements are encoded bytes. A timeout in nanoseconds is negative for "wait for ever" and
 * zero for "do not wait".
 */
interface QueueBackend {

    /** Adds an element; false if the queue stayed full for the timeout. */
    boolean put(byte[] item, long timeoutNanos) throws InterruptedException;

    /** Takes the head; null if the queue stayed empty for the timeout. */
    byte[] get(long timeoutNanos) throws InterruptedException;

    /** Puts an element back at the head (its taker could not use it). */
    void unget(byte[] item);

    /** The number of elements now. */
    int size();

    /** The number of unfinished elements now. */
    int unfinished();

    /** Marks one element done; IllegalStateException if none is unfinished. */
    void taskDone();

    /** Waits for the unfinished count to reach zero; false if the timeout came first. */
    boolean join(long timeoutNanos) throws InterruptedException;
}
