package jpool;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import jpool.wire.Limits;
import jpool.wire.RemoteFailure;
import jpool.wire.TaskCodec;
import jpool.wire.UnitResult;

/**
 * Shared implementation of results: a job of {@code total} input elements split into chunks of
 * {@code chunkSize}. Pools report per-chunk events; values arriving as bytes are decoded lazily by the
 * thread that asks for them (never by the controller's I/O thread).
 */
abstract class BaseResult<V> implements AsyncResult<V> {

    /** Cancels the job in the pool. */
    interface Canceller {
        void cancel(boolean interrupt);
    }

    private final Executor callbacks;
    private final ClassLoader loader;
    final int total;
    final int chunkSize;
    final int chunks;
    private final Instant submitted = Instant.now();

    // guarded by this
    final Object[] values;
    final Throwable[] errors;
    private final UnitResult[] pending;
    private final String[] chunkWorker;
    private final boolean[] chunkResolved;
    private final boolean[] chunkRunning;
    final int[] completionOrder;
    int completionCount;
    private int doneCount;
    private int failedCount;
    private int runningCount;
    private int chunkWaiters; // threads waiting for single chunks (imap iterators), not for completion
    private boolean complete;
    private boolean cancelled;
    private boolean dispatchedAny;
    private Instant started;
    private Instant finished;
    private String workerId;
    private String outputWorker; // the worker whose output arrived last
    private final StringBuilder out = new StringBuilder();
    private final StringBuilder err = new StringBuilder();
    private List<Consumer<? super OutputChunk>> outputListeners;
    private List<Runnable> completionActions;
    private CompletableFuture<V> completable;
    private Canceller canceller;

    BaseResult(Executor callbacks, ClassLoader loader, int total, int chunkSize) {
        this.callbacks = callbacks;
        this.loader = loader;
        this.total = total;
        this.chunkSize = Math.max(1, chunkSize);
        this.chunks = total == 0 ? 0 : (total + this.chunkSize - 1) / this.chunkSize;
        values = new Object[total];
        errors = new Throwable[total];
        pending = new UnitResult[chunks];
        chunkWorker = new String[chunks];
        chunkResolved = new boolean[chunks];
        chunkRunning = new boolean[chunks];
        completionOrder = new int[chunks];
        if (chunks == 0) {
            complete = true;
            finished = submitted;
        }
    }

    /** Builds the value from the decoded elements, or throws the failure. Called with all decoded. */
    abstract V assemble() throws ExecutionException;

    ClassLoader loaderForFailures() {
        return loader;
    }

    synchronized void setCanceller(Canceller c) {
        this.canceller = c;
    }

    int chunkStart(int chunk) {
        return chunk * chunkSize;
    }

    int chunkEnd(int chunk) {
        return Math.min(total, (chunk + 1) * chunkSize);
    }

    int chunkOf(int index) {
        return index / chunkSize;
    }

    // ----------------------------------------------------------------------------- events from pools

    synchronized void dispatched(int chunk, String worker) {
        if (complete || chunkResolved[chunk]) {
            return;
        }
        dispatchedAny = true;
        if (!chunkRunning[chunk]) {
            chunkRunning[chunk] = true;
            runningCount += chunkEnd(chunk) - chunkStart(chunk);
        }
    }

    /** A chunk is running on a worker since {@code start}. */
    synchronized void started(int chunk, String worker, Instant start) {
        if (complete || chunkResolved[chunk]) {
            return; // a late report: the chunk's result is in
        }
        noteTimes(worker, start);
    }

    /** A chunk is running on a worker since {@code startedMicros} (microseconds since the epoch). */
    void started(int chunk, String worker, long startedMicros) {
        started(chunk, worker, micros(startedMicros));
    }

    /** Whether any part of the job was handed to a worker. */
    synchronized boolean dispatchedAny() {
        return dispatchedAny;
    }

    void output(int chunk, String worker, OutputChunk.Stream stream, String text) {
        OutputChunk c;
        List<Consumer<? super OutputChunk>> listeners;
        synchronized (this) {
            if (complete) {
                return;
            }
            (stream == OutputChunk.Stream.STDOUT ? out : err).append(text);
            outputWorker = worker;
            if (outputListeners == null) {
                return;
            }
            listeners = outputListeners;
            c = new OutputChunk(worker, chunkStart(chunk), stream, text, Instant.now());
        }
        callbacks.execute(() -> deliver(listeners, c));
    }

    void output(int chunk, String worker, int stream, byte[] utf8) {
        output(chunk, worker, stream == jpool.wire.OutputPiece.STDERR ? OutputChunk.Stream.STDERR
                : OutputChunk.Stream.STDOUT, new String(utf8, StandardCharsets.UTF_8));
    }

