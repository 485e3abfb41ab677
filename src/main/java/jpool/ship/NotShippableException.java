package jpool.ship;

/**
 * A task cannot be sent to a worker: it is not serializable, it captures or reads a value that is
 * not, or its code cannot be found. The message says which value and what to do instead.
 */
public final class NotShippableException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public NotShippableException(String message) {
        super(message);
    }

    public NotShippableException(String message, Throwable cause) {
        super(message, cause);
    }
}
