package jpool.wire;

/**
 * Where the pool task running on the current thread runs: set by whoever runs it (a worker's task
 * thread around each unit, the in-process pool around each element) and read through
 * {@code jpool.TaskContext}. A thread a task starts does not inherit it: such a thread may outlive the
 * task, and would then report a task that has ended.
 *
 * @param workerId the worker's id ({@code w3}); unique for the life of the pool, a replacement gets a new one
 * @param workerIndex the worker's place in the pool, from 0 to processes - 1; a replacement takes the
 *     place of the worker it replaces
 * @param jobId the job (one call of the pool API) the task belongs to
 * @param attempt 1 for the first run of the task, 2 when it runs again after its worker was lost, ...
 */
public record RunningTask(String workerId, int workerIndex, long jobId, int attempt) {

    private static final ThreadLocal<RunningTask> CURRENT = new ThreadLocal<>();

    /** Validates. */
    public RunningTask {
        java.util.Objects.requireNonNull(workerId, "workerId");
        if (workerIndex < 0 || attempt < 1) {
            throw new IllegalArgumentException("workerIndex must be >= 0 and attempt >= 1: " + workerIndex
                    + ", " + attempt);
        }
    }

    /** The task running on this thread, or null when this thread is not running a pool task. */
    public static RunningTask current() {
        return CURRENT.get();
    }

    /**
     * Marks this thread as running {@code task} until {@link #leave} with the value returned here
     * (the task this thread ran before, normally null).
     */
    public static RunningTask enter(RunningTask task) {
        RunningTask previous = CURRENT.get();
        CURRENT.set(task);
        return previous;
    }

    /** Ends what {@link #enter} began, restoring {@code previous}. */
    public static void leave(RunningTask previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }
}
