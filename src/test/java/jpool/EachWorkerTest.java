package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Runs on each worker (and on chosen ones), on real worker JVMs and on thread pools. */
@ExtendWith(NoWorkersLeft.class)
@Timeout(120)
class EachWorkerTest {

    /** "workerId index pid" as a task sees it. */
    static String where() {
        TaskContext c = TaskContext.current();
        return c.workerId() + " " + c.workerIndex() + " " + ProcessHandle.current().pid();
    }

    /** What {@link #where()} says on each of the pool's workers, by id, from the pool's own view. */
    static Map<String, String> expected(Pool pool, String... ids) {
        Map<String, Long> pids = new TreeMap<>();
        for (PoolWorker w : pool.workers()) {
            pids.put(w.id(), w.pid());
        }
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (String id : ids) {
            map.put(id, id + " " + (Integer.parseInt(id.substring(1)) - 1) + " " + pids.get(id));
        }
        return map;
    }

    @Test
    void everyWorkerRunsTheTaskOnceAndTheMapIsInIndexOrder() throws Exception {
        try (Pool pool = Pool.create(3)) {
            FaultsTest.awaitFullSize(pool, 3);
            Map<String, String> got = pool.onEachWorker(EachWorkerTest::where);
            assertEquals(expected(pool, "w1", "w2", "w3"), got);
            assertEquals(List.of("w1", "w2", "w3"), new ArrayList<>(got.keySet()), "by worker index");

            PerWorkerResult<String> r = pool.onEachWorkerAsync(EachWorkerTest::where);
            assertEquals(List.of("w1", "w2", "w3"), r.workerIds());
            assertEquals(expected(pool, "w1", "w2", "w3"), r.get());
            assertEquals(expected(pool, "w1", "w2", "w3"), r.values());
            assertEquals(Map.of(), r.failures());
            Progress p = r.progress();
            assertEquals(List.of(3, 3, 0), List.of(p.total(), p.done(), p.failed()));
            assertTrue(r.successful());
            assertTrue(r.toString().startsWith("PerWorkerResult on w1, w2, w3: done, 3/3 done, 0 failed, in "), r.toString());
        }
    }

    @Test
    void chosenWorkersByIndexOrIdAndBadTargetsAreRefusedByName() throws Exception {
        try (Pool pool = Pool.create(3)) {
            FaultsTest.awaitFullSize(pool, 3);
            assertEquals(expected(pool, "w1", "w3"), pool.onEachWorker(WorkerTargets.indexes(2, 0), EachWorkerTest::where),
                    "index order, whatever order the indexes were given in");
            assertEquals(expected(pool, "w2", "w3"), pool.onEachWorker(WorkerTargets.range(1, 3), EachWorkerTest::where));
            assertEquals(expected(pool, "w2"), pool.onEachWorker(WorkerTargets.ids("w2"), EachWorkerTest::where));

            IllegalArgumentException byIndex = assertThrows(IllegalArgumentException.class,
                    () -> pool.onEachWorkerAsync(WorkerTargets.indexes(0, 5), EachWorkerTest::where));
            assertEquals("not among the pool's workers that take tasks: index 5; they are w1 (index 0), w2 (index 1),"
                    + " w3 (index 2)", byIndex.getMessage());
            IllegalArgumentException byId = assertThrows(IllegalArgumentException.class,
                    () -> pool.onEachWorkerAsync(WorkerTargets.ids("w9", "w1", "w7"), EachWorkerTest::where));
            assertEquals("not among the pool's workers that take tasks: w9, w7; they are w1 (index 0), w2 (index 1),"
                    + " w3 (index 2)", byId.getMessage());
            assertEquals("a worker index is given twice in [1, 1]",
                    assertThrows(IllegalArgumentException.class, () -> WorkerTargets.indexes(1, 1)).getMessage());
            assertEquals("no worker id given",
                    assertThrows(IllegalArgumentException.class, () -> WorkerTargets.ids()).getMessage());
            assertEquals(0, pool.stats().running() + pool.stats().queued(), "nothing was submitted for bad targets");
        }
    }

