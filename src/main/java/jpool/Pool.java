package jpool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import jpool.cluster.ClusterConfig;
import jpool.wire.Invocable;

/**
 * A pool of workers running tasks: Python's {@code multiprocessing.Pool} for Java.
 *
 * <p>{@link #create(int)} and {@link #builder()} make a pool of worker JVMs: separate processes started
 * with this JVM's class path and connected over ZeroMQ. Task functions, arguments and results are
 * copied by Java serialization, so they must be serializable; a task that crashes, exhausts its heap,
 * calls {@code System.exit} or never returns takes down one worker, which the pool replaces.
 * {@link #threads(int)} makes a pool with the same API on threads of this JVM, for IO-bound work (like
 * Python's {@code multiprocessing.dummy}); there nothing is serialized or copied.
 *
 * <p>Methods correspond to Python's: {@code apply}, {@code applyAsync}, {@code map}, {@code mapAsync},
 * {@code starmap}, {@code starmapAsync}, {@code imap}, {@code imapUnordered}; {@link #shutdown()} is
 * Python's {@code close()}, then {@link #join()}, or {@link #terminate()}; {@link #close()} (for
 * try-with-resources) is shutdown plus join. Map forms keep input order and split their input into
 * chunks: when no chunk size is given, map and starmap choose {@code ceil(n / (4 * processes))} as
 * multiprocessing does, imap and imapUnordered use 1. Input iterables are consumed at submit.
 *
 * <p>Submitting after {@link #shutdown()} or {@link #terminate()} throws {@link IllegalStateException}.
 * All methods are thread-safe.
 */
public abstract class Pool implements AutoCloseable {

    Pool() {
    }

    // ------------------------------------------------------------------------------- construction

    /**
     * A pool of {@code processes} worker JVMs with default settings; returns once one of them has
     * connected (see {@link Builder#start()}).
     *
     * @throws PoolStartException if no worker JVM can start
     */
    public static Pool create(int processes) {
        return builder().processes(processes).start();
    }

    /**
     * A pool with one worker JVM per available processor; returns once one of them has connected (see
     * {@link Builder#start()}).
     *
     * @throws PoolStartException if no worker JVM can start
     */
    public static Pool create() {
        return builder().start();
    }

    /** A builder for a pool of worker JVMs (or of threads, see {@link Builder#threads()}). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A pool running tasks on {@code threads} threads of this JVM. Functions and values are not
     * serialized. The per-task timeout, retries, maxTasksPerChild and JVM options do not apply.
     */
    public static Pool threads(int threads) {
        return builder().processes(threads).threads().start();
    }

    /**
     * Settings of a new pool; {@link #start()} creates it. Defaults are given on each method. Each setter
     * checks its value at once and throws {@link IllegalArgumentException} naming the setting and the
     * value it refuses, or {@link NullPointerException} for null; the checks are those of the worker
     * JVMs' controller, written once for both kinds of pool.
     */
    public static final class Builder {
        /** Everything but the initializer, which is serialized only when a pool of worker JVMs starts. */
        final ClusterConfig.Builder config = ClusterConfig.builder();
        Job initializer;
        boolean threads;

        Builder() {
        }

        /** Number of workers (default: available processors); at least 1. */
        public Builder processes(int n) {
            config.processes(n);
            return this;
        }

        /**
         * A job run once in each worker before its first task. If it throws, the pool stops: every
         * queued and later task fails with a {@link TaskFailedException} whose cause is the
         * initializer's exception (it is not retried).
         *
         * <p>What the initializer stores in static fields is the worker's, for its later tasks. In a
         * notebook the initializer may be written in cells: it is shipped like a task, with the
         * values of the cell variables it reads as they are when the pool starts, and the cell
         * classes and variables it reaches are the worker's globals, shared by every task on that
         * worker, instead of being copied with each task. A task reading one of them sees the
         * worker's value, not the kernel's (the pool warns when the kernel's value has changed since
         * the pool started).
         */
        public Builder initializer(Job initializer) {
            this.initializer = initializer;
            return this;
        }

        /** Task chunks a worker JVM runs before it is replaced by a fresh one (default 0: unlimited). */
        public Builder maxTasksPerChild(int k) {
            config.maxTasksPerChild(k);
            return this;
        }

