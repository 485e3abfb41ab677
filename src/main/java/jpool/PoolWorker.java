package jpool;

/**
 * A snapshot of one worker of a pool. A thread pool ({@link Pool#threads}) reports each of its threads as
 * {@code READY} ({@code STOPPING} after shutdown) with {@code tasksDone} 0.
 *
 * @param id the worker id (as in {@link AsyncResult#workerId()})
 * @param pid the worker's process id (this JVM's pid for thread pools)
 * @param state where it is in its life (see {@link State})
 * @param tasksDone tasks it has completed, with a value or an exception (an {@code apply} is one task, a map
 *     chunk is one task, as for {@link Pool.Builder#maxTasksPerChild}); counted before the task's result is
 *     delivered, so it includes every task whose result the caller has seen
 */
public record PoolWorker(String id, long pid, State state, long tasksDone) {

    /** Where a worker is in its life. */
    public enum State {
        /** Launched, not connected yet. */
        STARTING,
        /** Connected, running the pool's initializer. */
        INITIALIZING,
        /** Idle: takes tasks. */
        READY,
        /** Running a task (others may wait in its queue). */
        BUSY,
        /** Finishing its last tasks before it is replaced (see {@link Pool.Builder#maxTasksPerChild}). */
        RETIRING,
        /** Asked or forced to exit. */
        STOPPING
    }

    /** Checks the fields. */
    public PoolWorker {
        java.util.Objects.requireNonNull(id, "id");
        java.util.Objects.requireNonNull(state, "state");
    }
}