    @Test
    void aWorkerLostMidRunFailsItsEntryOnlyAndIsNotRetriedElsewhere(@TempDir Path dir) throws Exception {
        String folder = dir.toString();
        try (Pool pool = Pool.builder().processes(2).retries(2).start()) {
            FaultsTest.awaitFullSize(pool, 2);
            long w1 = pool.workers().stream().filter(w -> w.id().equals("w1")).findFirst().orElseThrow().pid();
            PerWorkerResult<String> r = pool.onEachWorkerAsync(() -> {
                String me = TaskContext.current().workerId();
                Files.writeString(Path.of(folder, me + "-" + ProcessHandle.current().pid()), "ran");
                if (me.equals("w1")) {
                    Runtime.getRuntime().halt(3);
                }
                return me;
            });
            ExecutionException e = assertThrows(ExecutionException.class, r::get);
            WorkerLostException lost = assertInstanceOf(WorkerLostException.class, e);
            assertEquals(List.of("w1", 3), List.of(lost.workerId(), lost.exitCode()));
            assertEquals(Map.of("w2", "w2"), r.values());
            assertEquals(List.of("w1"), new ArrayList<>(r.failures().keySet()));
            assertInstanceOf(WorkerLostException.class, r.failures().get("w1"));
            Progress p = r.progress();
            assertEquals(List.of(2, 1, 1), List.of(p.total(), p.done(), p.failed()));
            long w2 = pool.workers().stream().filter(w -> w.id().equals("w2")).findFirst().orElseThrow().pid();
            try (var files = Files.list(dir)) {
                assertEquals(List.of("w1-" + w1, "w2-" + w2),
                        files.map(f -> f.getFileName().toString()).sorted().toList(), "one run each, none again");
            }
            assertEquals(0, pool.stats().tasksRetried());

            FaultsTest.awaitFullSize(pool, 2);
            Map<String, String> after = pool.onEachWorker(() -> TaskContext.current().workerIndex() + "");
            assertEquals(Map.of("w3", "0", "w2", "1"), after, "the replacement w3 took index 0");
            assertEquals(List.of("w3", "w2"), new ArrayList<>(after.keySet()), "by index");
        }
    }

    @Test
    void aStartingWorkerIsIncludedAndARetiringOneIsNot() throws Exception {
        try (Pool pool = Pool.create(2)) {
            // create returns once one worker has connected; the other may still be starting: it counts.
            assertEquals(List.of("w1", "w2"), new ArrayList<>(pool.onEachWorker(EachWorkerTest::where).keySet()));
        }
        try (Pool pool = Pool.builder().processes(1).maxTasksPerChild(1).start()) {
            assertEquals("w1", pool.apply(() -> TaskContext.current().workerId()));
            // w1 has had its one task and retires; its replacement w2, starting now, takes index 0.
            PerWorkerResult<String> r = pool.onEachWorkerAsync(() -> TaskContext.current().workerIndex() + "");
            assertEquals(List.of("w2"), r.workerIds());
            assertEquals(Map.of("w2", "0"), r.get());
        }
    }

    @Test
    void aThreadPoolRunsOnEachOfItsThreadsExactlyOnce() throws Exception {
        try (Pool pool = Pool.threads(3)) {
            Map<String, String> got = pool.onEachWorker(() -> TaskContext.current().workerId() + " "
                    + TaskContext.current().workerIndex() + " " + Thread.currentThread().getName().replaceAll(".*-", ""));
            assertEquals(Map.of("t1", "t1 0 t1", "t2", "t2 1 t2", "t3", "t3 2 t3"), got);
            assertEquals(List.of("t1", "t2", "t3"), new ArrayList<>(got.keySet()));
            for (int round = 0; round < 5; round++) {
                assertEquals(Map.of("t1", 0, "t3", 2),
                        pool.onEachWorker(WorkerTargets.indexes(0, 2), () -> TaskContext.current().workerIndex()));
            }
            TaskFailedException nested = assertThrows(TaskFailedException.class,
                    () -> pool.apply(() -> pool.onEachWorker(() -> 1)));
            assertInstanceOf(IllegalStateException.class, nested.getCause());
            assertEquals("a run on each thread of a thread pool cannot be started from a task of that pool: it needs"
                    + " every thread of the pool, this one included", nested.getCause().getMessage());
            assertEquals(Map.of("t2", 1), pool.onEachWorker(WorkerTargets.ids("t2"), () -> 1), "the pool still works");
            pool.shutdown();
            assertEquals("the pool is shut down",
                    assertThrows(IllegalStateException.class, () -> pool.onEachWorkerAsync(() -> 1)).getMessage());
        }
    }
}
