package jpool.ipc;

/**
 * Thrown by a timed {@code get} when the queue stayed empty for the whole timeout (Python's
 * {@code queue.Empty}).
 */
public class QueueEmptyException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message. */
    public QueueEmptyException(String message) {
        super(message);
    }
}
