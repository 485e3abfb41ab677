package jpool.ipc;

/**
 * A first-in-first-out queue that crosses processes, with nothing but blocking {@code put} and
 * {@code get}: the counterpart of Python's {@code multiprocessing.SimpleQueue}. Made by
 * {@link Ipc#simpleQueue()}; unbounded.
 *
 * <p>Every queue of this package lives in the JVM that created it (its <em>owner</em>). A queue is
 * {@link java.io.Serializable}: capture it in a pool task's lambda, pass it as an argument, or ship it
 * with a notebook cell, and the copy that arrives in another JVM is a handle that talks to the owner.
 * Calls made in the owner go straight to the queue. Elements are copied (serialized) on {@code put},
 * as in Python, so changing an element after putting it does not change what a consumer receives;
 * elements must therefore be {@link java.io.Serializable}, and {@code null} is refused.
 *
 * <p>All methods are safe to call from any number of threads and processes at once. Calls that wait
 * park the calling thread; nothing spins.
 *
 * <p>If the owner's JVM exits, the elements it held are gone, and every call from another process
 * fails with {@link IpcOwnerLostException} within the owner-silence limit (see {@code docs/IPC.md}).
 *
 * @param <E> the type of the elements
 */
public interface SimpleIpcQueue<E> extends AutoCloseable {

    /**
     * Adds an element at the tail, waiting for space if the queue is bounded and full.
     *
     * @throws NullPointerException if {@code element} is null
     * @throws IllegalArgumentException if {@code element} cannot be serialized (the message names its class)
     * @throws IllegalStateException if this handle was closed
     * @throws InterruptedException if interrupted while waiting; then nothing was added
     * @throws IpcOwnerLostException if the owner's JVM is gone
     */
    void put(E element) throws InterruptedException;

    /**
     * Removes and returns the element at the head, waiting until there is one.
     *
     * @throws IllegalStateException if this handle was closed
     * @throws InterruptedException if interrupted while waiting; then no element was taken
     * @throws IpcOwnerLostException if the owner's JVM is gone
     */
    E get() throws InterruptedException;

    /** Whether the queue held no element at the moment it was asked (other processes may change that at once). */
    boolean isEmpty();

    /**
     * Closes this handle: later calls through it throw {@link IllegalStateException}. As in Python, it
     * says that this process will use the queue no more; handles in other processes keep working, and
     * the elements stay in the queue. Idempotent.
     */
    @Override
    void close();
}