        /** Extra options for worker JVMs, e.g. {@code -Xmx2g} (they override the defaults). */
        public Builder jvmOptions(String... options) {
            return jvmOptions(List.of(options));
        }

        /** Extra options for worker JVMs. */
        public Builder jvmOptions(List<String> options) {
            config.jvmOptions(options);
            return this;
        }

        /**
         * How many times a task whose worker died is re-run on another worker before it fails with
         * {@link WorkerLostException} (default 0).
         */
        public Builder retries(int r) {
            config.retries(r);
            return this;
        }

        /**
         * Longest time a task chunk may run; the worker running a chunk that takes longer is killed and
         * replaced, and the chunk fails with a {@link TaskFailedException} caused by a
         * {@link java.util.concurrent.TimeoutException} (default {@link Duration#ZERO}: no limit). The
         * limit is kept to the millisecond, rounded up: a positive timeout below 1 ms is 1 ms, not "no
         * limit".
         */
        public Builder taskTimeout(Duration timeout) {
            config.taskTimeout(timeout);
            return this;
        }

        /**
         * How long a cancelled, interrupted task may take to stop before its worker is killed (default
         * 2 s; zero: killed as soon as the pool notices).
         */
        public Builder cancelGrace(Duration grace) {
            config.cancelGrace(grace);
            return this;
        }

        /** Run tasks on threads of this JVM instead of worker JVMs. */
        public Builder threads() {
            this.threads = true;
            return this;
        }

        /**
         * Starts the pool. For worker JVMs this launches them all and returns as soon as the first has
         * connected (typically a few hundred milliseconds); the others keep starting and the initializer,
         * if any, runs on each after it connected (its failure is reported through tasks, see
         * {@link #initializer}). Why the first and not all: one connected worker proves that the command
         * line, class path and JVM options work, and the first task can run on it at once, while waiting
         * for all would add the slowest JVM's start to every pool start.
         *
         * <p>It fails instead when the pool gives up on starting workers: three workers in a row exited
         * before connecting (an unknown JVM option, a heap too small to start, ...), a worker process
         * cannot be launched at all, or no worker connected within 60 s. Every worker process launched
         * has exited by the time the exception is thrown.
         *
         * @throws PoolStartException if no worker JVM can start; the message includes the workers' last
         *     output (e.g. the JVM's {@code Too small maximum heap})
         * @throws NotSerializableTaskException if the initializer cannot be serialized
         * @throws IllegalArgumentException for a threads pool with process-only settings
         * @throws java.io.UncheckedIOException if the controller socket cannot be opened
         */
        public Pool start() {
            ClusterConfig settings = config.build();
            if (threads) {
                if (settings.maxTasksPerChild() != 0 || !settings.jvmOptions().isEmpty() || settings.retries() != 0
                        || !settings.taskTimeout().isZero()) {
                    throw new IllegalArgumentException(
                            "maxTasksPerChild, jvmOptions, retries and taskTimeout apply to worker JVMs only");
                }
                return new ThreadPool(settings.processes(), initializer);
            }
            return new ProcessPool(settings, initializer);
        }
    }

    // ------------------------------------------------------------------------------- the core

    /**
     * Submits one job.
     *
     * @param function the adapter to run
     * @param userFunction the user's function (its class loader reads results)
     * @param elements the input elements (null entries allowed)
     * @param result receives the job's events
     * @param strict whether a non-serializable argument throws here instead of failing its element
     */
    abstract void submit(Invocable function, Object userFunction, Object[] elements, BaseResult<?> result,
            boolean strict);

    /** Whether this pool runs tasks in worker JVMs (so they must be serializable). */
    abstract boolean remote();

    abstract java.util.concurrent.Executor callbackExecutor();

    static ClassLoader loaderOf(Object userFunction) {
        ClassLoader l = userFunction == null ? null : userFunction.getClass().getClassLoader();
        if (l == null) {
            l = Thread.currentThread().getContextClassLoader();
        }
        return l != null ? l : Pool.class.getClassLoader();
    }