    private static void deliver(List<Consumer<? super OutputChunk>> listeners, OutputChunk c) {
        for (Consumer<? super OutputChunk> l : listeners) {
            try {
                l.accept(c);
            } catch (RuntimeException e) {
                e.printStackTrace();
            }
        }
    }

    /** A chunk finished on a worker; its values stay encoded until asked for. */
    void completed(int chunk, String worker, UnitResult result) {
        List<Runnable> actions;
        synchronized (this) {
            if (complete || chunkResolved[chunk]) {
                return;
            }
            pending[chunk] = result;
            int n = chunkEnd(chunk) - chunkStart(chunk);
            failedCount += result.errorIndices().length;
            doneCount += n - result.errorIndices().length;
            noteTimes(worker, micros(result.startedMicros()));
            actions = resolve(chunk, worker);
        }
        fire(actions);
    }

    /** A chunk finished in-process with decoded values and failures. */
    void completedValues(int chunk, String worker, Object[] chunkValues, Throwable[] chunkErrors, Instant start) {
        List<Runnable> actions;
        synchronized (this) {
            if (complete || chunkResolved[chunk]) {
                return;
            }
            int base = chunkStart(chunk);
            for (int i = 0; i < chunkValues.length; i++) {
                values[base + i] = chunkValues[i];
                errors[base + i] = chunkErrors[i];
                if (chunkErrors[i] != null) {
                    failedCount++;
                } else {
                    doneCount++;
                }
            }
            noteTimes(worker, start);
            actions = resolve(chunk, worker);
        }
        fire(actions);
    }

    /** Every element of a chunk failed with the same exception. */
    void failed(int chunk, Throwable failure) {
        List<Runnable> actions;
        synchronized (this) {
            if (complete || chunkResolved[chunk]) {
                return;
            }
            for (int i = chunkStart(chunk); i < chunkEnd(chunk); i++) {
                errors[i] = failure;
                failedCount++;
            }
            actions = resolve(chunk, failure instanceof TaskFailedException t ? t.workerId() : null);
        }
        fire(actions);
    }

    /** Completes the whole result as cancelled without telling the pool (e.g. the pool terminated). */
    void cancelledByPool() {
        List<Runnable> actions;
        synchronized (this) {
            if (complete) {
                return;
            }
            cancelled = true;
            actions = finish();
        }
        fire(actions);
    }

    private void noteTimes(String worker, Instant start) {
        if (started == null || (start != null && start.isBefore(started))) {
            started = start;
        }
        workerId = worker;
    }

    private List<Runnable> resolve(int chunk, String worker) {
        chunkResolved[chunk] = true;
        chunkWorker[chunk] = worker;
        if (chunkRunning[chunk]) {
            chunkRunning[chunk] = false;
            runningCount -= chunkEnd(chunk) - chunkStart(chunk);
        }
        completionOrder[completionCount++] = chunk;
        if (completionCount == chunks) {
            return finish();
        }
        if (chunkWaiters > 0) {
            notifyAll(); // otherwise a thread in get() would wake for every chunk of a map
        }
        return null;
    }

    private List<Runnable> finish() {
        complete = true;
        finished = Instant.now();
        notifyAll();
        List<Runnable> actions = completionActions;
        completionActions = null;
        return actions;
    }

    private void fire(List<Runnable> actions) {
        if (actions != null) {
            for (Runnable a : actions) {
                callbacks.execute(a);
            }
        }
    }

    private static Instant micros(long epochMicros) {
        return epochMicros <= 0 ? null : Instant.ofEpochSecond(epochMicros / 1_000_000, (epochMicros % 1_000_000) * 1000);
    }

    // ----------------------------------------------------------------------------- decoding

    /** Decodes a resolved chunk's values if they are still encoded. */
    void decode(int chunk) {
        UnitResult r;
        String worker;
        synchronized (this) {
            r = pending[chunk];
            worker = chunkWorker[chunk];
        }
        if (r == null) {
            return;
        }
        int base = chunkStart(chunk);
        int n = chunkEnd(chunk) - base;
        Object[] decoded = new Object[n];
        Throwable[] failures = new Throwable[n];
        try {
            Object[] raw = TaskCodec.decodeValues(r, loader, Limits.DEFAULT);
            if (raw.length != n) {
                throw new java.io.IOException("expected " + n + " values, got " + raw.length);
            }
            for (int i = 0; i < n; i++) {
                if (raw[i] instanceof RemoteFailure f) {
                    failures[i] = Failures.taskFailed(f, loader, worker);
                } else {
                    decoded[i] = raw[i];
                }
            }
        } catch (Exception | LinkageError e) {
            TaskFailedException f = new TaskFailedException("the result sent by worker " + worker
                    + " cannot be read here: " + e, e, worker);
            Arrays.fill(failures, f);
        }
        synchronized (this) {
            if (pending[chunk] == r) {
                pending[chunk] = null;
                for (int i = 0; i < n; i++) {
                    values[base + i] = decoded[i];
                    errors[base + i] = failures[i];
                }
            }
        }
    }

