package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a host ({@link CallScope}) sees of the pool, with a test host standing in for the kernel: task output
 * reaches the submitter's scope until it ends, and an interrupt of a blocking call cancels that call's tasks.
 */
@ExtendWith(NoWorkersLeft.class)
@Timeout(120)
class CallScopeTest {

    /** A scope that records what it receives; the test host gives it to the threads that entered it. */
    static final class RecordingScope implements CallScope {
        final List<String> output = new CopyOnWriteArrayList<>();
        final List<Runnable> waits = new CopyOnWriteArrayList<>();
        final List<String> cancelled = new CopyOnWriteArrayList<>();
        volatile boolean ended;
        final CountDownLatch firstTwoLines = new CountDownLatch(2);

        @Override
        public boolean taskOutput(String workerId, OutputChunk.Stream stream, String text) {
            if (ended) {
                return false;
            }
            output.add(workerId + " " + stream + " " + text);
            firstTwoLines.countDown();
            return true;
        }

        @Override
        public Registration onInterrupt(Runnable cancel) {
            waits.add(cancel);
            return () -> waits.remove(cancel);
        }

        @Override
        public void cancelled(String what) {
            cancelled.add(what);
        }
    }

    private static final ThreadLocal<RecordingScope> SCOPE = new InheritableThreadLocal<>();
    private CallScope.Registration host;

    @BeforeEach
    void installHost() {
        host = CallScope.install(SCOPE::get);
    }

    @AfterEach
    void removeHost() {
        host.close();
        SCOPE.remove();
    }

    static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    private static Set<Long> pids(Pool pool) {
        return pool.workers().stream().map(PoolWorker::pid).collect(Collectors.toSet());
    }

    @Test
    void outputReachesTheSubmittersScopeBeforeTheResultAndStopsWhenTheScopeEnds() throws Exception {
        RecordingScope scope = new RecordingScope();
        SCOPE.set(scope);
        try (Pool pool = Pool.create(1)) {
            String worker = pool.workers().get(0).id();
            ExecutionException failed = assertThrows(ExecutionException.class, () -> pool.apply(() -> {
                System.out.println("before the error");
                System.err.println("on stderr");
                throw new IllegalStateException("boom");
            }));
            assertInstanceOf(IllegalStateException.class, failed.getCause());
            // recorded while the result was open, so before get() threw
            assertEquals(List.of(worker + " STDOUT before the error\n", worker + " STDERR on stderr\n"), scope.output);

            CountDownLatch release = new CountDownLatch(1);
            AsyncResult<String> r = pool.applyAsync(() -> {
                System.out.println("one");
                Thread.sleep(300);
                System.out.println("two");
                return "ok";
            });
            r.onOutput(c -> release.countDown());
            assertTrue(release.await(20, TimeUnit.SECONDS));
            scope.ended = true; // the cell returned
            assertEquals("ok", r.get());
            assertEquals("one\ntwo\n", r.stdout());
            assertEquals(worker + " STDOUT one\n", scope.output.get(2));
            assertEquals(3, scope.output.size(), scope.output.toString());
        }
    }