    <R> SingleResult<R> submitOne(Invocable function, Object userFunction, Object argument) {
        SingleResult<R> result = new SingleResult<>(callbackExecutor(), loaderOf(userFunction));
        submit(function, userFunction, new Object[] {argument}, result, true);
        return result;
    }

    <R> MapResultImpl<R> submitMany(Invocable function, Object userFunction, Object[] elements, int chunksize) {
        MapResultImpl<R> result = new MapResultImpl<>(callbackExecutor(), loaderOf(userFunction), elements.length,
                chunksize);
        submit(function, userFunction, elements, result, false);
        return result;
    }

    /** multiprocessing's automatic chunk size: ceil(n / (4 * processes)). */
    int autoChunksize(int n) {
        if (n == 0) {
            return 1;
        }
        int workers4 = processes() * 4;
        int chunk = n / workers4;
        if (n % workers4 != 0) {
            chunk++;
        }
        return Math.max(1, chunk);
    }

    private static void checkChunksize(int chunksize) {
        if (chunksize < 1) {
            throw new IllegalArgumentException("chunksize must be at least 1, got " + chunksize);
        }
    }

    private static Object[] toArray(Iterable<?> items) {
        if (items instanceof java.util.Collection<?> c) {
            return c.toArray();
        }
        List<Object> list = new ArrayList<>();
        for (Object o : items) {
            list.add(o);
        }
        return list.toArray();
    }

    private static Object[] pairs(Iterable<? extends Map.Entry<?, ?>> items) {
        List<Object> list = new ArrayList<>();
        for (Map.Entry<?, ?> e : items) {
            list.add(new Object[] {e.getKey(), e.getValue()});
        }
        return list.toArray();
    }

    private static <V> AsyncResult<V> withCallbacks(AsyncResult<V> r, Consumer<? super V> callback,
            Consumer<? super Throwable> errorCallback) {
        if (callback != null) {
            r.onSuccess(callback);
        }
        if (errorCallback != null) {
            r.onError(errorCallback);
        }
        return r;
    }

    /**
     * The wait of a blocking call: its result is the caller's alone, so an interrupt of the waiting thread
     * cancels the call's tasks (see {@link BaseResult#getOwned}).
     */
    private static <V> V waitFor(AsyncResult<V> result, String call) throws InterruptedException, ExecutionException {
        return ((BaseResult<V>) result).getOwned(call);
    }

    // ------------------------------------------------------------------------------- apply

    /**
     * Runs a task and waits for its result.
     *
     * @throws TaskFailedException if the task threw (cause: its exception) or timed out
     * @throws WorkerLostException if its worker died
     * @throws InterruptedException if the waiting thread was interrupted: the task is then cancelled
     *     ({@code cancel(true)}: dropped if queued, interrupted if running, its worker replaced if it does not
     *     stop within the cancel grace), and the exception's message says so
     * @throws NotSerializableTaskException if the task cannot be serialized (worker JVMs only)
     */
    public <R> R apply(Task<R> task) throws InterruptedException, ExecutionException {
        return waitFor(applyAsync(task), "pool.apply");
    }

    /**
     * Runs {@code fn(arg)} and waits for the result.
     *
     * @see #apply(Task)
     */
    public <T, R> R apply(Fn<? super T, ? extends R> fn, T arg) throws InterruptedException, ExecutionException {
        return waitFor(applyAsync(fn, arg), "pool.apply");
    }

    /**
     * Runs {@code fn(a, b)} and waits for the result.
     *
     * @see #apply(Task)
     */
    public <A, B, R> R apply(Fn2<? super A, ? super B, ? extends R> fn, A a, B b)
            throws InterruptedException, ExecutionException {
        return waitFor(applyAsync(fn, a, b), "pool.apply");
    }

    /**
     * Submits a task.
     *
     * @throws NotSerializableTaskException if the task cannot be serialized (worker JVMs only); the
     *     message says what to write instead
     * @throws IllegalStateException if the pool was shut down or is broken
     */
    public <R> AsyncResult<R> applyAsync(Task<R> task) {
        return submitOne(new Invokers.OfTask(task), task, null);
    }

