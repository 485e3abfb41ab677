package jpool.ipc;

import java.util.concurrent.TimeUnit;

/**
 * One end of a pipe made by {@link Ipc#pipe()} or {@link Ipc#pipe(boolean)}: the counterpart of
 * Python's {@code multiprocessing.connection.Connection}.
 *
 * <p>What one end sends, the other end receives, in order, each message whole. Objects are copied
 * (serialized) by {@link #send(Object)}; {@link #sendBytes(byte[])} sends bytes as they are. Like
 * every object of this package, an end is {@link java.io.Serializable}: hand it to a pool task or
 * another process and it keeps working there; the pipe's buffers live in the JVM that made it.
 *
 * <p>End of file: once the other end is closed, its process has died, or the owner of the pipe is
 * gone, {@link #recv()} returns the messages still buffered and then throws
 * {@link PipeClosedException} instead of waiting. {@link #poll(long, TimeUnit)} returns true in that
 * state, as Python's {@code poll} does, so that the next {@code recv} does not wait.
 *
 * <p>Thread-safe, but as in Python, two threads receiving from the same end take turns in no
 * particular order.
 */
public interface PipeConnection extends AutoCloseable {

    /**
     * Sends a copy of {@code message} (serializable, may be null) to the other end.
     *
     * @throws PipeClosedException if the other end is closed or gone
     * @throws IllegalStateException if this end is closed or cannot send (the receiving end of a one-way pipe)
     * @throws IllegalArgumentException if {@code message} cannot be serialized
     */
    void send(Object message) throws PipeClosedException;

    /**
     * Receives the next message, waiting for one. A message sent with {@link #sendBytes} arrives as a
     * {@code byte[]}.
     *
     * @param <T> the type the caller expects (an unchecked cast, as with Python's untyped recv)
     * @throws PipeClosedException when no message is buffered and the other end is closed or gone
     * @throws IllegalStateException if this end is closed or cannot receive
     * @throws InterruptedException if interrupted while waiting; no message was taken
     */
    <T> T recv() throws PipeClosedException, InterruptedException;

    /** Sends bytes as they are; see {@link #send(Object)}. */
    void sendBytes(byte[] bytes) throws PipeClosedException;

    /** Sends {@code length} bytes of {@code bytes} from {@code offset}; see {@link #send(Object)}. */
    void sendBytes(byte[] bytes, int offset, int length) throws PipeClosedException;

    /**
     * Receives the next message as bytes: what {@link #sendBytes} sent, or for a message sent with
     * {@link #send(Object)} its serialized form. Otherwise as {@link #recv()}.
     */
    byte[] recvBytes() throws PipeClosedException, InterruptedException;

    /** Whether a {@code recv} would not wait now: a message is buffered, or the other end is closed. */
    boolean poll();

    /**
     * Waits at most the given time until a {@code recv} would not wait.
     *
     * @return true if a message is buffered or the other end is closed; false if the time ran out
     * @throws InterruptedException if interrupted while waiting
     */
    boolean poll(long timeout, TimeUnit unit) throws InterruptedException;

    /** Whether this end can receive (false for the sending end of a one-way pipe). */
    boolean readable();

    /** Whether this end can send (false for the receiving end of a one-way pipe). */
    boolean writable();

    /**
     * Closes this end for every process that holds it: the other end's {@code recv} then sees end of
     * file once it has read what was sent before. Idempotent.
     */
    @Override
    void close();
}
