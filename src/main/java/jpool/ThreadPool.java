package jpool;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import jpool.cluster.LibraryThreads;
import jpool.cluster.LocalHost;
import jpool.wire.Invocable;
import jpool.wire.RunningTask;

/** A pool running tasks on threads of this JVM (Python's multiprocessing.dummy). */
final class ThreadPool extends Pool {

    private static final AtomicLong POOLS = new AtomicLong();

    private final int threads;
    private final Job initializer;
    private final ThreadPoolExecutor executor;
    private final Executor callbacks = Callbacks.newExecutor();
    private final Set<BaseResult<?>> active = ConcurrentHashMap.newKeySet();
    private final AtomicInteger threadNumber = new AtomicInteger();
    private final AtomicLong chunksCompleted = new AtomicLong();
    /** Chunks running on a pool thread now (per-worker runs waiting for the other threads included). */
    private final AtomicInteger running = new AtomicInteger();
    private volatile Throwable initFailure;
    private volatile boolean shutdown;
    private final ThreadLocal<Integer> threadIndex = new ThreadLocal<>();
    private final AtomicLong nextJobId = new AtomicLong(1);

    ThreadPool(int threads, Job initializer) {
        this.threads = threads;
        this.initializer = initializer;
        long pool = POOLS.incrementAndGet();
        executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            int n = threadNumber.incrementAndGet();
            return LibraryThreads.newThread(() -> {
                // The thread's place in the pool (a thread only ever replaces one that died).
                threadIndex.set((n - 1) % threads);
                WorkerLocal.useThreadValues();
                RunningTask outer = RunningTask.enter(new RunningTask("t" + n, threadIndex.get(), 0, 1));
                try {
                    runInitializer();
                } finally {
                    RunningTask.leave(outer);
                }
                r.run();
            }, "jpool-" + pool + "-t" + n);
        });
        ThreadCapture.install();
    }

    private void runInitializer() {
        if (initializer == null) {
            return;
        }
        try {
            initializer.run();
        } catch (Throwable t) {
            initFailure = t;
        }
    }

    @Override
    void submit(Invocable function, Object userFunction, Object[] elements, BaseResult<?> result, boolean strict) {
        if (shutdown) {
            throw new IllegalStateException("the pool is shut down");
        }
        if (result.chunks == 0) {
            return;
        }
        active.add(result);
        long jobId = nextJobId.getAndIncrement();
        List<Future<?>> futures = new ArrayList<>(result.chunks);
        result.setCanceller(interrupt -> {
            for (Future<?> f : futures) {
                f.cancel(interrupt);
            }
            active.remove(result);
        });
        synchronized (futures) {
            try {
                for (int c = 0; c < result.chunks; c++) {
                    int chunk = c;
                    futures.add(executor.submit(() -> runChunk(function, elements, chunk, result, jobId)));
                }
            } catch (RejectedExecutionException e) {
                throw new IllegalStateException("the pool is shut down", e);
            }
        }
    }

    private void runChunk(Invocable function, Object[] elements, int chunk, BaseResult<?> result, long jobId) {
        try (Running counted = new Running()) {
            runChunkCounted(function, elements, chunk, result, jobId, counted);
        }
    }

    /** One unit's place in the {@code running} count, given back once: before its result is delivered. */
    private final class Running implements AutoCloseable {
        private boolean held = true;

        Running() {
            running.incrementAndGet();
        }

        void release() {
            if (held) {
                held = false;
                running.decrementAndGet();
            }
        }

        @Override
        public void close() {
            release();
        }
    }

    private void runChunkCounted(Invocable function, Object[] elements, int chunk, BaseResult<?> result,
            long jobId, Running counted) {
        String name = Thread.currentThread().getName();
        String wid = name.substring(name.lastIndexOf('-') + 1);
        Instant start = Instant.now();
        // PoolExecutorService.shutdownNow holds the result's lock to cancel a task that has not started
        synchronized (result) {
            if (result.isDone()) {
                return;
            }
            result.dispatched(chunk, wid);
            result.started(chunk, wid, start);
        }
        int base = result.chunkStart(chunk);
        int n = result.chunkEnd(chunk) - base;
        Object[] values = new Object[n];
        Throwable[] errors = new Throwable[n];
        ThreadCapture.begin((stream, text) -> result.output(chunk, wid, stream, text));
        RunningTask outer = RunningTask.enter(new RunningTask(wid, threadIndex.get(), jobId, 1));
        try {
            for (int i = 0; i < n; i++) {
                if (initFailure != null) {
                    errors[i] = new TaskFailedException("the pool initializer failed: " + initFailure, initFailure, wid);
                    continue;
                }
                try {
                    values[i] = function.invoke(elements[base + i]);
                } catch (Throwable t) {
                    errors[i] = Failures.taskFailed(t, wid);
                }
            }
        } finally {
            RunningTask.leave(outer);
            ThreadCapture.end();
            Thread.interrupted();
        }
        chunksCompleted.incrementAndGet();
        counted.release();
        result.completedValues(chunk, wid, values, errors, start);
        if (result.isDone()) {
            active.remove(result);
        }
    }

    /** Thread {@code t(i+1)} is the worker at index {@code i} (threads are never replaced). */
    @Override
    List<Place> places() {
        List<Place> list = new ArrayList<>();
        if (!shutdown) {
            for (int i = 0; i < threads; i++) {
                list.add(new Place("t" + (i + 1), i));
            }
        }
        return list;
    }

    /**
     * One copy per pool thread, each waiting at a {@link Gate} until every thread holds one, so the
     * copies are on distinct threads; then the copy on each target's thread runs the function.
     */
    @Override
    void submitEach(Invocable function, Object userFunction, List<Place> targets, BaseResult<?> result) {
        if (shutdown) {
            throw new IllegalStateException("the pool is shut down");
        }
        if (threadIndex.get() != null) {
            throw new IllegalStateException("a run on each thread of a thread pool cannot be started from a task of"
                    + " that pool: it needs every thread of the pool, this one included");
        }
        if (targets.isEmpty()) {
            return;
        }
        int[] chunkOfThread = new int[threads];
        java.util.Arrays.fill(chunkOfThread, -1);
        for (int i = 0; i < targets.size(); i++) {
            chunkOfThread[targets.get(i).index()] = i;
        }
        active.add(result);
        long jobId = nextJobId.getAndIncrement();
        Gate gate = new Gate(threads);
        Object[] elements = new Object[targets.size()];
        List<Future<?>> futures = new ArrayList<>(threads);
        result.setCanceller(interrupt -> {
            gate.open(false);
            synchronized (futures) {
                for (Future<?> f : futures) {
                    f.cancel(interrupt);
                }
            }
            active.remove(result);
        });
        synchronized (futures) {
            try {
                for (int c = 0; c < threads; c++) {
                    futures.add(executor.submit(() -> {
                        try (Running counted = new Running()) {
                            if (gate.arriveAndAwait()) {
                                int chunk = chunkOfThread[threadIndex.get()];
                                if (chunk >= 0) {
                                    runChunkCounted(function, elements, chunk, result, jobId, counted);
                                }
                            }
                        }
                    }));
                }
            } catch (RejectedExecutionException e) {
                gate.open(false);
                throw new IllegalStateException("the pool is shut down", e);
            }
        }
    }

    /** Holds the threads that arrive until {@code parties} have, or until it is opened as broken. */
    private static final class Gate {
        private int waiting;
        private Boolean passed; // null while closed

        Gate(int parties) {
            this.waiting = parties;
        }

        /** Whether every party arrived (false if the gate was broken or this thread interrupted). */
        synchronized boolean arriveAndAwait() {
            if (passed == null && --waiting == 0) {
                open(true);
            }
            try {
                while (passed == null) {
                    wait();
                }
            } catch (InterruptedException e) {
                open(false);
                return false;
            }
            return passed;
        }

        synchronized void open(boolean allArrived) {
            if (passed == null) {
                passed = allArrived;
                notifyAll();
            }
        }
    }

    @Override
    boolean remote() {
        return false;
    }

    @Override
    Executor callbackExecutor() {
        return callbacks;
    }

    @Override
    public int processes() {
        return threads;
    }

    /** Thread pools keep their size: their thread indexes and per-thread runs are built on it. */
    @Override
    public void resize(int processes) {
        throw new UnsupportedOperationException("a pool of threads keeps the size it was created with (" + threads
                + "); resize works on pools of worker JVMs. Start a new Pool.threads(" + processes + ") instead");
    }

    @Override
    public void shutdown() {
        shutdown = true;
        executor.shutdown();
    }

    @Override
    public void terminate() {
        shutdown = true;
        executor.shutdownNow();
        for (BaseResult<?> r : active) {
            r.cancelledByPool();
        }
        active.clear();
    }

    @Override
    public void join() throws InterruptedException {
        if (!shutdown) {
            throw new IllegalStateException("join() needs shutdown() or terminate() first");
        }
        executor.awaitTermination(Long.MAX_VALUE, TimeUnit.DAYS);
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return executor.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return executor.isTerminated();
    }

    private final java.time.Instant created = java.time.Instant.now();

    @Override
    public List<PoolWorker> workers() {
        List<PoolWorker> list = new ArrayList<>();
        long pid = ProcessHandle.current().pid();
        if (!executor.isTerminated()) {
            for (int i = 1; i <= threads; i++) {
                list.add(new PoolWorker("t" + i, pid, shutdown ? PoolWorker.State.STOPPING : PoolWorker.State.READY, 0,
                        i - 1, LocalHost.name(), "threads", 0, null, -1, -1, created, 0));
            }
        }
        return list;
    }

    @Override
    public PoolStats stats() {
        int queued = 0;
        for (Runnable r : executor.getQueue()) {
            if (!(r instanceof Future<?> f && f.isCancelled())) {
                queued++;
            }
        }
        return new PoolStats(0, 0, 0, 0, 0, 0, 0, 0, chunksCompleted.get(), queued, running.get());
    }

    @Override
    public String toString() {
        return "Pool[" + threads + " threads" + (shutdown ? ", shut down" : "") + "]";
    }
}