    /**
     * Submits a task with callbacks, run on the pool's callback thread: {@code callback} with the value
     * on success, {@code errorCallback} with the failure otherwise (either may be null).
     *
     * @see #applyAsync(Task)
     */
    public <R> AsyncResult<R> applyAsync(Task<R> task, Consumer<? super R> callback,
            Consumer<? super Throwable> errorCallback) {
        return withCallbacks(applyAsync(task), callback, errorCallback);
    }

    /**
     * Submits a job without result.
     *
     * @see #applyAsync(Task)
     */
    public AsyncResult<Void> applyAsync(Job job) {
        return submitOne(new Invokers.OfJob(job), job, null);
    }

    /**
     * Submits {@code fn(arg)}.
     *
     * @throws NotSerializableTaskException if the function or argument cannot be serialized
     * @see #applyAsync(Task)
     */
    public <T, R> AsyncResult<R> applyAsync(Fn<? super T, ? extends R> fn, T arg) {
        return submitOne(new Invokers.OfFn(fn), fn, arg);
    }

    /**
     * Submits {@code fn(arg)} with callbacks.
     *
     * @see #applyAsync(Task, Consumer, Consumer)
     */
    public <T, R> AsyncResult<R> applyAsync(Fn<? super T, ? extends R> fn, T arg, Consumer<? super R> callback,
            Consumer<? super Throwable> errorCallback) {
        return withCallbacks(applyAsync(fn, arg), callback, errorCallback);
    }

    /**
     * Submits {@code fn(a, b)}.
     *
     * @see #applyAsync(Task)
     */
    public <A, B, R> AsyncResult<R> applyAsync(Fn2<? super A, ? super B, ? extends R> fn, A a, B b) {
        return submitOne(new Invokers.OfFn2(fn), fn, new Object[] {a, b});
    }

    // ------------------------------------------------------------------------------- map

    /**
     * Applies {@code fn} to every item and waits for the results, in input order, with an automatic
     * chunk size.
     *
     * @throws TaskFailedException for the lowest-index failed item (see {@link MapResult#failures()})
     * @throws InterruptedException if the waiting thread was interrupted: the map's unfinished tasks are then
     *     cancelled as by {@code cancel(true)} (see {@link #apply(Task)}), and the message says how many
     * @throws NotSerializableTaskException if the function cannot be serialized; an item that cannot be
     *     serialized fails that item only
     */
    public <T, R> List<R> map(Fn<? super T, ? extends R> fn, Iterable<? extends T> items)
            throws InterruptedException, ExecutionException {
        return waitFor(this.<T, R>mapAsync(fn, items), "pool.map");
    }

    /**
     * Like {@link #map(Fn, Iterable)} with {@code chunksize} items per chunk.
     */
    public <T, R> List<R> map(Fn<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize)
            throws InterruptedException, ExecutionException {
        return waitFor(this.<T, R>mapAsync(fn, items, chunksize), "pool.map");
    }

    /** Submits a map with an automatic chunk size. */
    public <T, R> MapResult<R> mapAsync(Fn<? super T, ? extends R> fn, Iterable<? extends T> items) {
        Object[] elements = toArray(items);
        return submitMany(new Invokers.OfFn(fn), fn, elements, autoChunksize(elements.length));
    }

    /** Submits a map with {@code chunksize} items per chunk. */
    public <T, R> MapResult<R> mapAsync(Fn<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize) {
        checkChunksize(chunksize);
        return submitMany(new Invokers.OfFn(fn), fn, toArray(items), chunksize);
    }

    /**
     * Submits a map with callbacks on the whole list (see {@link #applyAsync(Task, Consumer, Consumer)});
     * {@code chunksize} 0 means automatic.
     */
    public <T, R> MapResult<R> mapAsync(Fn<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize,
            Consumer<? super List<R>> callback, Consumer<? super Throwable> errorCallback) {
        MapResult<R> r = chunksize == 0 ? this.<T, R>mapAsync(fn, items) : this.<T, R>mapAsync(fn, items, chunksize);
        withCallbacks(r, callback, errorCallback);
        return r;
    }

