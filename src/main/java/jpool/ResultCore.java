package jpool;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import jpool.wire.UnitResult;

/**
 * The state machine of a result and the events that drive it: a job of {@code total} input elements split
 * into chunks of {@code chunkSize}. Pools report per-chunk events (on the controller's I/O thread, or on a
 * thread pool's task threads); {@link #moveTo} is the one place the state changes, and only along the
 * transitions of {@link Progress.State}. {@link BaseResult} adds what callers ask of a result.
 *
 * <p>One lock, this object's monitor, guards the result and all its parts: the {@link ChunkLedger} (where
 * each chunk is, the counts), the {@link ElementStore} (values and failures), the {@link OutputLog}, the
 * {@link CompletionHooks} and the {@link ProgressFeed}. Every event changes them together under the lock,
 * so a {@link Progress} snapshot taken under it is consistent. Callbacks and listeners never run under it.
 * Once the state is final, events are ignored: nothing changes any more.
 *
 * @param <V> the result type
 */
abstract class ResultCore<V> implements AsyncResult<V> {

    /** Cancels the job in the pool. */
    interface Canceller {
        void cancel(boolean interrupt);
    }

    final ClassLoader loader;
    final int total;
    final int chunkSize;
    final int chunks;
    private final ChunkLedger ledger;
    private final OutputLog output;
    final CompletionHooks<V> hooks;
    private final ProgressFeed feed;
    /** Values and failures by input index; guarded by this. */
    final ElementStore elements;

    // guarded by this
    private Progress.State state = Progress.State.QUEUED;
    private int chunkWaiters; // threads waiting for single chunks (imap iterators), not for completion
    private final ResultTimes times = new ResultTimes();
    private final UnitTimeline timeline = new UnitTimeline();
    private Canceller canceller;

    ResultCore(Executor callbacks, ClassLoader loader, int total, int chunkSize) {
        this.loader = loader;
        this.ledger = new ChunkLedger(total, chunkSize);
        this.total = total;
        this.chunkSize = ledger.chunkSize;
        this.chunks = ledger.chunks;
        this.elements = new ElementStore(total, chunks);
        this.output = new OutputLog(callbacks, CallScope.current()); // the submitter's scope
        this.hooks = new CompletionHooks<>(this, callbacks);
        this.feed = new ProgressFeed(this, callbacks, this::snapshotLocked);
        if (chunks == 0) {
            state = Progress.State.DONE;
            times.finish(times.submitted);
            hooks.takeActions();
        }
    }

    /** The value of a complete result (see {@link BaseResult}). */
    abstract V valueNow() throws java.util.concurrent.ExecutionException;

    ClassLoader loaderForFailures() {
        return loader;
    }

    synchronized void setCanceller(Canceller c) {
        this.canceller = c;
    }

    int chunkStart(int chunk) {
        return ledger.start(chunk);
    }

    int chunkEnd(int chunk) {
        return ledger.end(chunk);
    }

    int chunkOf(int index) {
        return ledger.chunkOf(index);
    }

    // ----------------------------------------------------------------------------- events from pools

    /** A chunk was handed to a worker (again, after a steal or for a retry). */
    synchronized void dispatched(int chunk, String worker) {
        if (state.isFinal() || !ledger.send(chunk, worker)) {
            return;
        }
        timeline.dispatched(chunk, worker, UnitTimeline.micros(Instant.now()));
        if (state == Progress.State.QUEUED) {
            moveTo(Progress.State.RUNNING);
        } else {
            feed.changed();
        }
    }

    /** A chunk is running on a worker since {@code start}. */
    synchronized void started(int chunk, String worker, Instant start) {
        if (state.isFinal() || ledger.resolved(chunk)) {
            return; // a late report: the chunk's result is in
        }
        times.note(worker, start);
        if (start != null) {
            timeline.started(chunk, worker, UnitTimeline.micros(start), chunkEnd(chunk) - chunkStart(chunk));
        }
    }

    /** A chunk is running on a worker since {@code startedMicros} (microseconds since the epoch). */
    void started(int chunk, String worker, long startedMicros) {
        started(chunk, worker, ResultTimes.ofMicros(startedMicros));
    }

    /** Whether any part of the job was handed to a worker. */
    synchronized boolean dispatchedAny() {
        return ledger.sentAny();
    }

    synchronized void output(int chunk, String worker, OutputChunk.Stream stream, String text) {
        if (!state.isFinal()) {
            output.append(worker, chunkStart(chunk), stream, text);
        }
    }

    void output(int chunk, String worker, int stream, byte[] utf8) {
        output(chunk, worker, stream == jpool.wire.OutputPiece.STDERR ? OutputChunk.Stream.STDERR
                : OutputChunk.Stream.STDOUT, new String(utf8, StandardCharsets.UTF_8));
    }

