package jpool.kernel;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps one display id current with a live value (see {@link Renderers#registerLive}): re-renders the value
 * in the background and sends the bundle when it differs from the last one sent, until the value is
 * finished; then sends the final bundle, stops its {@link ChangeSource} and never sends again.
 *
 * <p>When updates run: a value with a change source is rendered soon after each reported change, and
 * {@link #idleNanos} after the last render when nothing is reported (for clocks such as elapsed time); a
 * value without one is polled every {@link #minGapNanos}.
 *
 * <p>Invariants: at most one render is scheduled or running at a time, so renders and sends run one at a
 * time and a display's updates go out in order; two renders, and so two sends, begin at least
 * {@link #minGapNanos} apart, the display that started this counting as the first; the finished check comes before the render, so the
 * bundle sent as final shows the final state; after {@link #stop()} or the final send, nothing is sent and
 * the change source has been stopped (once).
 */
final class LiveDisplay {

    private final Object value;
    private final Renderers.Live live;
    private final String[] mimeTypes;
    private final Consumer<MimeBundle> send;
    private final Consumer<LiveDisplay> ended;
    private final ScheduledExecutorService scheduler;
    private final long minGapNanos;
    private final long idleNanos;

    // guarded by this
    private ScheduledFuture<?> next;
    private long nextAt;
    private long lastRender;
    private boolean rendering;
    private boolean changedWhileRendering;
    private boolean stopped;
    private Runnable unwatch;
    private boolean poll; // no change source, or it failed to start

    // only the render in progress reads and writes it (renders never overlap)
    private MimeBundle last;
    private final java.util.concurrent.CountDownLatch over = new java.util.concurrent.CountDownLatch(1);

    /**
     * @param send publishes an update of the display id
     * @param ended told once, when the updates end (final update sent, or stopped)
     * @param minGapNanos the least time between two sends
     * @param idleNanos the longest time between two renders of a value with a change source
     */
    LiveDisplay(Object value, Renderers.Live live, String[] mimeTypes, Consumer<MimeBundle> send,
            Consumer<LiveDisplay> ended, ScheduledExecutorService scheduler, long minGapNanos, long idleNanos) {
        this.value = value;
        this.live = live;
        this.mimeTypes = mimeTypes;
        this.send = send;
        this.ended = ended;
        this.scheduler = scheduler;
        this.minGapNanos = minGapNanos;
        this.idleNanos = idleNanos;
        this.poll = live.changes() == null;
    }

    /** Starts the updates of a display that has just been sent showing {@code shown}. */
    void start(MimeBundle shown) {
        last = shown;
        Runnable stopWatching = null;
        synchronized (this) {
            lastRender = System.nanoTime();
            if (stopped) {
                return;
            }
            scheduleLocked(lastRender + (poll ? minGapNanos : idleNanos));
        }
        if (live.changes() != null) {
            Runnable u;
            try {
                u = live.changes().watch(value, this::changed);
            } catch (RuntimeException e) {
                u = null;
            }
            synchronized (this) {
                if (u == null) {
                    poll = true;
                    if (!stopped) {
                        scheduleLocked(System.nanoTime());
                    }
                } else if (stopped) {
                    stopWatching = u;
                } else {
                    unwatch = u;
                }
            }
        }
        runQuietly(stopWatching);
    }

    /** The value may have changed: render it as soon as the rate allows. Any thread. */
    void changed() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            if (rendering) {
                changedWhileRendering = true;
                return;
            }
            scheduleLocked(System.nanoTime());
        }
    }

    /** Stops the updates without a final one (kernel shutdown, or the display id got another value). */
    void stop() {
        Runnable u;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            if (next != null) {
                next.cancel(false);
                next = null;
            }
            u = unwatch;
            unwatch = null;
        }
        runQuietly(u);
        over.countDown();
        ended.accept(this);
    }

    /**
     * Waits until the updates have ended (the final one sent, or stopped), at most the given time.
     *
     * @return whether they have
     */
    boolean awaitEnd(long timeout, TimeUnit unit) throws InterruptedException {
        return over.await(timeout, unit);
    }

    /** Whether updates have ended (final update sent, or stopped). */
    synchronized boolean stopped() {
        return stopped;
    }

    /** Schedules the next render at {@code at} or at the earliest the rate allows, unless one comes sooner. */
    private void scheduleLocked(long at) {
        long when = Math.max(at, lastRender + minGapNanos);
        if (next != null) {
            if (nextAt <= when) {
                return;
            }
            next.cancel(false);
        }
        nextAt = when;
        next = scheduler.schedule(this::render, Math.max(0, when - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /**
     * Sends the final update now if the value is finished, ahead of the rate (the one exception to the
     * gap between sends): the kernel calls it before it answers a cell, so that work that ended during the
     * cell shows its end under that cell (nbconvert keeps only updates that come before a cell's reply).
     * Runs on the display thread, as renders do.
     */
    void finishIfDone() {
        synchronized (this) {
            if (stopped || rendering) {
                return;
            }
        }
        boolean done;
        try {
            done = live.finished().test(value);
        } catch (RuntimeException | LinkageError e) {
            done = true;
        }
        if (!done) {
            return;
        }
        synchronized (this) {
            if (stopped || rendering) {
                return;
            }
            if (next != null) {
                next.cancel(false);
                next = null;
            }
            lastRender = System.nanoTime();
            rendering = true;
            changedWhileRendering = false;
        }
        renderAndSend();
    }

    private void render() {
        synchronized (this) {
            next = null;
            if (stopped) {
                return;
            }
            long now = System.nanoTime();
            if (now - lastRender < minGapNanos) { // a race between schedules; keep the rate
                scheduleLocked(now);
                return;
            }
            lastRender = now;
            rendering = true;
            changedWhileRendering = false;
        }
        renderAndSend();
    }

    /** The body of a render, with {@code rendering} set. */
    private void renderAndSend() {
        boolean finished;
        MimeBundle b;
        try {
            finished = live.finished().test(value);
            b = live.renderer().render(value);
            if (b != null && mimeTypes != null && mimeTypes.length > 0) {
                b = b.only(mimeTypes);
            }
        } catch (RuntimeException | LinkageError e) {
            finished = true; // a value that cannot be rendered keeps the last display it had
            b = null;
        }
        if (b != null && (finished || !b.equals(last))) {
            try {
                send.accept(b);
                last = b;
            } catch (RuntimeException e) {
                finished = true;
            }
        }
        synchronized (this) {
            rendering = false;
            if (!finished && !stopped) {
                long now = System.nanoTime();
                scheduleLocked(changedWhileRendering || poll ? now : now + idleNanos);
                return;
            }
        }
        stop();
    }

    private static void runQuietly(Runnable r) {
        if (r != null) {
            try {
                r.run();
            } catch (RuntimeException ignored) {
                // stopping the reports of a value must not break the display of others
            }
        }
    }
}
