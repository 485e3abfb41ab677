package jpool.ipc;

/**
 * Thrown by a timed {@code put} when a bounded queue stayed full for the whole timeout (Python's
 * {@code queue.Full}). Nothing was added.
 */
public class QueueFullException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message. */
    public QueueFullException(String message) {
        super(message);
    }
}
