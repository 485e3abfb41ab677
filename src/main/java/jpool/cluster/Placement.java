package jpool.cluster;

import java.util.Objects;

/**
 * Where the units of a job may run.
 *
 * <ul>
 *   <li>{@link Any}: on whichever worker the scheduler picks; a unit waiting in a busy worker's queue may be
 *       taken back and run elsewhere (work stealing), and a unit whose worker died before or while running
 *       it may run again elsewhere (retries). The default.
 *   <li>{@link OnWorker}: only on the worker with the given id. The unit waits for that worker; it is
 *       never stolen or retried elsewhere, and it fails with {@link UnitFailure.Kind#WORKER_LOST} when that
 *       worker is not in the pool, dies, or retires before running it.
 *   <li>{@link OnEveryWorker}: one copy of each unit for every worker in the pool when the job is accepted
 *       (workers still starting included, workers that are retiring or stopping not). Each copy behaves as
 *       {@link OnWorker} for its worker: a copy whose worker dies fails with
 *       {@link UnitFailure.Kind#WORKER_LOST} and is not run again elsewhere. See
 *       {@link JobListener#copied} for how a listener tells the copies apart.
 * </ul>
 */
public sealed interface Placement {

    /** Any worker (the default). */
    static Placement any() {
        return Any.INSTANCE;
    }

    /** Only the worker with this id. */
    static Placement onWorker(String workerId) {
        return new OnWorker(workerId);
    }

    /** A copy of each unit on every current worker. */
    static Placement onEveryWorker() {
        return OnEveryWorker.INSTANCE;
    }

    /** Any worker. */
    enum Any implements Placement {
        /** The only instance. */
        INSTANCE
    }

    /**
     * One given worker.
     *
     * @param workerId the id the worker has in {@link WorkerInfo#id()}
     */
    record OnWorker(String workerId) implements Placement {
        /** Requires the id. */
        public OnWorker {
            Objects.requireNonNull(workerId, "workerId");
        }
    }

    /** Every current worker, one copy each. */
    enum OnEveryWorker implements Placement {
        /** The only instance. */
        INSTANCE
    }
}
