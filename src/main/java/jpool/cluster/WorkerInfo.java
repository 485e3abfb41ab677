package jpool.cluster;

/**
 * A snapshot of one worker. The controller publishes a new snapshot before it delivers any event that
 * the change behind it caused, so a caller that has seen a result complete reads counts that include it.
 *
 * @param id the worker id
 * @param pid its process id (-1 before it started)
 * @param state its state
 * @param unitsDone units it ran to the end (with values or failures); units cancelled or taken back before
 *     they started do not count
 * @param inFlight units sent to it and not finished
 */
public record WorkerInfo(String id, long pid, State state, long unitsDone, int inFlight) {

    /** Lifecycle of a worker. */
    public enum State {
        /** Process started, not yet connected. */
        STARTING,
        /** Connected, running the initializer. */
        INITIALIZING,
        /** Accepting units. */
        READY,
        /** Reached maxTasksPerChild; finishing its last units. */
        RETIRING,
        /** Asked or forced to exit. */
        STOPPING,
        /** Exited. */
        DEAD
    }
}
