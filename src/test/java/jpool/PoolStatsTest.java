package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The live counts of queued and running units in {@link Pool#stats()}. */
@ExtendWith(NoWorkersLeft.class)
@Timeout(90)
class PoolStatsTest {

    static String counts(Pool pool) {
        PoolStats s = pool.stats();
        return "queued " + s.queued() + ", running " + s.running();
    }

    @Test
    void workerJvmsCountUnitsQueuedInTheControllerAndHeldByWorkers(@TempDir Path dir) throws Exception {
        Path go = dir.resolve("go");
        String gate = go.toString();
        try (Pool pool = Pool.create(1)) {
            FaultsTest.awaitFullSize(pool, 1);
            assertEquals("queued 0, running 0", counts(pool));
            MapResult<Integer> r = pool.mapAsync(x -> {
                while (!Files.exists(Path.of(gate))) {
                    Thread.sleep(5); // the task waits for the test to let it finish
                }
                return x;
            }, List.of(1, 2, 3, 4, 5), 1);
            // A fresh worker holds two units (its prefetch before a first result); three wait in the controller.
            StatusTest.await(() -> counts(pool).equals("queued 3, running 2"), Duration.ofSeconds(20),
                    "queued 3, running 2; have " + counts(pool));
            Files.writeString(go, "");
            assertEquals(List.of(1, 2, 3, 4, 5), r.get());
            assertEquals("queued 0, running 0", counts(pool), "counted before the last result was delivered");
        }
    }

    @Test
    void aThreadPoolCountsTasksWaitingForAThreadAndRunningOnOne() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(2);
        try (Pool pool = Pool.threads(2)) {
            assertEquals("queued 0, running 0", counts(pool));
            MapResult<Integer> r = pool.mapAsync(x -> {
                started.countDown();
                release.await();
                return x;
            }, List.of(1, 2, 3, 4, 5), 1);
            started.await();
            assertEquals("queued 3, running 2", counts(pool));
            AsyncResult<Integer> cancelled = pool.applyAsync(() -> 0);
            assertEquals("queued 4, running 2", counts(pool));
            cancelled.cancel(false);
            assertEquals("queued 3, running 2", counts(pool), "a cancelled task is not queued");
            release.countDown();
            assertEquals(List.of(1, 2, 3, 4, 5), r.get());
            assertEquals("queued 0, running 0", counts(pool), "counted before the last result was delivered");
        }
    }
}
