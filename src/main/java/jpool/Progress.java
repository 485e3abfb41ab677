package jpool;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable snapshot of how far a result has come: every field is from one moment.
 *
 * <p>A result takes a snapshot under its own lock, the lock that every event changing the result also
 * holds, so the counts of one snapshot always agree with each other:
 * {@code done + failed + running + queued + cancelled == total}, the per-worker {@code done} counts sum to
 * {@code done} and the per-worker {@code running} counts sum to {@code running}. Taking one costs time
 * in the number of workers, not of elements, so a display may take ten a second of a 100,000-element map.
 *
 * <p>Counts are of input elements (one for {@code apply}). Each element is in exactly one of these
 * states; the arrows are the only changes:
 * <pre>
 *   queued --sent to a worker--&gt; running --finished--&gt; done | failed
 *   queued | running --the result is cancelled--&gt; cancelled
 * </pre>
 * A running element is one sent to a worker and not finished: it may be executing or waiting in the
 * worker's prefetch queue, and it may be moved to another worker (work stealing, a retry after the
 * worker died) without leaving the running state. Elements are sent, and finish, a chunk at a time.
 *
 * @param state the state of the whole result
 * @param total the number of input elements
 * @param done elements that completed with a value
 * @param failed elements whose task threw, or whose worker was lost
 * @param running elements sent to a worker and not finished
 * @param queued elements not yet sent to a worker
 * @param cancelled elements that were queued or running when the result was cancelled
 * @param elapsed time from the first start of a chunk on a worker (from submission while none has
 *     started) to this snapshot, or to completion once the result is finished; never negative
 * @param workers per worker id, in the order the workers first received work of this result: what
 *     was done, failed and is running there (failures that happened before any worker received the
 *     element, such as a broken pool, are counted in {@code failed} but under no worker)
 */
public record Progress(State state, int total, int done, int failed, int running, int queued, int cancelled,
        Duration elapsed, Map<String, WorkerCounts> workers) {

    /**
     * The state machine of a result ({@link AsyncResult} or {@link MapResult}). These are all of its states
     * and transitions:
     *
     * <table>
     * <caption>Transitions</caption>
     * <tr><th>from</th><th>event</th><th>to</th></tr>
     * <tr><td>(submit)</td><td>the result is created</td><td>{@link #QUEUED}; {@link #DONE} for a map
     *     of no elements</td></tr>
     * <tr><td>{@link #QUEUED}</td><td>a first chunk is sent to a worker</td><td>{@link #RUNNING}</td></tr>
     * <tr><td>{@link #QUEUED}, {@link #RUNNING}</td><td>the last chunk finishes and no element
     *     failed</td><td>{@link #DONE}</td></tr>
     * <tr><td>{@link #QUEUED}, {@link #RUNNING}</td><td>the last chunk finishes and an element
     *     failed (a chunk may fail before it was sent, e.g. when the pool is broken)</td>
     *     <td>{@link #FAILED}</td></tr>
     * <tr><td>{@link #QUEUED}, {@link #RUNNING}</td><td>{@link AsyncResult#cancel}, or the pool is
     *     terminated</td><td>{@link #CANCELLED}</td></tr>
     * </table>
     *
     * <p>A failed element does not stop a map: the other elements go on and the result stays
     * {@link #RUNNING}, with a growing {@link Progress#failed()} count, until its last chunk finishes.
     * {@link #DONE}, {@link #FAILED} and {@link #CANCELLED} are final: once a result is in one of them, no
     * count and no state changes again, and late reports from workers are ignored.
     *
     * <p>The state says what the workers reported. A value that came back but cannot be read in the
     * submitting JVM (its class is missing, say) fails only when it is asked for, so a {@link #DONE}
     * result may still throw from {@link AsyncResult#get()}.
     */
    public enum State {
        /** Submitted; no part of it was sent to a worker yet. */
        QUEUED,
        /** Some part was sent to a worker; not finished. */
        RUNNING,
        /** Every element completed with a value. Final. */
        DONE,
        /** Every element finished and at least one failed. Final. */
        FAILED,
        /** Cancelled, by the caller or because the pool terminated, before it finished. Final. */
        CANCELLED;

        /** Whether this state is final: {@link #DONE}, {@link #FAILED} or {@link #CANCELLED}. */
        public boolean isFinal() {
            return this == DONE || this == FAILED || this == CANCELLED;
        }

        /** Whether the table above has a transition from this state to {@code next}. */
        boolean canBecome(State next) {
            return switch (this) {
                case QUEUED -> next != QUEUED;
                case RUNNING -> next.isFinal();
                case DONE, FAILED, CANCELLED -> false;
            };
        }
    }

    /**
     * What one worker did for a result.
     *
     * @param done elements that completed there with a value
     * @param failed elements that failed there
     * @param running elements sent there and not finished
     */
    public record WorkerCounts(int done, int failed, int running) {
        /** @throws IllegalArgumentException if a count is negative */
        public WorkerCounts {
            if (done < 0 || failed < 0 || running < 0) {
                throw new IllegalArgumentException("negative count: " + done + ", " + failed + ", " + running);
            }
        }
    }

    /**
     * Checks the invariants and copies the worker map (keeping its order).
     *
     * @throws NullPointerException if {@code state}, {@code elapsed} or {@code workers} is null
     * @throws IllegalArgumentException if a count or {@code elapsed} is negative, or the counts do not add
     *     up to {@code total}
     */
    public Progress {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(elapsed, "elapsed");
        if (total < 0 || done < 0 || failed < 0 || running < 0 || queued < 0 || cancelled < 0 || elapsed.isNegative()) {
            throw new IllegalArgumentException("negative count or duration: " + describe(total, done, failed,
                    running, queued, cancelled) + ", elapsed " + elapsed);
        }
        if ((long) done + failed + running + queued + cancelled != total) {
            throw new IllegalArgumentException("counts do not add up to the total: "
                    + describe(total, done, failed, running, queued, cancelled));
        }
        workers = Collections.unmodifiableMap(new LinkedHashMap<>(workers));
    }

    private static String describe(int total, int done, int failed, int running, int queued, int cancelled) {
        return "total " + total + ", done " + done + ", failed " + failed + ", running " + running + ", queued "
                + queued + ", cancelled " + cancelled;
    }

    /** Whether the result is finished: its {@link #state()} is final, and no count changes any more. */
    public boolean finished() {
        return state.isFinal();
    }
}