    /**
     * Applies a two-argument function to every pair (Python's {@code starmap}) and waits, with an
     * automatic chunk size. Pairs are given as map entries, e.g. {@code Map.entry(a, b)}.
     */
    public <A, B, R> List<R> starmap(Fn2<? super A, ? super B, ? extends R> fn,
            Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs) throws InterruptedException, ExecutionException {
        return waitFor(this.<A, B, R>starmapAsync(fn, pairs), "pool.starmap");
    }

    /** Like {@link #starmap(Fn2, Iterable)} with {@code chunksize} pairs per chunk. */
    public <A, B, R> List<R> starmap(Fn2<? super A, ? super B, ? extends R> fn,
            Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs, int chunksize)
            throws InterruptedException, ExecutionException {
        return waitFor(this.<A, B, R>starmapAsync(fn, pairs, chunksize), "pool.starmap");
    }

    /** Submits a starmap with an automatic chunk size. */
    public <A, B, R> MapResult<R> starmapAsync(Fn2<? super A, ? super B, ? extends R> fn,
            Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs) {
        Object[] elements = pairs(pairs);
        return submitMany(new Invokers.OfFn2(fn), fn, elements, autoChunksize(elements.length));
    }

    /** Submits a starmap with {@code chunksize} pairs per chunk. */
    public <A, B, R> MapResult<R> starmapAsync(Fn2<? super A, ? super B, ? extends R> fn,
            Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs, int chunksize) {
        checkChunksize(chunksize);
        return submitMany(new Invokers.OfFn2(fn), fn, pairs(pairs), chunksize);
    }

    /**
     * Applies {@code fn} to every item, yielding results in input order as they arrive (chunk size 1).
     * The result is an iterator that a for-each loop can also walk once: {@code next()} blocks; a failed
     * item makes {@code next()} throw a {@link java.util.concurrent.CompletionException} whose cause is its
     * {@link TaskFailedException}, after which iteration may continue.
     */
    public <T, R> ResultIterator<R> imap(Fn<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return imap(fn, items, 1);
    }

    /** Like {@link #imap(Fn, Iterable)} with {@code chunksize} items per chunk. */
    public <T, R> ResultIterator<R> imap(Fn<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize) {
        checkChunksize(chunksize);
        MapResultImpl<R> r = submitMany(new Invokers.OfFn(fn), fn, toArray(items), chunksize);
        return new MapResultIterator<>(r, true);
    }

    /** Like {@link #imap(Fn, Iterable)} but yields results in completion order. */
    public <T, R> ResultIterator<R> imapUnordered(Fn<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return imapUnordered(fn, items, 1);
    }

    /** Like {@link #imapUnordered(Fn, Iterable)} with {@code chunksize} items per chunk. */
    public <T, R> ResultIterator<R> imapUnordered(Fn<? super T, ? extends R> fn, Iterable<? extends T> items,
            int chunksize) {
        checkChunksize(chunksize);
        MapResultImpl<R> r = submitMany(new Invokers.OfFn(fn), fn, toArray(items), chunksize);
        return new MapResultIterator<>(r, false);
    }

    // ------------------------------------------------------------------------------- each worker

    /**
     * A worker a per-worker run can go to.
     *
     * @param id its id, as {@link TaskContext#workerId()} says on it
     * @param index its place in the pool, as {@link TaskContext#workerIndex()} says on it
     */
    record Place(String id, int index) {
    }

    /** The workers that take tasks now, by index (ties by id). */
    abstract List<Place> places();

    /**
     * Submits one run of {@code function} (with a null argument) on each of {@code targets}; the run on
     * {@code targets.get(i)} is chunk {@code i} of {@code result}.
     */
    abstract void submitEach(Invocable function, Object userFunction, List<Place> targets, BaseResult<?> result);

    /**
     * Runs {@code task} once on every worker and waits for all of them: one value per worker, keyed by
     * worker id, in the order of the workers' indexes. See {@link #onEachWorkerAsync(WorkerTargets, Task)}
     * for which workers, and how each run is placed.
     *
     * @throws TaskFailedException for the failed worker with the lowest index (the others' outcomes are in
     *     {@link PerWorkerResult#failures()} of {@link #onEachWorkerAsync(Task)})
     * @throws WorkerLostException if that worker died before or while running the task
     * @throws NotSerializableTaskException if the task cannot be serialized (worker JVMs only)
     * @throws IllegalStateException if the pool was shut down or is broken, or (thread pools) if called
     *     from a task of this pool
     */
    public <R> Map<String, R> onEachWorker(Task<R> task) throws InterruptedException, ExecutionException {
        return onEachWorkerAsync(WorkerTargets.all(), task).get();
    }

