package jpool.ipc;

/**
 * A failure of the inter-process machinery itself, not of the operation asked for: the object's
 * owner does not know the object, answered with an error, or (the subclass
 * {@link IpcOwnerLostException}) is gone.
 */
public class IpcException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message. */
    public IpcException(String message) {
        super(message);
    }

    /** Creates the exception with a message and a cause. */
    public IpcException(String message, Throwable cause) {
        super(message, cause);
    }
}
