package jpool;

import java.util.List;

/**
 * The worker JVM running a task died (it exited, was killed, ran out of memory, or could not start),
 * and the pool's retries, if any, were used up. The pool replaces lost workers.
 */
public class WorkerLostException extends TaskFailedException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;
    private final List<String> lastStderr;

    /**
     * Creates the exception.
     *
     * @param message what happened
     * @param workerId the worker that died
     * @param exitCode its exit code, or -1 when unknown
     * @param lastStderr the last lines it wrote to its standard error
     */
    public WorkerLostException(String message, String workerId, int exitCode, List<String> lastStderr) {
        super(message, null, workerId);
        this.exitCode = exitCode;
        this.lastStderr = List.copyOf(lastStderr);
    }

    /** The worker's exit code (137 after {@code kill -9}), or -1 when unknown. */
    public int exitCode() {
        return exitCode;
    }

    /**
     * The last lines (up to 20) the worker JVM wrote to its standard error, in order: what tasks printed
     * to {@code System.err} and the JVM's own messages, such as those of an OutOfMemoryError. What tasks
     * print to {@code System.out} is not included.
     */
    public List<String> lastStderr() {
        return lastStderr;
    }
}