    /**
     * Runs {@code task} once on each selected worker and waits for all of them.
     *
     * @throws IllegalArgumentException if {@code targets} names a worker the pool does not have now; the
     *     message names it and the pool's workers
     * @see #onEachWorker(Task)
     * @see #onEachWorkerAsync(WorkerTargets, Task)
     */
    public <R> Map<String, R> onEachWorker(WorkerTargets targets, Task<R> task)
            throws InterruptedException, ExecutionException {
        return onEachWorkerAsync(targets, task).get();
    }

    /**
     * Submits {@code task} once for every worker.
     *
     * @see #onEachWorkerAsync(WorkerTargets, Task)
     */
    public <R> PerWorkerResult<R> onEachWorkerAsync(Task<R> task) {
        return onEachWorkerAsync(WorkerTargets.all(), task);
    }

    /**
     * Submits {@code task} once for each selected worker and returns at once.
     *
     * <p><b>Which workers.</b> The workers of the pool at the moment of the call that take tasks: running
     * or still starting (a run for a starting worker waits for it), not those retiring after
     * {@link Builder#maxTasksPerChild} or stopping; {@link PerWorkerResult#workerIds()} lists them. A
     * worker started later, a replacement included, does not get the run. Selecting by index names the
     * worker at that place now, a replacement if its predecessor was replaced.
     *
     * <p><b>Placement.</b> Each run is pinned to its worker: it waits in that worker's own queue behind the
     * work that worker already holds, and ahead of work any worker may take; it is never stolen, moved or
     * retried elsewhere. A worker that dies (or stops) before or while it runs the task gives its entry a
     * {@link WorkerLostException}; the others are unaffected. Each run counts as one task of its worker
     * for {@link Builder#maxTasksPerChild}, and the pool's task timeout applies to it.
     *
     * <p><b>Thread pools.</b> On a {@link #threads(int)} pool each pool thread is a worker ({@code t1},
     * {@code t2}, ..., index 0 to {@code threads - 1}). A thread pool has one queue and cannot send work
     * to a given thread, so to reach each selected thread exactly once the run takes every thread of the
     * pool: it queues one place per thread, a thread that takes one waits until every thread has taken
     * one, and then the selected threads run the task while the others go back to work. The run thus
     * starts only once each thread has finished what it took before, and threads that took their place
     * early sit idle until then. It cannot be called from a task of the same pool (that would wait for
     * its own thread): {@link IllegalStateException}.
     *
     * @param targets the workers, e.g. {@link WorkerTargets#all()} or {@link WorkerTargets#indexes(int...)}
     * @throws IllegalArgumentException if {@code targets} names a worker the pool does not have now, or
     *     one that is retiring or stopping; the message names it and the workers the pool has
     * @throws NotSerializableTaskException if the task cannot be serialized (worker JVMs only)
     * @throws IllegalStateException if the pool was shut down or is broken, or (thread pools) if called
     *     from a task of this pool
     */
    public <R> PerWorkerResult<R> onEachWorkerAsync(WorkerTargets targets, Task<R> task) {
        java.util.Objects.requireNonNull(targets, "targets");
        java.util.Objects.requireNonNull(task, "task");
        if (isShutdown()) {
            throw new IllegalStateException("the pool is shut down");
        }
        List<Place> chosen = targets.resolve(places());
        List<String> ids = new ArrayList<>();
        for (Place p : chosen) {
            ids.add(p.id());
        }
        PerWorkerResultImpl<R> result = new PerWorkerResultImpl<>(callbackExecutor(), loaderOf(task), ids);
        submitEach(new Invokers.OfTask(task), task, chosen, result);
        return result;
    }

    // ------------------------------------------------------------------------------- lifecycle

    /** Number of workers the pool keeps running (the last size given to {@link #resize}, if any). */
    public abstract int processes();

