package jpool;

import java.time.Duration;
import java.time.Instant;

/**
 * When a result was submitted, first started on a worker and finished, and which worker it heard from
 * last ({@link AsyncResult#workerId()}).
 *
 * <p>Invariants: {@code started} only moves earlier once set (chunks of a map start on several workers);
 * {@code finished} is set once, when the result reaches a final state. Times reported by workers are their
 * clocks, so {@code started} may be a little before {@code submitted}.
 *
 * <p>Not thread-safe: the owning {@link ResultCore} calls it with its monitor held.
 */
final class ResultTimes {

    final Instant submitted = Instant.now();
    private Instant started;
    private Instant finished;
    private String worker;

    /** A chunk started, or finished, on {@code worker} at {@code start} (null if not known). */
    void note(String worker, Instant start) {
        if (started == null || (start != null && start.isBefore(started))) {
            started = start;
        }
        this.worker = worker;
    }

    void finish(Instant at) {
        finished = at;
    }

    Instant started() {
        return started;
    }

    Instant finished() {
        return finished;
    }

    String worker() {
        return worker;
    }

    /**
     * From the first start (from submission while nothing has started) to now, or to the finish once there
     * is one; never negative.
     */
    Duration elapsed() {
        Instant from = started != null ? started : submitted;
        Duration d = Duration.between(from, finished != null ? finished : Instant.now());
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** An instant from microseconds since the epoch; null for 0 or less (not reported). */
    static Instant ofMicros(long epochMicros) {
        return epochMicros <= 0 ? null : Instant.ofEpochSecond(epochMicros / 1_000_000, (epochMicros % 1_000_000) * 1000);
    }
}
