package jpool.wire;

import java.time.Duration;

/**
 * Every timeout and grace period of the controller and its workers, in one place. Both sides read
 * these constants, so a worker that has not been told otherwise agrees with its controller.
 *
 * <p>The first group are the defaults of settings a pool may change (see {@code ClusterConfig}); the
 * controller sends the ones a worker needs in its {@code welcome} (docs/PROTOCOL.md), and a worker
 * uses the defaults here only until that arrives. The second group are fixed parts of the protocol.
 *
 * <p>On the wire and in the controller's timers durations are whole milliseconds:
 * {@link #wireMillis(Duration)} rounds up, so a positive duration never becomes 0 (which on the wire
 * means "none" for the task timeout).
 */
public final class Timeouts {

    // ------------------------------------------------------------------ defaults of settings

    /** Interval of heartbeats, in both directions. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(1);
    /** A worker exits after hearing nothing from its controller for this long. */
    public static final Duration WORKER_SILENCE = Duration.ofSeconds(5);
    /** The controller kills a connected worker it has heard nothing from for this long. */
    public static final Duration CONTROLLER_SILENCE = Duration.ofSeconds(10);
    /** How long a cancelled, interrupted task may take to stop before its worker is killed. */
    public static final Duration CANCEL_GRACE = Duration.ofSeconds(2);
    /** How long a launched worker may take to say hello; also how long a pool start waits for the first. */
    public static final Duration WORKER_START = Duration.ofSeconds(60);

    // ------------------------------------------------------------------ fixed controller timings

    /**
     * The controller's own check of the task timeout, in case the worker's fails: it kills a worker whose
     * heartbeats show a task running this much longer than the timeout.
     */
    public static final Duration TASK_TIMEOUT_BACKSTOP = Duration.ofSeconds(3);
    /** How long a worker that announced its exit (task timeout, {@code System.exit}) may take before it is killed. */
    public static final Duration EXITING_GRACE = Duration.ofSeconds(2);
    /** How long a worker told to shut down may take to exit before it is killed. */
    public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
    /** How long a worker that retired ({@code bye}) may take to exit before it is killed. */
    public static final Duration RETIRE_GRACE = Duration.ofSeconds(10);
    /** How long a failed pool start waits for the workers it launched to exit before it kills them. */
    public static final Duration START_FAILURE_CLEANUP = Duration.ofSeconds(30);

    // ------------------------------------------------------------------ fixed worker timings

    /** How long a worker waits for a {@code welcome} after its first hello before it reconnects. */
    public static final Duration HELLO_RETRY_FIRST = Duration.ofMillis(250);
    /** The longest interval between a worker's repeated hellos. */
    public static final Duration HELLO_RETRY_MAX = Duration.ofSeconds(2);
    /** How long a worker whose standard input closed waits for a {@code shutdown} that may be on its way. */
    public static final Duration STDIN_CLOSED_GRACE = Duration.ofMillis(100);
    /** When standard input closed, the worker halts after this long whatever its I/O thread is doing. */
    public static final Duration STDIN_CLOSED_BACKSTOP = Duration.ofSeconds(1);
    /** How long a worker's JVM exit waits for the I/O thread to send what the task left. */
    public static final Duration EXIT_FLUSH = Duration.ofSeconds(1);
    /** How long a worker's closing socket keeps trying to deliver queued messages. */
    public static final Duration SOCKET_LINGER = Duration.ofSeconds(2);

    private Timeouts() {
    }

    /**
     * A duration in whole milliseconds, rounded up: 0 stays 0, and any positive duration is at least 1.
     *
     * @throws IllegalArgumentException if {@code d} is negative
     * @throws ArithmeticException if it does not fit a long in milliseconds
     */
    public static long wireMillis(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("a duration on the wire must not be negative, got " + d);
        }
        long ms = d.toMillis();
        return d.minusMillis(ms).isZero() ? ms : Math.addExact(ms, 1);
    }
}
