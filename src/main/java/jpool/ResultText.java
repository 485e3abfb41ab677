package jpool;

import java.util.Locale;

/**
 * A result's state in words, for consoles and saved notebooks, made from one {@link Progress} snapshot so
 * that the words agree with the counters.
 */
final class ResultText {

    private ResultText() {
    }

    /**
     * For example {@code MapResult: running, 12/20 done, 0 failed, 4 on workers, 4 queued, 3.1 s elapsed, ETA
     * 2.0 s} or {@code AsyncResult: done on w1 in 0.35 s}. Items "on workers" were sent to a worker and may
     * be running or waiting there.
     *
     * @param map whether the result is a {@link MapResult}
     * @param p the snapshot
     * @param workerId the result's {@link AsyncResult#workerId()} at the moment of the snapshot, or null
     * @param started whether a worker had started the work at that moment
     */
    static String describe(boolean map, Progress p, String workerId, boolean started) {
        double seconds = p.elapsed().toNanos() / 1e9;
        boolean complete = p.finished();
        boolean cancelled = p.state() == Progress.State.CANCELLED;
        StringBuilder sb = new StringBuilder(map ? "MapResult: " : "AsyncResult: ").append(word(p.state()));
        if (!map) {
            if (workerId != null && !cancelled) {
                sb.append(" on ").append(workerId);
            }
            if (complete && !cancelled) {
                sb.append(String.format(Locale.ROOT, " in %.2f s", seconds));
            } else if (!complete) {
                sb.append(String.format(Locale.ROOT, ", %.1f s %s", seconds, started ? "elapsed" : "since submit"));
            }
            return sb.toString();
        }
        sb.append(", ").append(p.done()).append('/').append(p.total()).append(" done, ").append(p.failed())
                .append(" failed");
        if (!complete) {
            sb.append(", ").append(p.running()).append(" on workers, ").append(p.queued()).append(" queued");
            sb.append(String.format(Locale.ROOT, ", %.1f s elapsed", seconds));
            int finishedItems = p.done() + p.failed();
            if (finishedItems > 0 && started) {
                double eta = seconds / finishedItems * (p.total() - finishedItems);
                sb.append(String.format(Locale.ROOT, ", ETA %.1f s", eta));
            }
        } else if (!cancelled) {
            sb.append(String.format(Locale.ROOT, ", in %.2f s", seconds));
        }
        return sb.toString();
    }

    private static String word(Progress.State state) {
        return state.name().toLowerCase(Locale.ROOT);
    }
}
