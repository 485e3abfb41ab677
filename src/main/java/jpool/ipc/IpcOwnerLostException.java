package jpool.ipc;

/**
 * The JVM that owns a queue or pipe stopped answering for longer than the owner-silence limit
 * (system property {@code jpool-ipc.silenceMillis}, 10 seconds by default), or was already known to
 * be gone: it has exited or hangs. The state it held (elements not yet taken) is lost with it. Every
 * later call on any object of that owner fails at once with this exception.
 */
public class IpcOwnerLostException extends IpcException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message naming the owner. */
    public IpcOwnerLostException(String message) {
        super(message);
    }
}
