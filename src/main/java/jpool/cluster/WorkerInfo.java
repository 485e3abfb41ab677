package jpool.cluster;

/**
 * A snapshot of one worker. The controller publishes a new snapshot before it delivers any event that
 * the change behind it caused, so a caller that has seen a result complete reads counts that include it.
 *
 * @param id the worker id
 * @param pid its process id (-1 before it started)
 * @param state its state ({@link State#BUSY} for a ready worker that holds units)
 * @param unitsDone units it ran to the end (with values or failures); units cancelled or taken back before
 *     they started do not count
 * @param inFlight units sent to it and not finished
 * @param index its place in the pool: no other counted worker has it, a replacement takes its predecessor's,
 *     and a new worker the lowest one free; 0 to processes - 1 unless the pool shrank (see {@link
 *     Controller#resize})
 * @param acceptsUnits whether new units may still be sent to it: not retiring or stopping, and below
 *     maxTasksPerChild (the workers a job placed {@link Placement.OnEveryWorker on every worker} would be
 *     copied to now)
 * @param host the host it runs on ({@link WorkerHandle#host()}, or what the worker said in its hello)
 * @param launcher the name of the launcher that started it ({@link WorkerLauncher#name()}, e.g. {@code local})
 * @param unitsFailed of {@code unitsDone}, the units in which at least one element failed
 * @param runningJob the job whose unit it runs now (its last heartbeat or start notice), 0 for none
 * @param runningSinceMillis when that unit started (epoch milliseconds, as seen by the controller), 0 for none
 * @param heapUsed bytes of heap in use at its last heartbeat, -1 before the first
 * @param heapMax its heap's limit in bytes, -1 before the first heartbeat
 * @param launchedAtMillis when it was launched (epoch milliseconds)
 * @param restarts how many workers held its place (its index) before it
 */
public record WorkerInfo(String id, long pid, State state, long unitsDone, int inFlight, int index,
        boolean acceptsUnits, String host, String launcher, long unitsFailed, long runningJob, long runningSinceMillis,
        long heapUsed, long heapMax, long launchedAtMillis, int restarts) {

    /** Lifecycle of a worker. */
    public enum State {
        /** Process started, not yet connected. */
        STARTING,
        /** Connected, running the initializer. */
        INITIALIZING,
        /** Accepting units, and holding none. */
        READY,
        /**
         * Accepting units, and holding units it has not finished: running one (the others wait in its
         * queue). Only snapshots say BUSY; the controller itself treats such a worker as READY.
         */
        BUSY,
        /**
         * Leaving the pool (it reached maxTasksPerChild, or the pool shrank); finishing the unit it runs, and
         * taking no new ones.
         */
        RETIRING,
        /** Asked or forced to exit. */
        STOPPING,
        /** Exited. */
        DEAD
    }
}