    /**
     * Changes the number of worker JVMs the pool keeps running, and returns at once; the pool gets to the
     * new size in the background, and {@link #processes()} says the new size from now on. Calls take
     * effect in the order they are made.
     *
     * <p><b>Growing</b> launches the missing workers now. Each takes the lowest index no other worker has
     * ({@link TaskContext#workerIndex()}), and takes queued tasks as soon as it is ready, as a worker of
     * the original pool would (the pool's initializer runs on it first).
     *
     * <p><b>Shrinking</b> retires the surplus workers, none of which is replaced: first those still
     * starting or running the initializer (stopped at once; they hold no task), then idle ones, then busy
     * ones, each group from the highest index down. A retiring worker takes no new tasks and shows as
     * {@link PoolWorker.State#RETIRING}; the tasks it was sent but has not started go back to the front of
     * the queue and run on the other workers; the task it is running finishes there, with its result,
     * output and callbacks as usual; then it exits. Shrinking thus never cancels, fails or repeats a task,
     * and waits for none: a retiring worker leaves {@link #workers()} when its last task is done. The one
     * exception is a run placed on that very worker by {@link #onEachWorkerAsync(WorkerTargets, Task)}
     * that it had not started: it fails with {@link WorkerLostException}, as when such a worker retires
     * after {@link Builder#maxTasksPerChild}. The workers kept keep their indexes, so after shrinking the
     * indexes in use need not be 0 to {@code processes - 1}. Growing again does not take back a worker
     * that is retiring; it launches new ones.
     *
     * <p>Pools of threads ({@link #threads(int)}) keep their size: they throw
     * {@link UnsupportedOperationException}.
     *
     * @param processes the new number of workers, at least 1
     * @throws IllegalArgumentException if {@code processes} is below 1
     * @throws IllegalStateException if the pool was shut down or terminated, or is broken
     * @throws UnsupportedOperationException for a pool of threads
     */
    public abstract void resize(int processes);

    /**
     * Stops accepting tasks (Python's {@code close()}); submitted tasks still run, then the workers
     * exit. Idempotent.
     */
    public abstract void shutdown();

    /**
     * Stops at once: workers are killed (threads interrupted), unfinished tasks are cancelled.
     * Idempotent.
     */
    public abstract void terminate();

    /**
     * Waits until all workers have exited.
     *
     * @throws IllegalStateException if neither {@link #shutdown()} nor {@link #terminate()} was called
     */
    public abstract void join() throws InterruptedException;

    /**
     * Waits at most {@code timeout} for the workers to exit after shutdown or terminate.
     *
     * @return whether the pool has terminated
     */
    public abstract boolean awaitTermination(Duration timeout) throws InterruptedException;

    /** Whether {@link #shutdown()} or {@link #terminate()} was called. */
    public abstract boolean isShutdown();

    /** Whether the pool has stopped and all its workers have exited. */
    public abstract boolean isTerminated();

    /** Shuts down and waits for all tasks to finish and all workers to exit ({@link #shutdown()} + {@link #join()}). */
    @Override
    public void close() {
        shutdown();
        try {
            join();
        } catch (InterruptedException e) {
            terminate();
            Thread.currentThread().interrupt();
        }
    }

    /** A snapshot of the workers. */
    public abstract List<PoolWorker> workers();

    /** Counters, including dropped protocol messages, and the units queued and running now. */
    public abstract PoolStats stats();

    /**
     * This pool as an {@link ExecutorService}. For worker JVMs, {@code submit}, {@code execute},
     * {@code invokeAll} and {@code invokeAny} accept only tasks that are themselves
     * {@link java.io.Serializable} (for lambdas: cast to {@code Callable & Serializable}, or use
     * {@link Task}); others are rejected with a {@link java.util.concurrent.RejectedExecutionException}
     * whose cause explains why. {@code shutdownNow} does not wait: it cancels and returns the tasks
     * that no worker had started (as far as the pool knows, see {@link AsyncResult#started()}) and
     * terminates the pool, which stops the running ones. Futures returned are {@link AsyncResult}s.
     */
    public ExecutorService asExecutorService() {
        return new PoolExecutorService(this);
    }
}
