package jpool;

import java.util.Optional;
import jpool.wire.RunningTask;

/**
 * What code running as a pool task can learn about where it runs: which worker (by id and by its
 * place in the pool), which job, which attempt. Available on the thread that runs the task, in
 * worker JVMs and in {@link Pool#threads in-process pools} alike; not in threads the task starts.
 *
 * <pre>{@code
 * pool.map(x -> TaskContext.current().workerIndex() + ": " + x, List.of(1, 2, 3));
 * }</pre>
 *
 * <p>Instances are immutable snapshots; two contexts are equal when they describe the same run.
 */
public final class TaskContext {

    private final RunningTask task;

    private TaskContext(RunningTask task) {
        this.task = task;
    }

    /**
     * The context of the task running on this thread.
     *
     * @throws IllegalStateException if this thread is not running a pool task (the kernel, a plain
     *     program's main thread, or a thread a task started)
     */
    public static TaskContext current() {
        RunningTask t = RunningTask.current();
        if (t == null) {
            throw new IllegalStateException("TaskContext.current() is only available on the thread that runs a pool"
                    + " task; use TaskContext.find() where there may be none");
        }
        return new TaskContext(t);
    }

    /** The context of the task running on this thread, or empty when there is none. */
    public static Optional<TaskContext> find() {
        RunningTask t = RunningTask.current();
        return t == null ? Optional.empty() : Optional.of(new TaskContext(t));
    }

    /** The id of the worker running the task ({@code w3}); a replacement worker gets a new id. */
    public String workerId() {
        return task.workerId();
    }

    /**
     * The worker's place in the pool, from 0 to {@code processes - 1}: stable across replacements (a
     * worker started to replace a lost one takes its index), so it can name a per-worker resource.
     */
    public int workerIndex() {
        return task.workerIndex();
    }

    /** The job the task belongs to: one call of the pool API ({@code map}, {@code apply}, ...). */
    public long jobId() {
        return task.jobId();
    }

    /** 1 on the task's first run; 2, 3, ... when it runs again because its worker was lost. */
    public int attempt() {
        return task.attempt();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TaskContext other && task.equals(other.task);
    }

    @Override
    public int hashCode() {
        return task.hashCode();
    }

    @Override
    public String toString() {
        return "TaskContext[worker " + task.workerId() + " (index " + task.workerIndex() + "), job " + task.jobId()
                + ", attempt " + task.attempt() + "]";
    }
}
