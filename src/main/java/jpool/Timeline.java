package jpool;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable snapshot of where and when the units (chunks) of a result ran: one {@link Lane} per worker,
 * each a time-ordered list of {@link Span}s, with the idle time between them. {@link AsyncResult#timeline()}
 * takes one under the result's lock, so it agrees with the {@link Progress} of the same moment.
 *
 * <p>Times are offsets from the {@linkplain #origin() origin}, the earliest start of a unit on a worker; start
 * and end times come from the workers' clocks where the workers report them (when a unit started, when it
 * finished), and from this JVM's clock for what this JVM decides (a cancel, a worker lost).
 *
 * <p>Memory is bounded whatever the size of the map: at most {@link #MAX_LANES} lanes (the first workers that
 * ran a unit of the result; the units of further workers are only counted, {@link #omittedUnits()}), and at
 * most {@link #MAX_SPANS} spans per lane. A lane that would hold more merges neighbouring spans that are
 * closer together than its resolution, doubling the resolution until it fits: the picture keeps its shape
 * and loses the gaps shorter than the resolution. A merged span covers its parts and the gaps between them;
 * {@link Span#busy()} and the counts are the sums of its parts, and its outcome is the most notable one of
 * its parts ({@code LOST}, then {@code FAILED}, {@code CANCELLED}, {@code DONE}).
 */
public final class Timeline {

    /** Lanes (workers) a timeline holds at most. */
    public static final int MAX_LANES = 64;
    /** Spans one lane holds at most. */
    public static final int MAX_SPANS = 256;

    /** How a span of work ended. */
    public enum Outcome {
        /** Still running at the moment of the snapshot; its end is that moment. */
        RUNNING,
        /** Every element of the unit completed with a value. */
        DONE,
        /** At least one element failed (the task threw, timed out, or its worker died and no retry was left). */
        FAILED,
        /** Its worker was lost while running it, and the unit was retried elsewhere. */
        LOST,
        /** The result was cancelled while the unit ran. */
        CANCELLED
    }

    /**
     * A stretch of time one worker spent on units of the result.
     *
     * @param start offset of its start from the origin
     * @param end offset of its end from the origin (the snapshot's moment for a running unit); not before start
     * @param busy time spent running, at most {@code end - start} (less for a merged span with gaps)
     * @param units the units it covers
     * @param elements the input elements of those units
     * @param outcome how it ended
     */
    public record Span(Duration start, Duration end, Duration busy, int units, int elements, Outcome outcome) {
        /**
         * @throws NullPointerException if a duration or the outcome is null
         * @throws IllegalArgumentException if a duration or count is negative or {@code end} is before {@code start}
         */
        public Span {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            Objects.requireNonNull(busy, "busy");
            Objects.requireNonNull(outcome, "outcome");
            if (start.isNegative() || end.compareTo(start) < 0 || busy.isNegative() || units < 0 || elements < 0) {
                throw new IllegalArgumentException("bad span: " + start + " to " + end + ", busy " + busy + ", "
                        + units + " units, " + elements + " elements");
            }
        }
    }

    /**
     * What one worker did for the result.
     *
     * @param workerId the worker, e.g. {@code w1}
     * @param spans its spans in order of their start
     */
    public record Lane(String workerId, List<Span> spans) {
        /** Copies the spans. */
        public Lane {
            Objects.requireNonNull(workerId, "workerId");
            spans = List.copyOf(spans);
        }

        /** The time spent running units: the sum of {@link Span#busy()}. */
        public Duration busy() {
            Duration d = Duration.ZERO;
            for (Span s : spans) {
                d = d.plus(s.busy());
            }
            return d;
        }

        /** The units run: the sum of {@link Span#units()}. */
        public int units() {
            int n = 0;
            for (Span s : spans) {
                n += s.units();
            }
            return n;
        }
    }

    private static final Timeline EMPTY = new Timeline(null, Duration.ZERO, List.of(), 0);

    private final Instant origin;
    private final Duration length;
    private final List<Lane> lanes;
    private final long omittedUnits;

    /**
     * Creates a snapshot.
     *
     * @param origin the earliest start of a unit, or null when none has started
     * @param length from the origin to the moment of the snapshot, or to the end of the result once finished
     * @param lanes one per worker, in the order the workers first ran a unit of the result
     * @param omittedUnits units of workers beyond {@link #MAX_LANES}
     * @throws IllegalArgumentException if {@code length} or {@code omittedUnits} is negative, or lanes are given
     *     without an origin
     */
    public Timeline(Instant origin, Duration length, List<Lane> lanes, long omittedUnits) {
        Objects.requireNonNull(length, "length");
        if (length.isNegative() || omittedUnits < 0) {
            throw new IllegalArgumentException("negative length or count: " + length + ", " + omittedUnits);
        }
        if (origin == null && !lanes.isEmpty()) {
            throw new IllegalArgumentException("lanes without an origin");
        }
        this.origin = origin;
        this.length = length;
        this.lanes = List.copyOf(lanes);
        this.omittedUnits = omittedUnits;
    }

    /** The timeline of a result none of whose units has started. */
    public static Timeline empty() {
        return EMPTY;
    }

    /** The earliest start of a unit, if one has started. */
    public Optional<Instant> origin() {
        return Optional.ofNullable(origin);
    }

    /**
     * From the origin to the moment of the snapshot, or to the end of the result once it is finished (and no
     * less than the latest end of a span); zero when nothing has started.
     */
    public Duration length() {
        return length;
    }

    /** One lane per worker, in the order the workers first ran a unit of the result. */
    public List<Lane> lanes() {
        return lanes;
    }

    /** Units run by workers that have no lane (beyond the first {@link #MAX_LANES}). */
    public long omittedUnits() {
        return omittedUnits;
    }

    /** Whether no unit has started. */
    public boolean isEmpty() {
        return origin == null;
    }

    @Override
    public String toString() {
        return "Timeline[" + lanes.size() + " lanes over " + length + (omittedUnits > 0 ? ", " + omittedUnits
                + " units on other workers" : "") + "]";
    }
}
