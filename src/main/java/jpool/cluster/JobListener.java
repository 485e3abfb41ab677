package jpool.cluster;

import java.util.List;
import jpool.wire.UnitResult;

/**
 * Receives the events of one job's units. Called on the controller's I/O thread: implementations must
 * return quickly, never block, and leave payload decoding to another thread. An exception thrown here is
 * reported on standard error with the job id and otherwise ignored: the controller carries on.
 *
 * <p>For a job placed {@link Placement.OnEveryWorker on every worker}, each unit has one copy per worker,
 * all with the unit's index: {@link #copied} names the copies' workers first, and every later event of a
 * copy names its worker (for {@link #failed}, in {@link UnitFailure#workerId()}).
 */
public interface JobListener {

    /** The unit was sent to a worker. */
    void dispatched(int index, String workerId);

    /**
     * The unit is running on a worker, since {@code startedMicros} (microseconds since the epoch). Sent
     * only for units still running about a millisecond after they started (with a retry, again for each
     * attempt that gets that far); for the others {@link #completed} carries the start time.
     */
    void started(int index, String workerId, long startedMicros);

    /** Output the unit printed, in order, while it runs. */
    void output(int index, String workerId, int stream, byte[] utf8);

    /** The unit finished on a worker (its elements may still have failed individually). */
    void completed(int index, String workerId, UnitResult result);

    /** The unit failed without a result. */
    void failed(int index, UnitFailure failure);

    /**
     * The unit of a job placed on every worker was copied once for each of these workers (none when the
     * pool had no worker). Called once per unit, before any other event of the job; never called for other
     * placements. Does nothing by default.
     */
    default void copied(int index, List<String> workerIds) {
    }
}
