package jpool.ipc;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jpool.PerWorkerResult;
import jpool.Pool;
import jpool.Task;
import jpool.WorkerTargets;

/**
 * What the IPC tests share. They run with jpool's default limits: an owner that exits is noticed by
 * its pid within a heartbeat, so no test needs a short silence limit (which a loaded machine can
 * trip: a JVM that stalls for a few seconds is not lost).
 */
final class IpcTestSupport {

    private IpcTestSupport() {
    }

    /** A pool of worker JVMs; with -Djpool-ipc.trace=true on this JVM, its workers trace too. */
    static Pool pool(int n) {
        Pool.Builder b = Pool.builder().processes(n);
        if (Hub.TRACE) {
            b.jvmOptions("-Djpool-ipc.trace=true");
        }
        return b.start();
    }

    /**
     * Ends a test class's pool. A test that failed may leave a task waiting in get() or recv() for
     * something that never comes; close() alone would wait for it forever, so after a grace period
     * the pool is terminated and the class fails with what happened.
     */
    static void stop(Pool pool) throws InterruptedException {
        if (pool == null) {
            return;
        }
        pool.shutdown();
        if (!pool.awaitTermination(Duration.ofSeconds(30))) {
            pool.terminate();
            throw new AssertionError("a task was still running 30 s after the last test (left waiting by a"
                    + " failed test?); the pool was terminated");
        }
    }

    /**
     * Runs a task on the worker of the given index. Tests that run two waiting tasks at once pin them,
     * so that the pool never queues one behind the other on the same worker.
     */
    static <R> Pinned<R> on(Pool pool, int index, Task<R> task) {
        return new Pinned<>(pool.onEachWorkerAsync(WorkerTargets.indexes(index), task));
    }

    /** A task pinned to one worker. */
    record Pinned<R>(PerWorkerResult<R> result) {
        R get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            return result.get(timeout, unit).values().iterator().next();
        }
    }
}
