package jpool;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The record behind a result's {@link Timeline}: the units that run now (by chunk) and, per worker, the spans
 * of the units that ended, merged as {@link Timeline} describes so that a lane never holds more than
 * {@link Timeline#MAX_SPANS} spans. Times are microseconds since the epoch.
 *
 * <p>Invariants: a chunk is open at most once (a new start of a chunk open elsewhere ends the old attempt as
 * {@code LOST}); every lane's spans are ordered by start and number at most {@code MAX_SPANS}; there are at
 * most {@code MAX_LANES} lanes; {@code open} holds only chunks that started and have not ended, so its size is
 * bounded by the units the workers hold, not by the size of the map.
 *
 * <p>Not thread-safe: the owning {@link ResultCore} calls it with its monitor held.
 */
final class UnitTimeline {

    private record Open(String worker, long start, int elements) {
    }

    /** A span under construction; {@code busy} is the sum of its parts' run times. */
    private static final class Part {
        long start;
        long end;
        long busy;
        int units;
        int elements;
        Timeline.Outcome outcome;

        Part(long start, long end, int elements, Timeline.Outcome outcome) {
            this.start = start;
            this.end = Math.max(start, end);
            this.busy = this.end - start;
            this.units = 1;
            this.elements = elements;
            this.outcome = outcome;
        }

        void absorb(Part p) {
            start = Math.min(start, p.start);
            end = Math.max(end, p.end);
            busy += p.busy;
            units += p.units;
            elements += p.elements;
            if (rank(p.outcome) > rank(outcome)) {
                outcome = p.outcome;
            }
        }
    }

    /**
     * The spans of one worker and the gap below which neighbours merge: at first only neighbours with the same
     * outcome ({@code mixed} false); once that cannot make the lane fit, neighbours with any outcome.
     */
    private static final class LaneLog {
        final List<Part> parts = new ArrayList<>();
        long resolution; // microseconds; 0 until the lane first overflows
        boolean mixed;

        void add(Part p) {
            int at = parts.size();
            while (at > 0 && parts.get(at - 1).start > p.start) {
                at--; // units of one worker end in the order they started, so this loop rarely runs
            }
            if (at > 0 && mergeable(parts.get(at - 1), p)) {
                parts.get(at - 1).absorb(p);
            } else {
                parts.add(at, p);
            }
            if (parts.size() > Timeline.MAX_SPANS) {
                compact();
            }
        }

        private boolean mergeable(Part left, Part right) {
            return right.start - left.end <= resolution && (mixed || left.outcome == right.outcome);
        }

        /**
         * Doubles the resolution until the lane holds at most three quarters of its room (so that adds stay
         * cheap); if merging by outcome cannot get there, starts again from a fine resolution merging any
         * neighbours. Ends: at a resolution beyond the lane's length mixed merging leaves one span.
         */
        private void compact() {
            long span = parts.get(parts.size() - 1).end - parts.get(0).start;
            long fine = Math.max(1_000, span / Timeline.MAX_SPANS);
            resolution = Math.max(2 * resolution, fine);
            int target = Timeline.MAX_SPANS * 3 / 4;
            while (true) {
                mergePass();
                if (parts.size() <= target) {
                    return;
                }
                if (!mixed && resolution > span) {
                    mixed = true;
                    resolution = fine;
                } else {
                    resolution *= 2;
                }
            }
        }

        private void mergePass() {
            List<Part> merged = new ArrayList<>(parts.size());
            for (Part p : parts) {
                Part last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
                if (last != null && mergeable(last, p)) {
                    last.absorb(p);
                } else {
                    merged.add(p);
                }
            }
            parts.clear();
            parts.addAll(merged);
        }
    }

    private final Map<Integer, Open> open = new HashMap<>();
    private final Map<String, LaneLog> lanes = new LinkedHashMap<>();
    private long omittedUnits;
    private long origin = Long.MAX_VALUE;

    /** The unit of {@code chunk} ({@code elements} elements) runs on {@code worker} since {@code start}. */
    void started(int chunk, String worker, long start, int elements) {
        if (start <= 0) {
            return;
        }
        Open was = open.get(chunk);
        if (was != null) {
            if (was.worker.equals(worker)) {
                return; // the same attempt, reported again
            }
            end(was, start, Timeline.Outcome.LOST);
        }
        open.put(chunk, new Open(worker, start, elements));
        origin = Math.min(origin, start);
        lane(worker);
    }

    /** The chunk was handed to {@code worker}; an attempt that runs elsewhere was lost with its worker. */
    void dispatched(int chunk, String worker, long now) {
        Open was = open.get(chunk);
        if (was != null && !was.worker.equals(worker)) {
            open.remove(chunk);
            end(was, now, Timeline.Outcome.LOST);
        }
    }

    /**
     * The unit of {@code chunk} ended on {@code worker}.
     *
     * @param start when it started there, or 0 if the worker did not say (then its start notice's time, if
     *     any; a unit whose start is unknown leaves no span)
     */
    void finished(int chunk, String worker, long start, long end, int elements, Timeline.Outcome outcome) {
        Open was = open.remove(chunk);
        if (start <= 0 && was != null) {
            start = was.start;
        }
        if (start <= 0) {
            return;
        }
        origin = Math.min(origin, start);
        add(worker != null ? worker : was != null ? was.worker : null, new Part(start, end, elements, outcome));
    }

    /** The unit of {@code chunk} failed without a result (its worker died, it timed out): it ends now. */
    void failed(int chunk, long now) {
        Open was = open.remove(chunk);
        if (was != null) {
            end(was, now, Timeline.Outcome.FAILED);
        }
    }

    /** The result was cancelled: every running unit ends now. */
    void cancelAll(long now) {
        for (Open o : open.values()) {
            end(o, now, Timeline.Outcome.CANCELLED);
        }
        open.clear();
    }

    private void end(Open o, long at, Timeline.Outcome outcome) {
        add(o.worker, new Part(o.start, at, o.elements, outcome));
    }

    private void add(String worker, Part p) {
        LaneLog lane = worker == null ? null : lane(worker);
        if (lane == null) {
            omittedUnits++;
        } else {
            lane.add(p);
        }
    }

    /** The lane of a worker, made if there is room; null if the timeline has no room for another lane. */
    private LaneLog lane(String worker) {
        LaneLog l = lanes.get(worker);
        if (l == null && lanes.size() < Timeline.MAX_LANES) {
            l = new LaneLog();
            lanes.put(worker, l);
        }
        return l;
    }

    /**
     * The snapshot of this moment.
     *
     * @param now this moment
     * @param finish when the result finished, or 0 while it runs
     */
    Timeline snapshot(long now, long finish) {
        if (origin == Long.MAX_VALUE) {
            return Timeline.empty();
        }
        long last = finish > 0 ? finish : now;
        Map<String, List<Timeline.Span>> spans = new LinkedHashMap<>();
        for (Map.Entry<String, LaneLog> e : lanes.entrySet()) {
            List<Timeline.Span> list = new ArrayList<>(e.getValue().parts.size() + 1);
            for (Part p : e.getValue().parts) {
                list.add(span(p.start, p.end, p.busy, p.units, p.elements, p.outcome));
                last = Math.max(last, p.end);
            }
            spans.put(e.getKey(), list);
        }
        long omitted = omittedUnits;
        for (Iterator<Open> it = open.values().iterator(); it.hasNext();) {
            Open o = it.next();
            List<Timeline.Span> list = spans.get(o.worker);
            if (list == null) {
                omitted++;
                continue;
            }
            long end = Math.max(o.start, now);
            list.add(span(o.start, end, end - o.start, 1, o.elements, Timeline.Outcome.RUNNING));
        }
        List<Timeline.Lane> result = new ArrayList<>(spans.size());
        for (Map.Entry<String, List<Timeline.Span>> e : spans.entrySet()) {
            List<Timeline.Span> list = e.getValue();
            list.sort((a, b) -> a.start().compareTo(b.start()));
            result.add(new Timeline.Lane(e.getKey(), list));
        }
        return new Timeline(Instant.ofEpochSecond(origin / 1_000_000, (origin % 1_000_000) * 1000),
                micros(last - origin), result, omitted);
    }

    private Timeline.Span span(long start, long end, long busy, int units, int elements, Timeline.Outcome outcome) {
        Duration from = micros(start - origin);
        Duration to = micros(Math.max(start, end) - origin);
        return new Timeline.Span(from, to, micros(Math.min(busy, end - start)), units, elements, outcome);
    }

    private static Duration micros(long us) {
        return Duration.ofNanos(Math.max(0, us) * 1000);
    }

    /** Microseconds since the epoch of an instant. */
    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
    }

    private static int rank(Timeline.Outcome o) {
        return switch (o) {
            case DONE -> 0;
            case CANCELLED -> 1;
            case RUNNING -> 2;
            case FAILED -> 3;
            case LOST -> 4;
        };
    }
}
