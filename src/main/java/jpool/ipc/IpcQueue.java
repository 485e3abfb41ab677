package jpool.ipc;

import java.util.concurrent.TimeUnit;

/**
 * A first-in-first-out queue that crosses processes, bounded or not: the counterpart of Python's
 * {@code multiprocessing.Queue}. Made by {@link Ipc#queue()} and {@link Ipc#queue(int)}.
 *
 * <p>Where Python's {@code put}/{@code get} take {@code block} and {@code timeout}, this interface has
 * one method per case, in the manner of {@link java.util.concurrent.BlockingQueue}:
 *
 * <table>
 * <caption>Python's calls and theirs here</caption>
 * <tr><th>Python</th><th>jpool</th><th>when it cannot</th></tr>
 * <tr><td>{@code q.put(x)}</td><td>{@link #put(Object)}</td><td>waits</td></tr>
 * <tr><td>{@code q.put(x, timeout=t)}</td><td>{@link #put(Object, long, TimeUnit)}</td><td>{@link QueueFullException}</td></tr>
 * <tr><td>{@code q.put_nowait(x)}</td><td>{@link #offer(Object)}</td><td>returns false</td></tr>
 * <tr><td>{@code q.get()}</td><td>{@link #get()}</td><td>waits</td></tr>
 * <tr><td>{@code q.get(timeout=t)}</td><td>{@link #get(long, TimeUnit)}</td><td>{@link QueueEmptyException}</td></tr>
 * <tr><td>{@code q.get_nowait()}</td><td>{@link #poll()}</td><td>returns null</td></tr>
 * <tr><td>{@code q.qsize()}</td><td>{@link #size()}</td><td>approximate</td></tr>
 * </table>
 *
 * <p>Unlike Python's plain {@code Queue}, this one may be handed to pool tasks (captured or as an
 * argument), not only to processes at their start. Everything said in {@link SimpleIpcQueue} holds.
 *
 * @param <E> the type of the elements
 */
public interface IpcQueue<E> extends SimpleIpcQueue<E> {

    /**
     * Adds an element, waiting at most the given time for space.
     *
     * @throws QueueFullException if the queue was still full when the time ran out; nothing was added
     * @throws InterruptedException if interrupted while waiting; then nothing was added
     * @throws IllegalArgumentException if {@code timeout} is negative, or the element cannot be serialized
     */
    void put(E element, long timeout, TimeUnit unit) throws QueueFullException, InterruptedException;

    /**
     * Adds an element if there is space now.
     *
     * @return whether it was added
     */
    boolean offer(E element);

    /**
     * Removes and returns the head, waiting at most the given time for one.
     *
     * @throws QueueEmptyException if the queue was still empty when the time ran out
     * @throws InterruptedException if interrupted while waiting; then no element was taken
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    E get(long timeout, TimeUnit unit) throws QueueEmptyException, InterruptedException;

    /** Removes and returns the head if there is one now, else returns null. */
    E poll();

    /**
     * Removes and returns the head, waiting at most the given time, or returns null if none came.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    E poll(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * The number of elements at the moment the owner was asked. As in Python it is approximate: other
     * threads and processes may have put or taken elements before you read it.
     */
    int size();

    /** The capacity given at creation, or {@link Integer#MAX_VALUE} for an unbounded queue. */
    int capacity();
}
