package jpool.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import jpool.AsyncResult;
import jpool.CallScope;
import jpool.OutputChunk;

/**
 * One run of a cell as pools see it ({@link CallScope}): the output of the tasks the cell submitted streams into
 * the cell while it runs, and an interrupt of the cell cancels the pool calls it waits in.
 *
 * <p>Output: each complete line is labelled with its worker ({@code [w1] task 3}) and published on the stream
 * it was printed on, under the cell's own request, gathered for {@value #GATHER_MS} ms. A cell shows at most
 * {@value #LINE_LIMIT} lines of task output, stdout and stderr together, each cut at {@value #LINE_CHARS}
 * characters; further lines are only counted, per worker and stream, and when the cell ends it says, on that
 * stream, how many were not shown ({@code [w1] ... 999,000 more lines not shown; the result's stdout() has
 * them}), so a task printing a million lines costs the notebook and the kernel a bounded amount. {@link #close}
 * publishes what is pending, a last incomplete line included; after it nothing of this scope is published
 * again and {@link #taskOutput} returns false, so output of a task still running stays with its result.
 *
 * <p>Progress: a blocking pool call that waits longer than {@link Display#progressAfter()} shows the progress of
 * the awaited result in the cell ({@link WaitProgress}); {@link #close} waits for those displays' final state.
 *
 * <p>Interrupts: {@link #beginInterrupt()} takes the waits registered so far, the kernel stops the cell's
 * code, then {@link #finishInterrupt} cancels what those waits were for; {@link #interruptReport} says what
 * was cancelled, for the cell's error.
 */
final class CellScope implements CallScope {

    /** Lines of task output one cell shows at most. */
    static final int LINE_LIMIT = 2_000;
    /** Characters of one line of task output shown at most. */
    static final int LINE_CHARS = 1_000;
    static final long GATHER_MS = 50;

    /** The scope of the calling thread: a cell's, or one a magic put in its place ({@link #use}). */
    private static final InheritableThreadLocal<CallScope> CURRENT = new InheritableThreadLocal<>();

    private final BiConsumer<String, String> publisher;
    private final ScheduledExecutorService timers;
    /** Held while publishing, so that publications keep their order and none follows {@link #close}. */
    private final Object publishing = new Object();

    // guarded by this
    private final Map<String, StringBuilder> partial = new LinkedHashMap<>(); // by worker and stream
    private final Map<String, Integer> cut = new LinkedHashMap<>(); // characters cut from the partial line
    private final Map<String, Long> dropped = new LinkedHashMap<>();
    private final StringBuilder out = new StringBuilder();
    private final StringBuilder err = new StringBuilder();
    private int shown;
    private boolean gathering;
    private boolean closed;
    private final Set<Runnable> waits = new LinkedHashSet<>();
    private final List<String> cancelled = new ArrayList<>();
    private boolean interrupted;
    private final CountDownLatch interruptDone = new CountDownLatch(1);
    private final WaitProgress progress;

    /**
     * @param publisher publishes (stream name, text) under the cell's request
     * @param timers runs the gathered publications
     */
    CellScope(BiConsumer<String, String> publisher, ScheduledExecutorService timers) {
        this.publisher = publisher;
        this.timers = timers;
        this.progress = new WaitProgress(timers, Display.progressAfter().toNanos(), Display::displayInKernel);
    }

    /** Installs the scope supplier pools ask: the scope of the cell the calling thread (or its creator) runs in. */
    static CallScope.Registration installHost() {
        return CallScope.install(CURRENT::get);
    }

    /** Makes this the scope of the calling thread and of the threads it starts from now on. */
    void enter() {
        CURRENT.set(this);
    }

    /** Leaves the calling thread's scope. */
    static void leave() {
        CURRENT.remove();
    }

    /**
     * Makes {@code scope} the scope of the calling thread, and of the threads it starts meanwhile, until the
     * returned registration is closed, which restores the scope before: for a magic that takes its tasks'
     * output itself (%%px groups it per worker) and hands the rest to the cell's scope.
     */
    static CallScope.Registration use(CallScope scope) {
        CallScope before = CURRENT.get();
        CURRENT.set(scope);
        return () -> {
            if (before == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(before);
            }
        };
    }

    // ------------------------------------------------------------------------------- output

