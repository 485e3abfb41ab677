package jpool.kernel;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import jpool.AsyncResult;
import jpool.CallScope;

/**
 * The progress displays of one cell's blocking pool calls (IPython Parallel's {@code --progress-after}): once
 * the cell has waited for a result for {@code after}, the result is shown in the cell as a live display, which
 * keeps updating until the result is finished; when the cell ends, {@link #finish} waits (briefly) for the
 * displays of finished results to have sent their final state, so that it comes before the cell's reply.
 *
 * <p>Per result, the time counts from the first wait of the cell for it, and the display shows if a wait is in
 * progress when that time is up, or when a wait begins after it; so an {@code imap} loop, which waits for
 * each element in turn, shows its progress once it has run for {@code after}. A result is shown at most once
 * per cell.
 *
 * <p>Thread-safe: waits begin and end on the cell's threads, the timer runs on {@code timers}.
 */
final class WaitProgress {

    /** The longest {@link #finish} waits for a final update (the update itself comes within 0.1 s). */
    static final long FINISH_MILLIS = 2_000;

    private final ScheduledExecutorService timers;
    private final long afterNanos;
    private final Function<Object, String> show;

    private static final class Waited {
        final AsyncResult<?> result;
        final long since;
        int active;
        ScheduledFuture<?> timer;
        String displayId;

        Waited(AsyncResult<?> result, long since) {
            this.result = result;
            this.since = since;
        }
    }

    // guarded by this
    private final Map<AsyncResult<?>, Waited> waited = new IdentityHashMap<>();
    private boolean finished;

    /**
     * @param after nanoseconds a wait lasts before the display shows; 0 or less for never
     * @param show shows a value as a new live display in the cell and returns its id (null if it cannot)
     */
    WaitProgress(ScheduledExecutorService timers, long after, Function<Object, String> show) {
        this.timers = timers;
        this.afterNanos = after;
        this.show = show;
    }

    /** A thread of the cell begins to wait for {@code result}; close the registration when the wait ends. */
    CallScope.Registration waiting(AsyncResult<?> result) {
        if (afterNanos <= 0) {
            return () -> { };
        }
        boolean showNow = false;
        Waited w;
        synchronized (this) {
            if (finished) {
                return () -> { };
            }
            w = waited.get(result);
            long now = System.nanoTime();
            if (w == null) {
                w = new Waited(result, now);
                waited.put(result, w);
                Waited first = w;
                w.timer = timers.schedule(() -> due(first), afterNanos, TimeUnit.NANOSECONDS);
            } else if (w.displayId == null && w.timer == null && now - w.since >= afterNanos) {
                showNow = true;
            }
            w.active++;
        }
        if (showNow) {
            Waited late = w;
            timers.execute(() -> due(late));
        }
        Waited registered = w;
        boolean[] closed = {false};
        return () -> {
            synchronized (this) {
                if (!closed[0]) {
                    closed[0] = true;
                    registered.active--;
                }
            }
        };
    }

    /** The time is up for a result: shows it if the cell still waits for it and it is not finished. */
    private void due(Waited w) {
        synchronized (this) {
            w.timer = null;
            if (finished || w.active == 0 || w.displayId != null || w.result.isDone()) {
                return;
            }
            w.displayId = ""; // being shown; a second due() shows nothing
        }
        String id;
        try {
            id = show.apply(w.result);
        } catch (RuntimeException | LinkageError e) {
            id = null;
        }
        synchronized (this) {
            w.displayId = id == null ? "" : id;
        }
    }

    /**
     * The cell has ended: no display shows any more, and this waits, at most {@link #FINISH_MILLIS} in all,
     * until the display of every finished result has sent its final update. A result still running (the cell
     * stopped waiting for it) keeps its display updating in the background, as any live display does.
     */
    void finish() {
        List<Waited> shown = new ArrayList<>();
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            for (Waited w : waited.values()) {
                if (w.timer != null) {
                    w.timer.cancel(false);
                }
                if (w.displayId != null && !w.displayId.isEmpty()) {
                    shown.add(w);
                }
            }
            waited.clear();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FINISH_MILLIS);
        try {
            for (Waited w : shown) {
                long left = deadline - System.nanoTime();
                if (w.result.isDone() && left > 0) {
                    Display.awaitFinal(w.displayId, left, TimeUnit.NANOSECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
