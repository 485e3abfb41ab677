package jpool;

import java.util.List;
import java.util.Map;

/**
 * The pending result of a run on each worker ({@link Pool#onEachWorkerAsync}): one outcome per worker,
 * keyed by worker id, in the order of the workers' indexes.
 *
 * <p>The workers are fixed when the run is submitted ({@link #workerIds()}); each outcome is independent
 * of the others. A worker lost before or while running the task gives that worker a
 * {@link WorkerLostException} and leaves the others alone: the run is never retried on another worker.
 * {@link #get()} returns the map of every worker's value when all succeeded; if any failed it throws the
 * failure of the failed worker with the lowest index, and {@link #failures()} has all of them. Progress
 * counts are of workers: {@link Progress#total()} is {@code workerIds().size()}.
 *
 * @param <R> the task's result type
 */
public interface PerWorkerResult<R> extends AsyncResult<Map<String, R>> {

    /** The ids of the workers the task was sent to, in the order of their indexes; never changes. */
    List<String> workerIds();

    /**
     * The values of the workers that have succeeded so far, by worker id in index order (a value may be
     * null). Unmodifiable.
     */
    Map<String, R> values();

    /**
     * The failures so far by worker id, in index order: {@link TaskFailedException} (the cause is the
     * task's exception) or {@link WorkerLostException}. Unmodifiable.
     */
    Map<String, Throwable> failures();
}
