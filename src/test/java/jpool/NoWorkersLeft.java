package jpool;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that leaves worker JVMs running: after all its tests, every descendant process
 * running {@code jpool.worker.WorkerMain} must be gone within 15 s (leftovers are killed).
 */
public final class NoWorkersLeft implements AfterAllCallback {

    /** Live descendant worker processes of this JVM. */
    public static List<ProcessHandle> liveWorkers() {
        return ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains("jpool.worker.WorkerMain")).orElse(false))
                .filter(p -> !Procs.isZombie(p.pid()))
                .collect(Collectors.toList());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        List<ProcessHandle> left = liveWorkers();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            left = liveWorkers();
        }
        if (!left.isEmpty()) {
            String pids = left.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(", "));
            left.forEach(ProcessHandle::destroyForcibly);
            throw new AssertionError(context.getDisplayName() + " left worker processes running: " + pids);
        }
    }
}
