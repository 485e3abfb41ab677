package jpool.cluster;

import java.util.List;

/**
 * Why a unit failed without producing a result.
 *
 * @param kind the reason
 * @param workerId the worker involved, or null
 * @param exitCode the worker's exit code when it died, else -1
 * @param stderrTail the last lines the worker wrote to its standard error
 * @param message a human-readable explanation
 * @param remote a serialized {@link jpool.wire.RemoteFailure} (initializer failures), or null
 */
public record UnitFailure(Kind kind, String workerId, int exitCode, List<String> stderrTail, String message,
        byte[] remote) {

    /** Reasons for a unit failure. */
    public enum Kind {
        /** The worker running the unit died. */
        WORKER_LOST,
        /** The unit ran longer than the task timeout. */
        TIMEOUT,
        /** The pool's initializer failed, so no worker can run tasks. */
        INIT_FAILED,
        /** Workers cannot be started. */
        START_FAILED,
        /** The pool was terminated before the unit finished. */
        TERMINATED
    }
}
