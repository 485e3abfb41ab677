package jpool.cluster;

import jpool.wire.UnitResult;

/**
 * Receives the events of one job's units. Called on the controller's I/O thread: implementations must
 * return quickly, never block, and leave payload decoding to another thread.
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
}
