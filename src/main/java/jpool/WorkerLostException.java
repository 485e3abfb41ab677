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

    /** The last lines the worker JVM wrote to standard error (JVM messages such as OutOfMemoryError). */
    public List<String> lastStderr() {
        return lastStderr;
    }
}
