package jpool;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The pending result of work submitted to a {@link Pool}; Python's {@code AsyncResult} as a
 * {@link Future}.
 *
 * <p>A result completes exactly once: with a value, with a failure ({@link TaskFailedException} or its
 * subclass {@link WorkerLostException}), or by cancellation. Afterwards {@link #ready()} and
 * {@link #isDone()} are true and never change. Callbacks registered with {@link #onSuccess},
 * {@link #onError}, {@link #onOutput} and {@link #onProgress} run in the submitting JVM on the pool's
 * callback thread, one at a time, never on the thread that performs socket I/O; a callback registered
 * after completion still runs (once). {@link #progress()} says how far the work has come; the states it
 * goes through are those of {@link Progress.State}. All methods are thread-safe.
 *
 * @param <T> the result type
 */
public interface AsyncResult<T> extends Future<T> {

    /**
     * Waits for the result.
     *
     * @throws TaskFailedException if the task threw (the cause is the task's exception)
     * @throws WorkerLostException if its worker died
     * @throws CancellationException if it was cancelled or the pool terminated
     * @throws InterruptedException if the waiting thread was interrupted
     */
    @Override
    T get() throws InterruptedException, ExecutionException;

    /**
     * Waits at most the given time for the result.
     *
     * @throws TimeoutException if the result is not ready in time (the task keeps running)
     * @see #get()
     */
    @Override
    T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException;

    /**
     * Waits at most the given time for the result.
     *
     * @throws TimeoutException if the result is not ready in time (the task keeps running)
     * @see #get()
     */
    default T get(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        return get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Waits until the result is ready or the time has passed (Python's {@code wait}).
     *
     * @return whether the result is ready
     */
    boolean await(Duration timeout) throws InterruptedException;

    /** Whether the result is ready (completed in any way). Same as {@link #isDone()}. */
    boolean ready();

    /**
     * Whether the task completed with a value.
     *
     * @throws IllegalStateException if the result is not ready yet
     */
    boolean successful();

    /**
     * Cancels the task: if it is still queued it never runs; if it runs and {@code mayInterruptIfRunning},
     * its thread is interrupted, and a worker whose task does not stop within the pool's grace period is
     * killed and replaced. After a {@code true} return, {@link #get()} throws {@link CancellationException}.
     *
     * @return false if the result was already complete
     */
    @Override
    boolean cancel(boolean mayInterruptIfRunning);

    /**
     * A {@link CompletableFuture} completed with this result (on the callback thread). Completing or
     * cancelling the returned future does not affect the task.
     */
    CompletableFuture<T> toCompletableFuture();

    /**
     * Runs an action with the value when the task succeeds.
     *
     * @return this result
     */
    AsyncResult<T> onSuccess(Consumer<? super T> action);

    /**
     * Runs an action with the failure ({@link TaskFailedException}, {@link WorkerLostException} or
     * {@link CancellationException}) when the task does not succeed.
     *
     * @return this result
     */
    AsyncResult<T> onError(Consumer<? super Throwable> action);

    /**
     * Receives the task's output while it runs, in order; output printed before registration is
     * delivered first (from {@link #stdout()} and {@link #stderr()}, as one chunk each). All of a
     * task's output reaches the listener before {@link #onSuccess} or {@link #onError} actions run,
     * but possibly after {@link #get()} has returned.
     *
     * @return this result
     */
    AsyncResult<T> onOutput(Consumer<? super OutputChunk> listener);

    /**
     * The id of the worker that runs or ran the task, once known: as soon as the task has started on a
     * thread pool; on worker JVMs once it has run for about a millisecond (a worker reports tasks still
     * running by then) or has finished. For a map: the worker that last started or finished a chunk, and
     * once the map is complete, the one that finished the last chunk.
     */
    Optional<String> workerId();

    /** When the work was submitted. */
    Instant submitted();

    /**
     * When a worker started the work (the earliest start of a chunk, for a map), known as soon as
     * {@link #workerId()} is.
     */
    Optional<Instant> started();

    /** When the work completed, if it has. */
    Optional<Instant> finished();

    /**
     * The last lines the work printed, per worker and stream, the least recently printed first: at most
     * {@link RecentOutput#LINES} lines of each, with the count of the lines before them, for the
     * {@link RecentOutput#STREAMS} worker and stream pairs that printed most recently. What a display shows
     * of the output of tasks that go on printing after the code that submitted them has moved on; for all
     * of it, {@link #stdout()} and {@link #stderr()}.
     */
    List<RecentOutput> recentOutput();

    /** Everything the task printed to {@code System.out} so far. */
    String stdout();

    /** Everything the task printed to {@code System.err} so far. */
    String stderr();

    /**
     * A snapshot of the result's progress now: its state and element counts, all from one moment (see
     * {@link Progress}). Cheap enough to call many times a second.
     */
    Progress progress();

    /**
     * A snapshot of where and when the work ran so far: per worker, the spans of time its units ran, how
     * each ended, and the idle time between them (see {@link Timeline}, which also says how its memory stays
     * bounded for maps of any size). Taken under the same lock as {@link #progress()}, and as cheap.
     */
    Timeline timeline();

    /**
     * Receives a {@link Progress} snapshot whenever the result's state or counts change, on the pool's
     * callback thread (as other callbacks, never on the thread that performs socket I/O), one call at a time
     * and in the order the snapshots were taken.
     *
     * <p>The listener first receives the current snapshot, even if the result is finished already. Changes
     * that happen while a delivery is pending or under way are coalesced: the listener then receives one
     * newer snapshot, not one per change, so a slow listener slows nothing but itself. The final snapshot
     * ({@link Progress#finished()} true) is always delivered, exactly once, and is the last one. Listeners
     * that throw have the exception printed and stay subscribed. A listener that wants to poll at its own
     * pace (a display updated ten times a second) may as well call {@link #progress()} instead.
     *
     * @return the registration; {@link Subscription#cancel() cancel} it to stop the deliveries
     */
    Subscription onProgress(Consumer<? super Progress> listener);
}
