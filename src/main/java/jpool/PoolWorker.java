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
 * @param index its place in the pool, as {@link TaskContext#workerIndex()} says on it (see {@link Pool#resize}
 *     for indexes after a shrink)
 * @param host the host it runs on (this machine's name for local workers and threads)
 * @param launcher what started it: {@code local} for child JVMs of this JVM, {@code threads} for a pool of
 *     threads
 * @param tasksFailed of {@code tasksDone}, those in which a task threw (or an element of a chunk did)
 * @param runningSince when the task it runs now started (as the controller learnt it: with the
 *     worker's first notice after 1 ms, else its next heartbeat), or null when it runs none
 * @param heapUsed bytes of heap in use at the worker's last heartbeat, -1 before its first
 * @param heapMax the worker's heap limit in bytes, -1 before its first heartbeat
 * @param launchedAt when the worker process was launched
 * @param restarts how many workers held this worker's place in the pool before it (its {@code index}):
 *     replacements after a death, a timeout or maxTasksPerChild
 */
public record PoolWorker(String id, long pid, State state, long tasksDone, int index, String host, String launcher,
        long tasksFailed, java.time.Instant runningSince, long heapUsed, long heapMax, java.time.Instant launchedAt,
        int restarts) {

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
        /**
         * Leaving the pool: finishing the task it runs and taking no new ones, before it is replaced (see
         * {@link Pool.Builder#maxTasksPerChild}) or, when the pool shrank ({@link Pool#resize}), not.
         */
        RETIRING,
        /** Asked or forced to exit. */
        STOPPING
    }

    /** Checks the fields. */
    public PoolWorker {
        java.util.Objects.requireNonNull(id, "id");
        java.util.Objects.requireNonNull(state, "state");
        java.util.Objects.requireNonNull(host, "host");
        java.util.Objects.requireNonNull(launcher, "launcher");
        java.util.Objects.requireNonNull(launchedAt, "launchedAt");
    }

    /** How long the worker has been up, as of {@code now}. */
    public java.time.Duration uptime(java.time.Instant now) {
        java.time.Duration d = java.time.Duration.between(launchedAt, now);
        return d.isNegative() ? java.time.Duration.ZERO : d;
    }
}
