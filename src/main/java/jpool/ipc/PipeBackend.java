package jpool.ipc;

/**
 * What a pipe end calls: the pipe itself in its owner ({@link LocalPipe}), a {@link RemotePipe}
 * elsewhere. Messages are tagged bytes; timeouts as in {@link QueueBackend}.
 */
interface PipeBackend {

    void send(byte[] message) throws PipeClosedException;

    /** The next message; null if none came within the timeout. */
    byte[] recv(long timeoutNanos) throws PipeClosedException, InterruptedException;

    /** Puts a message back (it could not be decoded here). */
    void unrecv(byte[] message);

    boolean poll(long timeoutNanos) throws InterruptedException;

    void close();
}
