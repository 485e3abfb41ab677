package jpool.ipc;

import java.util.concurrent.TimeUnit;

/**
 * An {@link IpcQueue} that counts unfinished elements, so that a producer can wait until consumers
 * have processed everything: the counterpart of Python's {@code multiprocessing.JoinableQueue}. Made
 * by {@link Ipc#joinableQueue()} and {@link Ipc#joinableQueue(int)}.
 *
 * <p>Invariant: every successful put adds one to the count of unfinished elements and every
 * {@link #taskDone()} takes one away; the count never goes below zero. {@link #join()} returns once
 * the count is zero (at once if it already is).
 *
 * @param <E> the type of the elements
 */
public interface JoinableIpcQueue<E> extends IpcQueue<E> {

    /**
     * Says that an element taken from the queue has been processed.
     *
     * @throws IllegalStateException if there is no unfinished element (one call too many, Python's
     *     {@code ValueError}); the count stays at zero
     */
    void taskDone();

    /**
     * Waits until every element ever put has been marked done with {@link #taskDone()}.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void join() throws InterruptedException;

    /**
     * {@link #join()} for at most the given time.
     *
     * @return true if the count reached zero, false if the time ran out first
     * @throws InterruptedException if interrupted while waiting
     */
    boolean join(long timeout, TimeUnit unit) throws InterruptedException;

    /** The number of unfinished elements at the moment the owner was asked (approximate, as {@link #size()}). */
    int unfinished();
}
