package jpool.cluster;

/**
 * Counters of a controller.
 *
 * @param messagesReceived accepted messages
 * @param messagesSent sent messages
 * @param droppedUnsigned dropped: bad or missing signature
 * @param droppedMalformed dropped: not following the protocol (including unknown senders)
 * @param droppedOversized dropped: larger than the limit
 * @param workersStarted worker processes started
 * @param workersLost workers that died while they had work
 * @param unitsRetried units re-run after a worker died
 * @param unitsCompleted units that finished on a worker
 */
public record ControllerStats(long messagesReceived, long messagesSent, long droppedUnsigned, long droppedMalformed,
        long droppedOversized, long workersStarted, long workersLost, long unitsRetried, long unitsCompleted) {
}
