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
        result.completedValues(chunk, wid, values, errors, start);
        if (result.isDone()) {
            active.remove(result);
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

    @Override
    public List<PoolWorker> workers() {
        List<PoolWorker> list = new ArrayList<>();
        long pid = ProcessHandle.current().pid();
        if (!executor.isTerminated()) {
            for (int i = 1; i <= threads; i++) {
                list.add(new PoolWorker("t" + i, pid, shutdown ? PoolWorker.State.STOPPING : PoolWorker.State.READY, 0));
            }
        }
        return list;
    }

    @Override
    public PoolStats stats() {
        return new PoolStats(0, 0, 0, 0, 0, 0, 0, 0, chunksCompleted.get());
    }

    @Override
    public String toString() {
        return "Pool[" + threads + " threads" + (shutdown ? ", shut down" : "") + "]";
    }
}
