package jpool.wire;

/** A received message that is well signed but does not follow the protocol; it is dropped and counted. */
public final class MalformedMessageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a description of what is wrong. */
    public MalformedMessageException(String message) {
        super(message);
    }

    /** Creates the exception with a description and the cause. */
    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
