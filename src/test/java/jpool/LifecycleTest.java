package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Initializer, recycling, shutdown, join and terminate. */
@ExtendWith(NoWorkersLeft.class)
@Timeout(120)
class LifecycleTest {

    static volatile String initialized = "no";

    static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    @Test
    void closeRunsEveryQueuedTaskEvenWhenWorkersRetireAfterEachTask() throws Exception {
        MapResult<Long> r;
        try (Pool pool = Pool.builder().processes(1).maxTasksPerChild(1).start()) {
            r = pool.mapAsync((Integer i) -> ProcessHandle.current().pid(), List.of(1, 2, 3, 4), 1);
        } // close: shutdown with four tasks queued for a pool whose one worker retires after each
        List<Long> pids = r.get(1, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(4, new HashSet<>(pids).size(), "each task ran in a fresh worker: " + pids);
    }

    @Test
    void initializerRunsOnceInEachWorkerBeforeTasks() throws Exception {
        try (Pool pool = Pool.builder().processes(2).initializer(() -> {
            initialized = "yes in " + ProcessHandle.current().pid();
            System.out.println("initializer output goes to the pool's console");
        }).start()) {
            List<String> seen = pool.map((Integer i) -> initialized, range(20), 1);
            for (String s : seen) {
                assertTrue(s.startsWith("yes in "), s);
            }
            assertEquals("no", initialized, "the initializer did not run in the test JVM");
        }
    }

    @Test
    void failingInitializerIsReportedAndNotRetriedForever() throws Exception {
        try (Pool pool = Pool.builder().processes(2).initializer(() -> {
            throw new IllegalStateException("no database");
        }).start()) {
            AsyncResult<Integer> r = pool.applyAsync(() -> 1);
            TaskFailedException e = assertThrows(TaskFailedException.class, r::get);
            assertTrue(e.getMessage().contains("initializer"), e.getMessage());
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertEquals("no database", e.getCause().getMessage());
            assertThrows(IllegalStateException.class, () -> pool.applyAsync(() -> 2));
            assertTrue(pool.awaitTermination(Duration.ofSeconds(30)), "a broken pool stops by itself: " + pool);
            assertEquals(2, pool.stats().workersStarted(), "no worker was started after the two that failed");
        }
    }

    @Test
    void maxTasksPerChildRecyclesWorkers() throws Exception {
        try (Pool pool = Pool.builder().processes(2).maxTasksPerChild(3).start()) {
            List<Long> pids = pool.map((Integer i) -> ProcessHandle.current().pid(), range(30), 1);
            assertEquals(30, pids.size());
            Set<Long> distinct = new HashSet<>(pids);
            assertTrue(distinct.size() >= 10, "each worker ran at most 3 tasks: " + distinct.size() + " workers");
            for (long pid : distinct) {
                assertTrue(pids.stream().filter(p -> p == pid).count() <= 3);
            }
            assertEquals(List.of(1, 2), pool.map((Integer x) -> x + 1, range(2)));
        }
    }

    @Test
    void shutdownThenJoinDrainsTheQueue() throws Exception {
        Pool pool = Pool.create(2);
        try {
            MapResult<Integer> m = pool.mapAsync((Integer x) -> {
                Thread.sleep(20);
                return x;
            }, range(30), 1);
            pool.shutdown();
            assertTrue(pool.isShutdown());
            assertThrows(IllegalStateException.class, () -> pool.applyAsync(() -> 1));
            pool.join();
            assertTrue(pool.isTerminated());
            assertTrue(m.ready());
            assertEquals(range(30), m.get());
            assertTrue(pool.workers().isEmpty());
        } finally {
            pool.terminate();
        }
    }

    @Test
    void joinRequiresShutdown() throws Exception {
        try (Pool pool = Pool.create(1)) {
            assertThrows(IllegalStateException.class, pool::join);
        }
    }

    @Test
    void terminateStopsAtOnce() throws Exception {
        Pool pool = Pool.create(2);
        try {
            List<Long> pids = pool.map((Integer i) -> ProcessHandle.current().pid(), range(4), 1);
            AsyncResult<Integer> running = pool.applyAsync(() -> {
                Thread.sleep(60_000);
                return 1;
            });
            long t0 = System.nanoTime();
            pool.terminate();
            assertTrue(pool.awaitTermination(Duration.ofSeconds(10)));
            assertTrue((System.nanoTime() - t0) / 1e9 < 10);
            assertTrue(running.isCancelled());
            assertThrows(CancellationException.class, running::get);
            for (long pid : new HashSet<>(pids)) {
                assertFalse(Procs.running(pid), "worker " + pid + " still running");
            }
        } finally {
            pool.terminate();
        }
    }

    @Test
    void closeIsIdempotent() {
        Pool pool = Pool.create(1);
        pool.close();
        pool.close();
        pool.terminate();
        assertTrue(pool.isTerminated());
    }
}