    @Test
    void withoutAHostNothingIsRoutedAndAnInterruptedGetDoesNotCancel() throws Exception {
        host.close(); // a plain Java program
        assertNull(CallScope.current());
        try (Pool pool = Pool.create(1)) {
            AsyncResult<Integer> r = pool.applyAsync(() -> {
                System.out.println("started");
                Thread.sleep(1_000);
                return 7;
            });
            CountDownLatch started = new CountDownLatch(1);
            r.onOutput(c -> started.countDown());
            assertTrue(started.await(20, TimeUnit.SECONDS));
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, r::get);
            assertFalse(r.isCancelled(), "Future.get() interrupted leaves the task alone");
            assertEquals(7, r.get());
        }
    }

    @Test
    void interruptingAThreadBlockedInMapCancelsItsTasksAndThePoolIsFullAtOnce() throws Exception {
        try (Pool pool = Pool.create(2)) {
            Set<Long> before = pids(pool);
            RecordingScope scope = new RecordingScope();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread caller = new Thread(() -> {
                SCOPE.set(scope);
                try {
                    pool.map((Integer i) -> {
                        System.out.println("started " + i);
                        Thread.sleep(30_000);
                        return i;
                    }, range(20), 1);
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            caller.start();
            assertTrue(scope.firstTwoLines.await(20, TimeUnit.SECONDS));
            long t0 = System.nanoTime();
            caller.interrupt();
            caller.join(2_000);
            assertFalse(caller.isAlive());
            assertInstanceOf(InterruptedException.class, thrown.get());
            Matcher m = Pattern.compile("interrupted while waiting for pool.map; (cancelled 20 tasks of pool.map"
                    + " \\((\\d+) were running\\))").matcher(thrown.get().getMessage());
            assertTrue(m.matches(), thrown.get().getMessage());
            int running = Integer.parseInt(m.group(2));
            assertTrue(running >= 2 && running <= 20, m.group());
            assertEquals(List.of(m.group(1)), scope.cancelled);

            assertEquals(List.of(2, 3, 4), pool.map((Integer x) -> x + 1, List.of(1, 2, 3)));
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
            assertEquals(before, pids(pool), "interrupted sleeping tasks stop; their workers stay");
        }
    }

    @Test
    void aTaskIgnoringTheInterruptHasItsWorkerKilledAfterTheGraceAndReplaced() throws Exception {
        try (Pool pool = Pool.builder().processes(2).cancelGrace(Duration.ofMillis(300)).start()) {
            assertEquals(2, pool.apply((Integer x) -> x + 1, 1)); // both started
            while (pool.workers().size() < 2) {
                Thread.onSpinWait();
            }
            Set<Long> before = pids(pool);
            RecordingScope scope = new RecordingScope();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread caller = new Thread(() -> {
                SCOPE.set(scope);
                try {
                    pool.map((Integer i) -> {
                        System.out.println("spinning " + i);
                        long n = 0;
                        while (n >= 0) {
                            n = (n + 1) & 0xffff; // ignores interrupts
                        }
                        return i;
                    }, range(2), 1);
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            caller.start();
            assertTrue(scope.firstTwoLines.await(20, TimeUnit.SECONDS));
            long t0 = System.nanoTime();
            caller.interrupt();
            caller.join(2_000);
            assertFalse(caller.isAlive());
            assertEquals("interrupted while waiting for pool.map; cancelled 2 tasks of pool.map (2 were running)",
                    thrown.get().getMessage());

            assertEquals(List.of(2, 3, 4), pool.map((Integer x) -> x + 1, List.of(1, 2, 3)));
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            Set<Long> after = pids(pool);
            while ((after.size() < 2 || after.stream().anyMatch(before::contains)) && System.nanoTime() < deadline) {
                Thread.sleep(50);
                after = pids(pool);
            }
            assertEquals(2, after.size(), "the pool is back to full size: " + pool.workers());
            for (long pid : before) {
                assertFalse(after.contains(pid), "worker " + pid + " was killed and replaced");
            }
        }
    }

    @Test
    void anInterruptOfTheScopeCancelsTheResultItsThreadWaitsFor() throws Exception {
        try (Pool pool = Pool.create(1)) {
            RecordingScope scope = new RecordingScope();
            SCOPE.set(scope);
            AsyncResult<Integer> r = pool.applyAsync(() -> {
                System.out.println("started");
                Thread.sleep(30_000);
                return 1;
            });
            CountDownLatch interruptHandled = new CountDownLatch(1);
            r.onOutput(c -> {
                // the host interrupts the scope: it runs what the waiting thread registered
                while (scope.waits.isEmpty()) {
                    Thread.onSpinWait();
                }
                new ArrayList<>(scope.waits).forEach(Runnable::run);
                interruptHandled.countDown();
            });
            assertThrows(CancellationException.class, r::get);
            assertTrue(r.isCancelled());
            assertTrue(interruptHandled.await(10, TimeUnit.SECONDS));
            assertEquals(List.of("cancelled 1 task of the awaited task (it was running)"), scope.cancelled);
            assertNotEquals(0, pool.apply((Integer x) -> x + 1, 1));
        }
    }

    @Test
    void cancelReportsReadWell() {
        assertEquals("cancelled 18 tasks of pool.map (2 were running)", ResultCore.describeCancel("pool.map", 18, 2));
        assertEquals("cancelled 3 tasks of pool.map (1 was running)", ResultCore.describeCancel("pool.map", 3, 1));
        assertEquals("cancelled 3 tasks of pool.map (none was running)", ResultCore.describeCancel("pool.map", 3, 0));
        assertEquals("cancelled 1 task of pool.apply (it was queued)", ResultCore.describeCancel("pool.apply", 1, 0));
    }
}
