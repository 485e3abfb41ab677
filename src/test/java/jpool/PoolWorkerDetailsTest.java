package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What {@link Pool#workers()} tells of each worker JVM: host, failures, the running task, heap, uptime, restarts. */
@ExtendWith(NoWorkersLeft.class)
@Timeout(90)
class PoolWorkerDetailsTest {

    private static PoolWorker only(Pool pool) {
        assertEquals(1, pool.workers().size(), pool.workers().toString());
        return pool.workers().get(0);
    }

    @Test
    void aWorkerReportsWhereItRunsWhatItRunsAndHowItFares(@TempDir Path dir) throws Exception {
        Path go = dir.resolve("go");
        String gate = go.toString();
        Instant before = Instant.now();
        try (Pool pool = Pool.create(1)) {
            FaultsTest.awaitFullSize(pool, 1);
            PoolWorker w = only(pool);
            assertFalse(w.host().isEmpty(), "the hello names the host: " + w);
            assertFalse(w.launchedAt().isBefore(before.minusSeconds(1)), w.toString());
            assertTrue(w.uptime(Instant.now()).compareTo(Duration.ZERO) >= 0);
            assertEquals(0, w.restarts());
            assertEquals(null, w.runningSince(), "idle");

            assertThrows(ExecutionException.class, () -> pool.applyAsync(() -> 1 / 0).get());
            assertEquals(2, pool.map((Integer x) -> x + 1, java.util.List.of(1)).get(0));
            w = only(pool);
            assertEquals(2, w.tasksDone(), w.toString());
            assertEquals(1, w.tasksFailed(), w.toString());

            StatusTest.await(() -> only(pool).heapMax() > 0, Duration.ofSeconds(20), "a heartbeat says the heap");
            w = only(pool);
            assertTrue(w.heapUsed() > 0 && w.heapUsed() <= w.heapMax(), w.toString());

            AsyncResult<Long> running = pool.applyAsync(() -> {
                while (!Files.exists(Path.of(gate))) {
                    Thread.sleep(5); // the task waits for the test to let it finish
                }
                return ProcessHandle.current().pid();
            });
            StatusTest.await(() -> only(pool).runningSince() != null, Duration.ofSeconds(20),
                    "the running task shows; have " + pool.workers());
            assertTrue(Duration.between(only(pool).runningSince(), Instant.now()).toMillis() >= 0);
            Files.writeString(go, "");
            long pid = running.get();
            StatusTest.await(() -> only(pool).runningSince() == null, Duration.ofSeconds(20), "idle again");

            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            StatusTest.await(() -> pool.workers().size() == 1 && only(pool).pid() != pid
                    && only(pool).state() == PoolWorker.State.READY, Duration.ofSeconds(30),
                    "a replacement is ready; have " + pool.workers());
            w = only(pool);
            assertEquals(1, w.restarts(), "the replacement took the killed worker's place: " + w);
            assertEquals(0, w.tasksDone());
            assertNotNull(w.launchedAt());
        }
    }
}
