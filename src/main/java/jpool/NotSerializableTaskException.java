package jpool;

/**
 * A task's function or argument cannot be serialized, so it cannot be sent to a worker JVM. The
 * message names the offending class and says what to write instead.
 */
public class NotSerializableTaskException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message and the serialization failure. */
    public NotSerializableTaskException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Creates the exception with a message. */
    public NotSerializableTaskException(String message) {
        super(message);
    }
}
