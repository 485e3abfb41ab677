package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Growing and shrinking a running pool of real worker JVMs ({@link Pool#resize}). */
@ExtendWith(NoWorkersLeft.class)
@Timeout(180)
class PoolResizeTest {

    @TempDir
    Path dir;

    /** Waits up to 60 s (the machine is shared) for a condition. */
    static void await(String what, BooleanSupplier condition, Object... context) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what + ": " + List.of(context));
            }
            Thread.sleep(10);
        }
    }

    /** The pool's workers when it has exactly {@code n} and all of them are ready. */
    static List<PoolWorker> awaitReady(Pool pool, int n) throws InterruptedException {
        await(n + " ready workers", () -> {
            List<PoolWorker> ws = pool.workers();
            return ws.size() == n && ws.stream().allMatch(w -> w.state() == PoolWorker.State.READY);
        }, pool);
        return pool.workers();
    }

    static Set<Integer> indexes(List<PoolWorker> workers) {
        return workers.stream().map(PoolWorker::index).collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> ids(List<PoolWorker> workers) {
        return workers.stream().map(PoolWorker::id).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Opens the gate that {@link #gated} tasks wait at; closing opens it too, so that a failed test does not hang. */
    static final class Gate implements AutoCloseable {
        private final Path file;

        Gate(Path dir) {
            this.file = dir.resolve("gate");
        }

        void open() throws java.io.IOException {
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
        }

        @Override
        public void close() throws java.io.IOException {
            open(); // before the pool closes: resources close in reverse order
        }
    }

    /** Marks element {@code x} as started (a second start would fail the element), then waits for the gate. */
    static String gated(String dir, int x) throws Exception {
        Files.createFile(Path.of(dir, "started-" + x));
        while (!Files.exists(Path.of(dir, "gate"))) {
            Thread.sleep(5);
        }
        return TaskContext.current().workerId() + ":" + x;
    }

    @Test
    void growingLaunchesWorkersThatTheNextMapUses() throws Exception {
        try (Pool pool = Pool.create(1)) {
            List<PoolWorker> before = awaitReady(pool, 1);
            long started = pool.stats().workersStarted();

            pool.resize(3);
            assertEquals(3, pool.processes(), "the new size, at once");
            List<PoolWorker> after = awaitReady(pool, 3);
            assertEquals(Set.of(0, 1, 2), indexes(after));
            assertTrue(ids(after).containsAll(ids(before)), "the first worker stays: " + after);
            assertEquals(started + 2, pool.stats().workersStarted());
            for (PoolWorker w : after) {
                assertEquals("local", w.launcher());
                assertFalse(w.host().isBlank(), w.toString());
            }
            assertTrue(pool.toString().startsWith("Pool[3 worker JVMs at "), pool.toString());

            // three tasks that each wait for the others: they can only finish if three workers run them at once
            String d = dir.toString();
            List<String> where = pool.map((Integer x) -> {
                Files.createFile(Path.of(d, "at-" + x));
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (countIn(d, "at-") < 3) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the three tasks did not run at the same time");
                    }
                    Thread.sleep(5);
                }
                return TaskContext.current().workerId();
            }, List.of(1, 2, 3), 1);
            assertEquals(ids(after), new TreeSet<>(where), "each of the three workers ran one");
        }
    }

    @Test
    void shrinkingDuringAMapLosesNothingAndHandsBackWhatTheRetiringWorkersHadNotStarted() throws Exception {
        String d = dir.toString();
        try (Pool pool = Pool.create(4); Gate gate = new Gate(dir)) {
            awaitReady(pool, 4);
            List<Integer> xs = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                xs.add(i);
            }
            MapResult<String> r = pool.mapAsync((Integer x) -> gated(d, x), xs, 1);
            // Each worker runs one element (blocked at the gate) and holds one more in its prefetch queue.
            await("four elements started", () -> count("started-") == 4);
            await("8 units on workers, 4 queued", () -> pool.stats().running() == 8 && pool.stats().queued() == 4,
                    pool.stats());

            pool.resize(2);
            assertEquals(2, pool.processes());
            // The two retiring workers give back the units they had not started.
            await("the retiring workers' prefetched units queued again", () -> pool.stats().queued() == 6,
                    pool.stats(), pool.workers());
            List<PoolWorker> leaving = pool.workers().stream().filter(w -> w.state() == PoolWorker.State.RETIRING)
                    .collect(Collectors.toList());
            assertEquals(2, leaving.size(), pool.workers().toString());
            assertEquals(Set.of(2, 3), indexes(leaving), "busy workers retire from the highest index down");
            assertTrue(pool.toString().contains("2 retiring"), pool.toString());

            gate.open();
            List<String> results = r.get();
            assertEquals(12, results.size());
            Map<String, Integer> perWorker = new HashMap<>();
            for (int i = 0; i < 12; i++) {
                String[] at = results.get(i).split(":");
                assertEquals(String.valueOf(i), at[1], "input order");
                perWorker.merge(at[0], 1, Integer::sum);
            }
            for (PoolWorker w : leaving) {
                assertEquals(1, perWorker.get(w.id()), "a retiring worker finishes only the element it ran: " + perWorker);
            }
            assertEquals(12, count("started-"), "every element started exactly once");

            List<PoolWorker> kept = awaitReady(pool, 2);
            assertEquals(Set.of(0, 1), indexes(kept));
            for (PoolWorker w : leaving) {
                await(w.id() + " exited", () -> !Procs.running(w.pid()));
            }
            PoolStats s = pool.stats();
            assertEquals(0, s.workersLost(), s.toString());
            assertEquals(0, s.tasksRetried(), s.toString());
            assertEquals(4, s.workersStarted(), "no replacement for a worker retired by a shrink");
            assertEquals(List.of(2, 4), pool.map((Integer x) -> x * 2, List.of(1, 2)), "the smaller pool works");
        }
    }

    @Test
    void idleWorkersRetireFirstAndANewWorkerTakesTheLowestFreeIndex() throws Exception {
        String d = dir.toString();
        try (Pool pool = Pool.create(3); Gate gate = new Gate(dir)) {
            List<PoolWorker> first = awaitReady(pool, 3);
            PoolWorker middle = first.stream().filter(w -> w.index() == 1).findFirst().orElseThrow();
            PerWorkerResult<String> busy = pool.onEachWorkerAsync(WorkerTargets.indexes(1), () -> gated(d, 1));
            await("the task on index 1 started", () -> count("started-") == 1);

            pool.resize(1);
            await("only the busy worker left", () -> ids(pool.workers()).equals(Set.of(middle.id())), pool.workers());
            assertEquals(1, pool.processes());
            assertTrue(pool.toString().startsWith("Pool[1 worker JVM at "), pool.toString());

            pool.resize(3);
            List<PoolWorker> grown = awaitReady3(pool, middle.id());
            assertEquals(Set.of(0, 1, 2), indexes(grown), "the new workers take the free indexes 0 and 2");
            assertEquals(5, pool.stats().workersStarted());
            Map<Integer, String> byIndex = new HashMap<>();
            for (PoolWorker w : grown) {
                byIndex.put(w.index(), w.id());
            }
            assertEquals(middle.id(), byIndex.get(1));
            assertFalse(ids(first).contains(byIndex.get(0)), "index 0 is a new worker");

            gate.open();
            assertEquals(Map.of(middle.id(), middle.id() + ":1"), busy.get(), "the busy worker's task was not touched");
            Map<String, Integer> seen = pool.onEachWorker(() -> TaskContext.current().workerIndex());
            assertEquals(Set.of(0, 1, 2), new HashSet<>(seen.values()), "tasks see the indexes the pool shows");
        }
    }

    /** Three ready workers, one of them busy (BUSY) with the gated task. */
    private static List<PoolWorker> awaitReady3(Pool pool, String busyId) throws InterruptedException {
        await("three workers ready", () -> {
            List<PoolWorker> ws = pool.workers();
            return ws.size() == 3 && ws.stream().allMatch(w -> w.state() == PoolWorker.State.READY
                    || (w.id().equals(busyId) && w.state() == PoolWorker.State.BUSY));
        }, pool);
        return pool.workers();
    }

    @Test
    void badSizesClosedPoolsAndThreadPoolsAreRefusedWithWhatToDo() throws Exception {
        Pool pool = Pool.create(1);
        try {
            IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> pool.resize(0));
            assertEquals("processes must be at least 1, got 0", zero.getMessage());
            assertEquals(1, pool.processes(), "a refused size changes nothing");
            pool.shutdown();
            IllegalStateException closed = assertThrows(IllegalStateException.class, () -> pool.resize(2));
            assertEquals("the pool is shut down", closed.getMessage());
            assertEquals(1, pool.processes());
        } finally {
            pool.terminate();
            pool.join();
        }
        try (Pool threads = Pool.threads(2)) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> threads.resize(3));
            assertTrue(e.getMessage().contains("Pool.threads(3)"), e.getMessage());
            assertEquals(2, threads.processes());
            assertEquals(List.of("threads", "threads"), threads.workers().stream().map(PoolWorker::launcher).toList());
            assertEquals(List.of(0, 1), threads.workers().stream().map(PoolWorker::index).toList());
        }
    }

    private long count(String prefix) {
        return countIn(dir.toString(), prefix);
    }

    static long countIn(String dir, String prefix) {
        try (var files = Files.list(Path.of(dir))) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