    void decodeAll() {
        for (int c = 0; c < chunks; c++) {
            decode(c);
        }
    }

    // ----------------------------------------------------------------------------- Future

    private synchronized void awaitComplete() throws InterruptedException {
        while (!complete) {
            wait();
        }
    }

    private synchronized boolean awaitComplete(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (!complete) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Waits until a chunk is resolved or the result is complete; false if cancelled. */
    synchronized boolean awaitChunk(int chunk) throws InterruptedException {
        chunkWaiters++;
        try {
            while (!chunkResolved[chunk] && !complete) {
                wait();
            }
        } finally {
            chunkWaiters--;
        }
        return chunkResolved[chunk];
    }

    /** Waits until more than {@code count} chunks are resolved; returns the chunk, or -1 if cancelled. */
    synchronized int awaitCompletion(int count) throws InterruptedException {
        chunkWaiters++;
        try {
            while (completionCount <= count && !complete) {
                wait();
            }
        } finally {
            chunkWaiters--;
        }
        return completionCount > count ? completionOrder[count] : -1;
    }

    synchronized boolean isCancelledNow() {
        return cancelled;
    }

    /** The value of a complete result. */
    V valueNow() throws ExecutionException {
        synchronized (this) {
            if (cancelled) {
                throw new CancellationException("the task was cancelled");
            }
        }
        decodeAll();
        synchronized (this) {
            return assemble();
        }
    }

    @Override
    public V get() throws InterruptedException, ExecutionException {
        awaitComplete();
        return valueNow();
    }

    @Override
    public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        if (!awaitComplete(unit.toNanos(timeout))) {
            throw new TimeoutException("the result was not ready within " + timeout + " " + unit.name().toLowerCase());
        }
        return valueNow();
    }

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        return awaitComplete(timeout.toNanos());
    }

    @Override
    public synchronized boolean ready() {
        return complete;
    }

    @Override
    public synchronized boolean isDone() {
        return complete;
    }

    @Override
    public synchronized boolean isCancelled() {
        return cancelled;
    }

    @Override
    public boolean successful() {
        synchronized (this) {
            if (!complete) {
                throw new IllegalStateException("the result is not ready");
            }
            if (cancelled) {
                return false;
            }
            if (failedCount > 0) {
                return false;
            }
        }
        decodeAll();
        synchronized (this) {
            for (Throwable t : errors) {
                if (t != null) {
                    return false;
                }
            }
            return true;
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        List<Runnable> actions;
        Canceller c;
        synchronized (this) {
            if (complete) {
                return false;
            }
            cancelled = true;
            c = canceller;
            actions = finish();
        }
        if (c != null) {
            c.cancel(mayInterruptIfRunning);
        }
        fire(actions);
        return true;
    }

    /** Runs an action on the callback thread once the result is complete (in any way). */
    void onComplete(Runnable action) {
        whenComplete(action);
    }

    private void whenComplete(Runnable action) {
        synchronized (this) {
            if (!complete) {
                if (completionActions == null) {
                    completionActions = new ArrayList<>(2);
                }
                completionActions.add(action);
                return;
            }
        }
        callbacks.execute(action);
    }

    @Override
    public CompletableFuture<V> toCompletableFuture() {
        CompletableFuture<V> cf;
        synchronized (this) {
            if (completable != null) {
                return completable;
            }
            cf = completable = new CompletableFuture<>();
        }
        whenComplete(() -> {
            try {
                cf.complete(valueNow());
            } catch (CancellationException e) {
                cf.cancel(false);
            } catch (ExecutionException | RuntimeException e) {
                cf.completeExceptionally(e);
            }
        });
        return cf;
    }

    @Override
    public AsyncResult<V> onSuccess(Consumer<? super V> action) {
        whenComplete(() -> {
            V v;
            try {
                v = valueNow();
            } catch (ExecutionException | RuntimeException e) {
                return;
            }
            try {
                action.accept(v);
            } catch (RuntimeException e) {
                e.printStackTrace();
            }
        });
        return this;
    }

    @Override
    public AsyncResult<V> onError(Consumer<? super Throwable> action) {
        whenComplete(() -> {
            Throwable failure = null;
            try {
                valueNow();
            } catch (ExecutionException | RuntimeException e) {
                failure = e;
            }
            if (failure != null) {
                try {
                    action.accept(failure);
                } catch (RuntimeException e) {
                    e.printStackTrace();
                }
            }
        });
        return this;
    }

    @Override
    public AsyncResult<V> onOutput(Consumer<? super OutputChunk> listener) {
        List<OutputChunk> earlier = new ArrayList<>(2);
        synchronized (this) {
            // Output that came before this listener is replayed under the worker that printed it last.
            String worker = workerId != null ? workerId : outputWorker;
            List<Consumer<? super OutputChunk>> list = outputListeners == null ? new ArrayList<>()
                    : new ArrayList<>(outputListeners);
            list.add(listener);
            outputListeners = List.copyOf(list);
            if (out.length() > 0) {
                earlier.add(new OutputChunk(worker, 0, OutputChunk.Stream.STDOUT, out.toString(), Instant.now()));
            }
            if (err.length() > 0) {
                earlier.add(new OutputChunk(worker, 0, OutputChunk.Stream.STDERR, err.toString(), Instant.now()));
            }
        }
        if (!earlier.isEmpty()) {
            callbacks.execute(() -> earlier.forEach(c -> deliver(List.of(listener), c)));
        }
        return this;
    }

    @Override
    public synchronized Optional<String> workerId() {
        return Optional.ofNullable(workerId);
    }

    @Override
    public Instant submitted() {
        return submitted;
    }

    @Override
    public synchronized Optional<Instant> started() {
        return Optional.ofNullable(started);
    }

    @Override
    public synchronized Optional<Instant> finished() {
        return Optional.ofNullable(finished);
    }

    @Override
    public synchronized String stdout() {
        return out.toString();
    }

    @Override
    public synchronized String stderr() {
        return err.toString();
    }

    // ----------------------------------------------------------------------------- progress

    synchronized int doneCount() {
        return doneCount;
    }

    synchronized int failedCount() {
        return failedCount;
    }

    synchronized int runningCount() {
        return runningCount;
    }

    synchronized int queuedCount() {
        if (cancelled) {
            return 0;
        }
        return Math.max(0, total - doneCount - failedCount - runningCount);
    }

    synchronized boolean chunkResolved(int chunk) {
        return chunkResolved[chunk];
    }

    /**
     * The state in words, for consoles and saved notebooks, e.g.
     * {@code MapResult: running, 12/20 done, 0 failed, 4 on workers, 4 queued, 3.1 s elapsed, ETA 2.0 s} or
     * {@code AsyncResult: done on w1 in 0.35 s}. Items "on workers" were sent to a worker and may be running or
     * waiting there.
     */
    @Override
    public String toString() {
        synchronized (this) {
            boolean map = this instanceof MapResult;
            Instant now = Instant.now();
            Instant from = started != null ? started : submitted;
            double seconds = java.time.Duration.between(from, complete && finished != null ? finished : now).toNanos() / 1e9;
            String state = cancelled ? "cancelled" : complete ? (failedCount > 0 ? "failed" : "done")
                    : dispatchedAny ? "running" : "queued";
            StringBuilder sb = new StringBuilder(map ? "MapResult: " : "AsyncResult: ").append(state);
            if (!map) {
                if (workerId != null && !cancelled) {
                    sb.append(" on ").append(workerId);
                }
                if (complete && !cancelled) {
                    sb.append(String.format(java.util.Locale.ROOT, " in %.2f s", seconds));
                } else if (!complete) {
                    sb.append(String.format(java.util.Locale.ROOT, ", %.1f s %s", seconds,
                            started != null ? "elapsed" : "since submit"));
                }
                return sb.toString();
            }
            sb.append(", ").append(doneCount).append('/').append(total).append(" done, ").append(failedCount).append(" failed");
            if (!complete) {
                sb.append(", ").append(runningCount).append(" on workers, ").append(queuedCount()).append(" queued");
                sb.append(String.format(java.util.Locale.ROOT, ", %.1f s elapsed", seconds));
                int finishedItems = doneCount + failedCount;
                if (finishedItems > 0 && started != null) {
                    double eta = seconds / finishedItems * (total - finishedItems);
                    sb.append(String.format(java.util.Locale.ROOT, ", ETA %.1f s", eta));
                }
            } else if (!cancelled) {
                sb.append(String.format(java.util.Locale.ROOT, ", in %.2f s", seconds));
            }
            return sb.toString();
        }
    }
}
