package jpool;

/**
 * Counters of a pool. For {@link Pool#threads(int)} pools the message and worker counters are zero.
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
 */
public record PoolStats(long messagesReceived, long messagesSent, long droppedUnsigned, long droppedMalformed,
        long droppedOversized, long workersStarted, long workersLost, long tasksRetried, long chunksCompleted) {

    /** Total messages dropped for any reason. */
    public long dropped() {
        return droppedUnsigned + droppedMalformed + droppedOversized;
    }
}
