package jpool;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import jpool.wire.Invocable;

/**
 * The {@link ExecutorService} view of a pool; see {@link Pool#asExecutorService()}.
 *
 * <p>A task has <em>commenced</em> once the pool knows that a worker started it: its result has a
 * {@linkplain AsyncResult#started() start time} or is complete. {@link #shutdownNow()} returns the
 * tasks submitted here that had not commenced, after cancelling their futures, and does not wait.
 */
final class PoolExecutorService implements ExecutorService {

    private final Pool pool;
    /** Unfinished tasks submitted through this view, with what {@link #shutdownNow()} returns for each. */
    private final Map<BaseResult<?>, Runnable> pending = new ConcurrentHashMap<>();
    /**
     * Submission holds it shared, shutdownNow exclusively: so a submission is either in {@link #pending}
     * when shutdownNow looks, or it starts after the pool was terminated and is rejected.
     */
    private final ReadWriteLock submitLock = new ReentrantReadWriteLock();

    PoolExecutorService(Pool pool) {
        this.pool = pool;
    }

    private <T> AsyncResult<T> start(Invocable invocable, Object task, Runnable original) {
        if (task == null) {
            throw new NullPointerException("task");
        }
        if (pool.remote() && !(task instanceof Serializable)) {
            throw new RejectedExecutionException("cannot run " + task.getClass().getName()
                    + " on a worker JVM: it is not Serializable",
                    new NotSerializableTaskException("submit a jpool.Task (a Serializable Callable), or cast the"
                            + " lambda: (Callable<T> & Serializable) () -> ..., and capture only Serializable values;"
                            + " or use Pool.threads(n) for tasks that must stay in this JVM"));
        }
        SingleResult<T> result;
        submitLock.readLock().lock();
        try {
            result = pool.submitOne(invocable, task, null);
            pending.put(result, original);
        } catch (NotSerializableTaskException e) {
            throw new RejectedExecutionException(e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new RejectedExecutionException("the pool is shut down", e);
        } finally {
            submitLock.readLock().unlock();
        }
        result.onComplete(() -> pending.remove(result));
        return result;
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        return start(new Invokers.OfCallable(task), task, () -> {
            try {
                task.call();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        return start(new Invokers.OfRunnable(task, result), task, task);
    }

    @Override
    public Future<?> submit(Runnable task) {
        return start(new Invokers.OfRunnable(task, null), task, task);
    }

    @Override
    public void execute(Runnable command) {
        start(new Invokers.OfRunnable(command, null), command, command).onError(e -> {
            if (!(e instanceof CancellationException)) {
                System.err.println("jpool: task submitted with execute() failed: " + e);
                if (e.getCause() != null) {
                    e.getCause().printStackTrace();
                }
            }
        });
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> t : tasks) {
                futures.add(submit(t));
            }
            for (Future<T> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException | CancellationException e) {
                    // reported through the future
                }
            }
            return futures;
        } catch (InterruptedException | RuntimeException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> t : tasks) {
                futures.add(submit(t));
            }
            for (Future<T> f : futures) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    f.get(left, TimeUnit.NANOSECONDS);
                } catch (ExecutionException | CancellationException e) {
                    // reported through the future
                } catch (TimeoutException e) {
                    break;
                }
            }
            for (Future<T> f : futures) {
                if (!f.isDone()) {
                    f.cancel(true);
                }
            }
            return futures;
        } catch (InterruptedException | RuntimeException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return any(tasks, Long.MAX_VALUE);
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return any(tasks, System.nanoTime() + unit.toNanos(timeout));
    }

    private <T> T any(Collection<? extends Callable<T>> tasks, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("no tasks");
        }
        LinkedBlockingQueue<AsyncResult<T>> completed = new LinkedBlockingQueue<>();
        List<AsyncResult<T>> futures = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> t : tasks) {
                @SuppressWarnings("unchecked")
                SingleResult<T> r = (SingleResult<T>) (AsyncResult<T>) submit(t);
                futures.add(r);
                r.onComplete(() -> completed.add(r));
            }
            ExecutionException last = null;
            for (int i = 0; i < futures.size(); i++) {
                AsyncResult<T> r;
                if (deadline == Long.MAX_VALUE) {
                    r = completed.take();
                } else {
                    r = completed.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                    if (r == null) {
                        throw new TimeoutException("no task completed in time");
                    }
                }
                try {
                    return r.get();
                } catch (ExecutionException e) {
                    last = e;
                } catch (CancellationException e) {
                    last = new ExecutionException(e);
                }
            }
            throw last;
        } finally {
            for (AsyncResult<T> f : futures) {
                f.cancel(true);
            }
        }
    }

    @Override
    public void shutdown() {
        pool.shutdown();
    }

    /**
     * Terminates the pool without waiting: every task submitted here that has not commenced (see the
     * class documentation) has its future cancelled and is returned; running tasks are stopped as by
     * {@link Pool#terminate()} (threads are interrupted, worker JVMs killed) and their futures cancelled.
     * Later submissions are rejected; {@link #awaitTermination} waits for the workers to be gone.
     *
     * <p>The pool hears that a worker started a task when it has run for about a millisecond (or has
     * finished), so a task that a worker began just before this call may be among those returned; its
     * future is cancelled all the same, and its worker is stopped with the others.
     */
    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> neverCommenced = new ArrayList<>();
        submitLock.writeLock().lock();
        try {
            for (Map.Entry<BaseResult<?>, Runnable> e : pending.entrySet()) {
                BaseResult<?> r = e.getKey();
                // the same lock as ThreadPool's start of a chunk: a task on threads commences or is returned
                synchronized (r) {
                    if (r.started().isEmpty() && r.cancel(false)) {
                        neverCommenced.add(e.getValue());
                    }
                }
            }
            pool.terminate();
            pending.clear();
        } finally {
            submitLock.writeLock().unlock();
        }
        return neverCommenced;
    }

    @Override
    public boolean isShutdown() {
        return pool.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return pool.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return pool.awaitTermination(java.time.Duration.ofNanos(unit.toNanos(timeout)));
    }
}
