package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

    /**
     * Two workers held at a gate (both known to the pool as started) and five tasks queued behind them:
     * shutdownNow returns at once exactly the five, cancels every future, and the pool then terminates.
     */
    @Test
    void shutdownNowReturnsExactlyTheTasksThatNeverCommenced() throws Exception {
        Pool pool = Pool.create(2);
        try (StatusTest.Gate gate = new StatusTest.Gate()) {
            ExecutorService ex = pool.asExecutorService();
            int port = gate.port();
            List<Future<Long>> held = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                held.add(ex.submit((Task<Long>) () -> StatusTest.Gate.pass(port)));
            }
            Set<Long> pids = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                pids.add(gate.awaitTask().pid()); // left held: the worker is killed with its socket open
            }
            assertEquals(2, pids.size(), "one held task on each worker");
            StatusTest.await(() -> held.stream().allMatch(f -> ((AsyncResult<Long>) f).started().isPresent()),
                    Duration.ofSeconds(20), "the pool hears that both held tasks started");
            List<Runnable> queued = new ArrayList<>();
            List<Future<?>> queuedFutures = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                Runnable r = (Runnable & Serializable) () -> System.out.print(n); // capturing: distinct objects
                queued.add(r);
                queuedFutures.add(ex.submit(r));
            }

            long t0 = System.nanoTime();
            List<Runnable> never = ex.shutdownNow();
            long tookMs = (System.nanoTime() - t0) / 1_000_000;

            assertTrue(tookMs < 1000, "shutdownNow took " + tookMs + " ms");
            assertEquals(5, never.size(), "never commenced: " + never);
            assertEquals(5, Set.copyOf(never).size(), "five distinct tasks");
            assertEquals(Set.copyOf(queued), Set.copyOf(never), "exactly the queued tasks, as submitted");
            assertTrue(ex.isShutdown());
            assertTrue(queuedFutures.stream().allMatch(Future::isCancelled), "queued futures cancelled");
            assertThrows(RejectedExecutionException.class, () -> ex.submit((Task<Integer>) () -> 1));
            assertTrue(ex.awaitTermination(20, TimeUnit.SECONDS));
            assertTrue(ex.isTerminated());
            assertTrue(held.stream().allMatch(Future::isCancelled), "running tasks stopped");
            for (long pid : pids) {
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "worker " + pid);
            }
            assertEquals(List.of(), ex.shutdownNow(), "nothing left the second time");
        } finally {
            pool.terminate();
        }
    }

    /**
     * On threads: two tasks that ignore interrupts hold both threads, five wait. shutdownNow returns the
     * five without waiting for the two, interrupts them, and the pool terminates once they return.
     */
    @Test
    void shutdownNowOnThreadsDoesNotWaitForRunningTasks() throws Exception {
        Pool pool = Pool.threads(2);
        CountDownLatch bothRunning = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        AtomicInteger queuedRan = new AtomicInteger();
        try {
            ExecutorService ex = pool.asExecutorService();
            List<Future<?>> held = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                held.add(ex.submit(() -> {
                    bothRunning.countDown();
                    while (true) {
                        try {
                            release.await();
                            return;
                        } catch (InterruptedException e) {
                            interrupted.incrementAndGet(); // and keep waiting
                        }
                    }
                }));
            }
            assertTrue(bothRunning.await(20, TimeUnit.SECONDS));
            List<Runnable> queued = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                Runnable r = () -> queuedRan.addAndGet(n + 1); // capturing: distinct objects
                queued.add(r);
                ex.execute(r);
            }

            long t0 = System.nanoTime();
            List<Runnable> never = ex.shutdownNow();
            long tookMs = (System.nanoTime() - t0) / 1_000_000;

            assertTrue(tookMs < 1000, "shutdownNow waited " + tookMs + " ms");

            assertEquals(5, never.size());
            assertEquals(5, Set.copyOf(never).size(), "five distinct tasks");
            assertEquals(Set.copyOf(queued), Set.copyOf(never));
            assertFalse(ex.isTerminated(), "shutdownNow returned while both tasks still run");
            assertFalse(ex.awaitTermination(0, TimeUnit.SECONDS));
            release.countDown();
            assertTrue(ex.awaitTermination(20, TimeUnit.SECONDS));
            assertTrue(ex.isTerminated());
            assertEquals(2, interrupted.get(), "each running task was interrupted once");
            assertEquals(0, queuedRan.get(), "a returned task never ran");
            assertTrue(held.stream().allMatch(Future::isCancelled));
        } finally {
            release.countDown();
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
