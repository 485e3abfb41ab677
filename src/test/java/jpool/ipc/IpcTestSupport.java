package jpool.ipc;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jpool.PerWorkerResult;
import jpool.Pool;
import jpool.Task;
import jpool.WorkerTargets;

/** What the IPC tests share: a short owner-silence limit, in the test JVM and in its workers. */
final class IpcTestSupport {

    static final String SILENCE_MS = "4000";

    private IpcTestSupport() {
    }

    /** Sets the limits before this JVM's hub reads them (the first test class to run does). */
    static void limits() {
        if (System.getProperty("jpool-ipc.silenceMillis") == null) {
            System.setProperty("jpool-ipc.silenceMillis", SILENCE_MS);
        }
    }

    /** A pool of worker JVMs with the same limits. */
    static Pool pool(int n) {
        limits();
        return Pool.builder().processes(n).jvmOptions("-Djpool-ipc.silenceMillis=" + SILENCE_MS).start();
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
