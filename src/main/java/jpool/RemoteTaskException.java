package jpool;

/**
 * Stands for an exception thrown on a worker whose class cannot be loaded (or whose instance could not
 * be serialized): it carries the remote class name and message, and its stack trace is the remote
 * stack trace.
 */
public class RemoteTaskException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String remoteClassName;

    /**
     * Creates the carrier.
     *
     * @param remoteClassName binary name of the remote exception class
     * @param message the remote message, or null
     */
    public RemoteTaskException(String remoteClassName, String message) {
        super(message == null ? remoteClassName : remoteClassName + ": " + message);
        this.remoteClassName = remoteClassName;
    }

    /** The binary name of the exception class thrown on the worker. */
    public String remoteClassName() {
        return remoteClassName;
    }
}