    /** A chunk finished on a worker; its values stay encoded until asked for. */
    void completed(int chunk, String worker, UnitResult result) {
        List<Runnable> actions;
        synchronized (this) {
            if (state.isFinal() || ledger.resolved(chunk)) {
                return;
            }
            int base = chunkStart(chunk);
            elements.putEncoded(chunk, base, chunkEnd(chunk) - base, worker, result);
            ledger.resolve(chunk, worker, result.errorIndices().length);
            times.note(worker, ResultTimes.ofMicros(result.startedMicros()));
            long end = result.finishedMicros() > 0 ? result.finishedMicros() : UnitTimeline.micros(Instant.now());
            timeline.finished(chunk, worker, result.startedMicros(), end, chunkEnd(chunk) - base,
                    result.errorIndices().length > 0 ? Timeline.Outcome.FAILED : Timeline.Outcome.DONE);
            actions = afterResolve();
        }
        hooks.run(actions);
    }

    /** A chunk finished in-process with decoded values and failures. */
    void completedValues(int chunk, String worker, Object[] chunkValues, Throwable[] chunkErrors, Instant start) {
        List<Runnable> actions;
        synchronized (this) {
            if (state.isFinal() || ledger.resolved(chunk)) {
                return;
            }
            int failures = elements.putDecoded(chunkStart(chunk), chunkValues, chunkErrors);
            ledger.resolve(chunk, worker, failures);
            times.note(worker, start);
            timeline.finished(chunk, worker, start == null ? 0 : UnitTimeline.micros(start),
                    UnitTimeline.micros(Instant.now()), chunkEnd(chunk) - chunkStart(chunk),
                    failures > 0 ? Timeline.Outcome.FAILED : Timeline.Outcome.DONE);
            actions = afterResolve();
        }
        hooks.run(actions);
    }

    /** Every element of a chunk failed with the same exception. */
    void failed(int chunk, Throwable failure) {
        List<Runnable> actions;
        synchronized (this) {
            if (state.isFinal() || ledger.resolved(chunk)) {
                return;
            }
            elements.failAll(chunkStart(chunk), chunkEnd(chunk), failure);
            String worker = failure instanceof TaskFailedException t ? t.workerId() : null;
            ledger.resolve(chunk, worker, chunkEnd(chunk) - chunkStart(chunk));
            timeline.failed(chunk, UnitTimeline.micros(Instant.now()));
            actions = afterResolve();
        }
        hooks.run(actions);
    }

    /** Completes the whole result as cancelled without telling the pool (e.g. the pool terminated). */
    void cancelledByPool() {
        cancel(false, false);
    }

    /**
     * Completes the result as cancelled, and tells the pool if {@code tellPool}.
     *
     * @return false if the result was complete already
     */
    boolean cancel(boolean tellPool, boolean interrupt) {
        return cancelFrom(tellPool, interrupt) != null;
    }

    /** Like {@link #cancel(boolean, boolean)}; returns the progress just before, or null if complete already. */
    private Progress cancelFrom(boolean tellPool, boolean interrupt) {
        List<Runnable> actions;
        Canceller c;
        Progress before;
        synchronized (this) {
            if (state.isFinal()) {
                return null;
            }
            before = snapshotLocked();
            ledger.cancelUnresolved();
            timeline.cancelAll(UnitTimeline.micros(Instant.now()));
            c = tellPool ? canceller : null;
            actions = moveTo(Progress.State.CANCELLED);
        }
        if (c != null) {
            c.cancel(interrupt);
        }
        hooks.run(actions);
        return before;
    }

    /**
     * Cancels the job, interrupting its running tasks, because the thread waiting for it was interrupted.
     *
     * @param call what was waited for, e.g. {@code pool.map}
     * @return what was cancelled, in words ({@code cancelled 18 tasks of pool.map (2 were running)}), or
     *     null if the result was complete already
     */
    String cancelOnInterrupt(String call) {
        Progress before = cancelFrom(true, true);
        if (before == null) {
            return null;
        }
        return describeCancel(call, before.queued() + before.running(), before.running());
    }

    /**
     * Registers a wait by the calling thread with its {@link CallScope}, if it has one ({@link CallScope#onWait}),
     * so that an interrupt of the scope cancels this result and the host may show its progress meanwhile; close the registration when the wait ends by itself (not when it ends
     * by an interrupt). Returns a registration that does nothing when there is no scope.
     *
     * @param call what is waited for, for the report, e.g. {@code pool.map}
     */
    CallScope.Registration waitInScope(String call) {
        CallScope scope = CallScope.current();
        if (scope == null || state().isFinal()) {
            return () -> { };
        }
        return scope.onWait(this, call, () -> cancelForScope(scope, call));
    }

