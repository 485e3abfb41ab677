package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The ExecutorService view, on worker JVMs and on threads. */
@ExtendWith(NoWorkersLeft.class)
@Timeout(120)
class ExecutorServiceViewTest {

    @Test
    void submitInvokeAllInvokeAnyOnWorkers() throws Exception {
        try (Pool pool = Pool.create(2)) {
            ExecutorService ex = pool.asExecutorService();
            Future<Integer> f = ex.submit((Task<Integer>) () -> 21 * 2);
            assertEquals(42, f.get());
            assertInstanceOf(AsyncResult.class, f);
            Future<String> g = ex.submit((Runnable & Serializable) () -> { }, "done");
            assertEquals("done", g.get());

            Callable<Integer> plain = () -> 1; // not Serializable
            RejectedExecutionException rejected = assertThrows(RejectedExecutionException.class, () -> ex.submit(plain));
            assertTrue(rejected.getCause().getMessage().contains("Serializable"));

            List<Task<Integer>> tasks = List.of(() -> 1, () -> {
                throw new IllegalStateException("x");
            }, () -> 3);
            List<Future<Integer>> all = ex.invokeAll(tasks);
            assertEquals(3, all.size());
            assertTrue(all.stream().allMatch(Future::isDone));
            assertEquals(1, all.get(0).get());
            assertThrows(ExecutionException.class, () -> all.get(1).get());
            assertEquals(3, all.get(2).get());

            List<Task<Integer>> race = List.of(() -> {
                Thread.sleep(30_000);
                return 1;
            }, () -> 2);
            assertEquals(2, ex.invokeAny(race));
            List<Task<Integer>> failing = List.of(() -> {
                throw new IllegalStateException("a");
            }, () -> {
                throw new IllegalStateException("b");
            });
            assertThrows(ExecutionException.class, () -> ex.invokeAny(failing));

            List<Task<Integer>> slow = List.of(() -> {
                Thread.sleep(30_000);
                return 1;
            });
            List<Future<Integer>> timed = ex.invokeAll(slow, 200, TimeUnit.MILLISECONDS);
            assertTrue(timed.get(0).isCancelled());
        }
    }

    @Test
    void shutdownNowReturnsTasksThatNeverStarted() throws Exception {
        Pool pool = Pool.create(1);
        try {
            ExecutorService ex = pool.asExecutorService();
            assertEquals(1, ex.submit((Task<Integer>) () -> 1).get()); // worker ready
            Future<Integer> blocker = ex.submit((Task<Integer>) () -> {
                Thread.sleep(60_000);
                return 0;
            });
            Thread.sleep(300);
            for (int i = 0; i < 5; i++) {
                ex.submit((Task<Integer>) () -> 1);
            }
            List<Runnable> never = ex.shutdownNow();
            assertTrue(ex.isShutdown());
            assertTrue(ex.awaitTermination(10, TimeUnit.SECONDS));
            assertTrue(ex.isTerminated());
            assertTrue(never.size() >= 4 && never.size() <= 5, "never started: " + never.size());
            assertTrue(blocker.isCancelled());
            assertThrows(RejectedExecutionException.class, () -> ex.submit((Task<Integer>) () -> 1));
        } finally {
            pool.terminate();
        }
    }

    @Test
    void threadPoolViewAcceptsAnyCallable() throws Exception {
        try (Pool pool = Pool.threads(2)) {
            ExecutorService ex = pool.asExecutorService();
            Object local = new Object();
            Callable<Integer> plain = () -> local.hashCode() * 0 + 5;
            assertEquals(5, ex.submit(plain).get());
            ex.shutdown();
            assertTrue(ex.awaitTermination(10, TimeUnit.SECONDS));
            assertTrue(ex.isTerminated());
        }
    }
}