    @Override
    public boolean taskOutput(String workerId, OutputChunk.Stream stream, String text) {
        boolean wake;
        synchronized (this) {
            if (closed) {
                return false;
            }
            String key = workerId + (stream == OutputChunk.Stream.STDERR ? " err" : " out");
            int from = 0;
            for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
                append(key, text, from, nl);
                line(key, workerId, stream);
                from = nl + 1;
            }
            if (from < text.length()) {
                append(key, text, from, text.length());
            }
            wake = !gathering && (out.length() > 0 || err.length() > 0);
            gathering |= wake;
        }
        if (wake) {
            timers.schedule(this::publishGathered, GATHER_MS, TimeUnit.MILLISECONDS);
        }
        return true;
    }

    /** Adds text[from, to) to the incomplete line of {@code key}, keeping at most {@link #LINE_CHARS}. */
    private void append(String key, String text, int from, int to) {
        StringBuilder sb = partial.computeIfAbsent(key, k -> new StringBuilder());
        int room = Math.max(0, LINE_CHARS - sb.length());
        int keep = Math.min(room, to - from);
        sb.append(text, from, from + keep);
        if (keep < to - from) {
            cut.merge(key, to - from - keep, Integer::sum);
        }
    }

    /** The line of {@code key} is complete: shown, or counted once the cell showed enough. */
    private void line(String key, String workerId, OutputChunk.Stream stream) {
        StringBuilder sb = partial.get(key);
        Integer cutChars = cut.remove(key);
        if (shown < LINE_LIMIT) {
            shown++;
            StringBuilder target = stream == OutputChunk.Stream.STDERR ? err : out;
            target.append('[').append(workerId).append("] ").append(sb);
            if (cutChars != null) {
                target.append(String.format(Locale.ROOT, " ... (%,d more characters)", cutChars));
            }
            target.append('\n');
        } else {
            dropped.merge(key, 1L, Long::sum);
        }
        sb.setLength(0);
    }

    private void publishGathered() {
        synchronized (publishing) {
            String o;
            String e;
            synchronized (this) {
                gathering = false;
                if (closed) {
                    return;
                }
                o = take(out);
                e = take(err);
            }
            publish(o, e);
        }
    }

    private void publish(String o, String e) {
        if (!o.isEmpty()) {
            publisher.accept("stdout", o);
        }
        if (!e.isEmpty()) {
            publisher.accept("stderr", e);
        }
    }

    private static String take(StringBuilder sb) {
        String s = sb.toString();
        sb.setLength(0);
        return s;
    }

    /**
     * Ends the scope: publishes what is pending, incomplete lines and the counts of lines not shown, and from
     * then on publishes nothing; then waits (briefly) for the progress displays of its finished waits to show
     * their final state. Idempotent.
     */
    void close() {
        try {
            closeOutput();
        } finally {
            progress.finish();
        }
    }

    private void closeOutput() {
        synchronized (publishing) {
            String o;
            String e;
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                for (Map.Entry<String, StringBuilder> p : partial.entrySet()) {
                    if (p.getValue().length() > 0) {
                        String key = p.getKey();
                        line(key, worker(key), stream(key));
                    }
                }
                for (Map.Entry<String, Long> d : dropped.entrySet()) {
                    String key = d.getKey();
                    OutputChunk.Stream s = stream(key);
                    (s == OutputChunk.Stream.STDERR ? err : out).append(String.format(Locale.ROOT,
                            "[%s] ... %,d more %s not shown; the result's %s() has them%n", worker(key), d.getValue(),
                            d.getValue() == 1 ? "line" : "lines", s == OutputChunk.Stream.STDERR ? "stderr" : "stdout"));
                }
                partial.clear();
                o = take(out);
                e = take(err);
                waits.clear();
            }
            publish(o, e);
        }
    }

    private static String worker(String key) {
        return key.substring(0, key.length() - 4);
    }

    private static OutputChunk.Stream stream(String key) {
        return key.endsWith(" err") ? OutputChunk.Stream.STDERR : OutputChunk.Stream.STDOUT;
    }

    // ------------------------------------------------------------------------------- interrupts

    @Override
    public synchronized CallScope.Registration onInterrupt(Runnable cancel) {
        if (closed) {
            return () -> { };
        }
        waits.add(cancel);
        return () -> {
            synchronized (this) {
                waits.remove(cancel);
            }
        };
    }

    @Override
    public CallScope.Registration onWait(AsyncResult<?> result, String call, Runnable cancel) {
        CallScope.Registration interrupt = onInterrupt(cancel);
        CallScope.Registration shown = progress.waiting(result);
        return () -> {
            shown.close();
            interrupt.close();
        };
    }

    @Override
    public synchronized void cancelled(String what) {
        cancelled.add(what);
    }

    /** Marks the cell interrupted and takes the waits to cancel once its code is stopped. */
    synchronized List<Runnable> beginInterrupt() {
        interrupted = true;
        return new ArrayList<>(waits);
    }

    /**
     * Cancels what the waits taken by {@link #beginInterrupt()} were for, and those registered since (a wait
     * that began just before the stop); cancelling twice does nothing more.
     */
    void finishInterrupt(List<Runnable> cancels, java.io.PrintStream log) {
        Set<Runnable> all = new LinkedHashSet<>(cancels);
        synchronized (this) {
            all.addAll(waits);
        }
        try {
            for (Runnable c : all) {
                try {
                    c.run();
                } catch (RuntimeException e) {
                    log.println("jpool: cancelling a pool call on interrupt failed: " + e);
                }
            }
        } finally {
            interruptDone.countDown();
        }
    }

    /**
     * What the interrupt of this cell cancelled, in words, joined by "; ", or null if it cancelled nothing
     * (or the cell was not interrupted); waits at most {@code maxMillis} for the cancellations to finish.
     */
    String interruptReport(long maxMillis) {
        synchronized (this) {
            if (!interrupted) {
                return null;
            }
        }
        try {
            interruptDone.await(maxMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            return cancelled.isEmpty() ? null : String.join("; ", cancelled);
        }
    }
}