    /** Cancels on an interrupt and tells {@code scope} (if not null) what that cancelled; returns that, or null. */
    String cancelForScope(CallScope scope, String call) {
        String what = cancelOnInterrupt(call);
        if (what != null && scope != null) {
            scope.cancelled(what);
        }
        return what;
    }

    /** {@code cancelled 18 tasks of pool.map (2 were running)}, with the singular and zero cases. */
    static String describeCancel(String call, int tasks, int running) {
        String what = tasks == 1 ? "1 task" : tasks + " tasks";
        String ran;
        if (tasks == 1) {
            ran = running == 1 ? "it was running" : "it was queued";
        } else {
            ran = running == 0 ? "none was running" : running == 1 ? "1 was running" : running + " were running";
        }
        return "cancelled " + what + " of " + call + " (" + ran + ")";
    }

    /** After a chunk was resolved: the final transition, or a wake-up for imap iterators. */
    private List<Runnable> afterResolve() {
        if (ledger.allResolved()) {
            return moveTo(ledger.failed() > 0 ? Progress.State.FAILED : Progress.State.DONE);
        }
        if (chunkWaiters > 0) {
            notifyAll(); // otherwise a thread in get() would wake for every chunk of a map
        }
        feed.changed();
        return null;
    }

    /**
     * The one place the state changes. Call with the lock held.
     *
     * @return for a final state, the completion actions to hand to {@link CompletionHooks#run} after unlocking
     * @throws IllegalStateException if {@link Progress.State} has no such transition (a bug here)
     */
    private List<Runnable> moveTo(Progress.State next) {
        if (!state.canBecome(next)) {
            throw new IllegalStateException("a result cannot go from " + state + " to " + next);
        }
        state = next;
        feed.changed();
        if (!next.isFinal()) {
            return null;
        }
        times.finish(Instant.now());
        notifyAll();
        return hooks.takeActions();
    }

    // ----------------------------------------------------------------------------- waiting and reading

    /** The state now; a change to a final state notifies every thread waiting on this monitor. */
    synchronized Progress.State state() {
        return state;
    }

    /** Waits until a chunk is resolved or the result is complete; false if cancelled. */
    synchronized boolean awaitChunk(int chunk) throws InterruptedException {
        chunkWaiters++;
        try {
            while (!ledger.resolved(chunk) && !state.isFinal()) {
                wait();
            }
        } finally {
            chunkWaiters--;
        }
        return ledger.resolved(chunk);
    }

    /** Waits until more than {@code count} chunks are resolved; returns the chunk, or -1 if cancelled. */
    synchronized int awaitCompletion(int count) throws InterruptedException {
        chunkWaiters++;
        try {
            while (ledger.completedChunks() <= count && !state.isFinal()) {
                wait();
            }
        } finally {
            chunkWaiters--;
        }
        return ledger.completedChunks() > count ? ledger.completedChunk(count) : -1;
    }

    synchronized boolean chunkResolved(int chunk) {
        return ledger.resolved(chunk);
    }

    @Override
    public synchronized Progress progress() {
        return snapshotLocked();
    }

    @Override
    public synchronized Timeline timeline() {
        Instant finished = times.finished();
        return timeline.snapshot(UnitTimeline.micros(Instant.now()), finished == null ? 0 : UnitTimeline.micros(finished));
    }

    @Override
    public Subscription onProgress(Consumer<? super Progress> listener) {
        return feed.subscribe(listener);
    }

    /** The snapshot of this moment; call with the lock held. */
    private Progress snapshotLocked() {
        return ledger.snapshot(state, times.elapsed());
    }

    @Override
    public synchronized AsyncResult<V> onOutput(Consumer<? super OutputChunk> listener) {
        // Output that came before this listener is replayed under the worker that printed it last.
        output.addListener(listener, times.worker());
        return this;
    }

    @Override
    public synchronized Optional<String> workerId() {
        return Optional.ofNullable(times.worker());
    }

    @Override
    public Instant submitted() {
        return times.submitted;
    }

    @Override
    public synchronized Optional<Instant> started() {
        return Optional.ofNullable(times.started());
    }

    @Override
    public synchronized Optional<Instant> finished() {
        return Optional.ofNullable(times.finished());
    }

    @Override
    public synchronized List<RecentOutput> recentOutput() {
        return output.recent();
    }

    @Override
    public synchronized String stdout() {
        return output.stdout();
    }

    @Override
    public synchronized String stderr() {
        return output.stderr();
    }

    /** The state in words (see {@link ResultText#describe}), made from one {@link #progress()} snapshot. */
    @Override
    public String toString() {
        Progress p;
        String worker;
        boolean hasStarted;
        synchronized (this) {
            p = snapshotLocked();
            worker = times.worker();
            hasStarted = times.started() != null;
        }
        return ResultText.describe(this instanceof MapResult, p, worker, hasStarted);
    }
}
