package jpool;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Shared implementation of results: what callers ask of a result ({@link AsyncResult}), over the state
 * machine and events of {@link ResultCore}. Values that arrived as bytes are decoded here, lazily, by the
 * thread that asks for them (never by the controller's I/O thread), outside the result's lock.
 *
 * @param <V> the result type
 */
abstract class BaseResult<V> extends ResultCore<V> implements AsyncResult<V> {

    BaseResult(Executor callbacks, ClassLoader loader, int total, int chunkSize) {
        super(callbacks, loader, total, chunkSize);
    }

    /** Builds the value from the decoded elements, or throws the failure. Called with all decoded, locked. */
    abstract V assemble() throws ExecutionException;

    // ----------------------------------------------------------------------------- decoding

    /** Decodes a resolved chunk's values if they are still encoded (without holding the lock meanwhile). */
    void decode(int chunk) {
        ElementStore.Encoded e;
        synchronized (this) {
            e = elements.encoded(chunk);
        }
        if (e == null) {
            return;
        }
        ElementStore.Decoded d = e.decode(loader);
        synchronized (this) {
            elements.install(e, d);
        }
    }

    void decodeAll() {
        for (int c = 0; c < chunks; c++) {
            decode(c);
        }
    }

    // ----------------------------------------------------------------------------- Future

    /** Waits at most {@code nanos} (forever if negative) until the state is final; whether it is. */
    private synchronized boolean awaitFinal(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (!state().isFinal()) {
            if (nanos < 0) {
                wait();
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /**
     * Waits like {@link #awaitFinal(long)} and registers the wait with the calling thread's {@link CallScope}
     * meanwhile, so that an interrupt of the scope cancels this result (see {@link #waitInScope}).
     *
     * @param owned whether the caller holds the only reference to this result (a blocking pool call): then
     *     an interrupt of the waiting thread cancels the result too, and the {@link InterruptedException}
     *     says what it cancelled
     */
    private boolean awaitFinal(long nanos, String call, boolean owned) throws InterruptedException {
        if (nanos == 0) {
            return awaitFinal(0); // a look, not a wait (a display reading a finished result's value, say)
        }
        CallScope.Registration registration = waitInScope(call);
        boolean finished;
        try {
            finished = awaitFinal(nanos);
        } catch (InterruptedException e) {
            if (!owned) {
                throw e;
            }
            String what = cancelForScope(CallScope.current(), call);
            InterruptedException told = new InterruptedException("interrupted while waiting for " + call
                    + (what == null ? "" : "; " + what));
            told.addSuppressed(e);
            throw told;
        }
        // left in place when the wait ended by an interrupt or a stop: the scope still cancels this result then
        registration.close();
        return finished;
    }

    /** What {@link #get()} names in a report of what an interrupt cancelled. */
    private String awaited() {
        return this instanceof MapResult ? "the awaited map" : "the awaited task";
    }

    /**
     * The value, for a blocking pool call ({@code pool.map}, {@code pool.apply}, ...) whose caller holds the
     * only reference to this result: an interrupt of the waiting thread cancels the call's tasks (queued ones
     * dropped, running ones interrupted) before {@link InterruptedException} is thrown.
     *
     * @param call the pool call, e.g. {@code pool.map}
     */
    V getOwned(String call) throws InterruptedException, ExecutionException {
        awaitFinal(-1, call, true);
        return valueNow();
    }

    /** The value of a complete result. */
    @Override
    V valueNow() throws ExecutionException {
        if (state() == Progress.State.CANCELLED) {
            Progress p = progress();
            throw new CancellationException((this instanceof MapResult ? "the map" : "the task") + " was cancelled"
                    + (p.total() > 1 ? " (" + p.cancelled() + " of its " + p.total() + " tasks had not finished)" : "")
                    + "; its queued tasks were dropped and its running ones interrupted");
        }
        decodeAll();
        synchronized (this) {
            return assemble();
        }
    }

    @Override
    public V get() throws InterruptedException, ExecutionException {
        awaitFinal(-1, awaited(), false);
        return valueNow();
    }

    @Override
    public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        if (!awaitFinal(Math.max(0, unit.toNanos(timeout)), awaited(), false)) {
            throw new TimeoutException("the result was not ready within " + timeout + " " + unit.name().toLowerCase());
        }
        return valueNow();
    }

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        return awaitFinal(Math.max(0, timeout.toNanos()), awaited(), false);
    }

    @Override
    public boolean ready() {
        return state().isFinal();
    }

    @Override
    public boolean isDone() {
        return state().isFinal();
    }

    @Override
    public boolean isCancelled() {
        return state() == Progress.State.CANCELLED;
    }

    @Override
    public boolean successful() {
        Progress.State s = state();
        if (!s.isFinal()) {
            throw new IllegalStateException("the result is not ready");
        }
        if (s != Progress.State.DONE) {
            return false;
        }
        decodeAll();
        synchronized (this) {
            return elements.firstError() < 0;
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return cancel(true, mayInterruptIfRunning);
    }

    // ----------------------------------------------------------------------------- callbacks

    /** Runs an action on the callback thread once the result is complete (in any way). */
    void onComplete(Runnable action) {
        hooks.whenComplete(action);
    }

    @Override
    public CompletableFuture<V> toCompletableFuture() {
        return hooks.toCompletableFuture();
    }

    @Override
    public AsyncResult<V> onSuccess(Consumer<? super V> action) {
        hooks.onSuccess(action);
        return this;
    }

    @Override
    public AsyncResult<V> onError(Consumer<? super Throwable> action) {
        hooks.onError(action);
        return this;
    }
}
