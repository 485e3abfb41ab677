package jpool.ipc;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import jpool.cluster.WorkerHandle;
import jpool.cluster.WorkerLauncher;

/**
 * Launches the one JVM of a {@link JProcess} as a local child process and hands its handle to the process
 * object (the handle gives the real exit code and the kill). The controller of a process launches once
 * ({@code replaceWorkers(false)}), so this launcher refuses a second launch.
 */
final class JProcessLauncher implements WorkerLauncher {

    private final CompletableFuture<WorkerHandle> handle = new CompletableFuture<>();

    @Override
    public synchronized WorkerHandle launch(Launch launch) throws IOException {
        if (handle.isDone()) {
            throw new IOException("a JProcess runs in one JVM; it is not started again");
        }
        try {
            WorkerHandle h = WorkerLauncher.local().launch(launch);
            handle.complete(h);
            return h;
        } catch (IOException | RuntimeException e) {
            handle.completeExceptionally(e);
            throw e;
        }
    }

    /** The launched child, once the launch was attempted (it is, by the time the controller has started). */
    CompletableFuture<WorkerHandle> handle() {
        return handle;
    }

    @Override
    public String name() {
        return "local";
    }
}
