package jpool;

/**
 * Counters of a pool, and how much work it has now. For {@link Pool#threads(int)} pools the message and
 * worker counters are zero.
 *
 * <p>{@code queued} and {@code running} count units (map chunks; an {@code apply} is one, and a run on
 * each worker is one per worker) of every unfinished job together. They are live: for worker JVMs they
 * are the controller's counts as of its last loop round (it publishes them before it delivers any result,
 * so a caller that has seen a result finish reads counts without it); for thread pools, this moment's.
 *
 * @param messagesReceived protocol messages accepted by the controller
 * @param messagesSent protocol messages sent by the controller
 * @param droppedUnsigned messages dropped for a missing or wrong signature
 * @param droppedMalformed messages dropped as malformed (bad frames, header, type or sender)
 * @param droppedOversized messages dropped as larger than the limit
 * @param workersStarted worker processes started so far
 * @param workersLost workers that died while they had work
 * @param tasksRetried task chunks re-run after their worker died
 * @param chunksCompleted task chunks completed
 * @param queued units waiting to be sent to a worker (or, for threads, waiting for a free thread)
 * @param running units sent to a worker and not finished: running, or waiting in the worker's prefetch
 *     (for threads: running on a pool thread)
 */
public record PoolStats(long messagesReceived, long messagesSent, long droppedUnsigned, long droppedMalformed,
        long droppedOversized, long workersStarted, long workersLost, long tasksRetried, long chunksCompleted, int queued,
        int running) {

    /** Total messages dropped for any reason. */
    public long dropped() {
        return droppedUnsigned + droppedMalformed + droppedOversized;
    }
}
