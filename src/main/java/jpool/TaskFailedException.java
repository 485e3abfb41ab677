package jpool;

import java.util.concurrent.ExecutionException;

/**
 * A task did not produce a result. {@link #getCause()} is the exception the task threw, re-created as
 * the same class when that class can be loaded here and otherwise a {@link RemoteTaskException}
 * carrying the class name, message and remote stack trace. For a task that exceeded the pool's task
 * timeout the cause is a {@link java.util.concurrent.TimeoutException}. The subclass
 * {@link WorkerLostException} means the worker JVM died while running the task.
 */
public class TaskFailedException extends ExecutionException {

    private static final long serialVersionUID = 1L;

    private final String workerId;

    /**
     * Creates the exception.
     *
     * @param message what happened
     * @param cause the task's exception, or null
     * @param workerId the worker involved, or null
     */
    public TaskFailedException(String message, Throwable cause, String workerId) {
        super(message, cause);
        this.workerId = workerId;
    }

    /** The id of the worker that ran the task, or null when unknown. */
    public String workerId() {
        return workerId;
    }
}
