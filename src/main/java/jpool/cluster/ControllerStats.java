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
 * @param unitsQueued units waiting in the controller to be sent (as of the last loop round or event)
 * @param unitsHeld units sent to workers and not finished: running, or waiting in a worker's prefetch
 */
public record ControllerStats(long messagesReceived, long messagesSent, long droppedUnsigned, long droppedMalformed,
        long droppedOversized, long workersStarted, long workersLost, long unitsRetried, long unitsCompleted,
        int unitsQueued, int unitsHeld) {
}
