package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Per-worker values kept between tasks, on real worker JVMs and on thread pools. */
@ExtendWith(NoWorkersLeft.class)
@Timeout(120)
class WorkerLocalTest {

    /** How many of the results name each worker. */
    static Map<String, Integer> tally(List<String> workerIds) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String id : workerIds) {
            counts.merge(id, 1, Integer::sum);
        }
        return counts;
    }

    /** Runs 20 one-element tasks that each count themselves on their worker; returns who ran what. */
    static Map<String, Integer> countOnWorkers(Pool pool, WorkerLocal<AtomicInteger> counter) throws Exception {
        List<String> ran = pool.map(x -> {
            Thread.sleep(10); // slow enough that every worker takes some
            counter.get().incrementAndGet();
            return TaskContext.current().workerId();
        }, IntStream.range(0, 20).boxed().toList(), 1);
        return tally(ran);
    }

    @Test
    void eachWorkerKeepsItsOwnCountAcrossTasksAndAReplacementStartsFresh() throws Exception {
        WorkerLocal<AtomicInteger> counter = WorkerLocal.withInitial(AtomicInteger::new);
        try (Pool pool = Pool.create(2)) {
            FaultsTest.awaitFullSize(pool, 2);
            Map<String, Integer> ran = countOnWorkers(pool, counter);
            assertEquals(20, ran.values().stream().mapToInt(Integer::intValue).sum());
            assertEquals(ran, new TreeMap<>(pool.onEachWorker(() -> counter.get().get())),
                    "each worker's count is what ran there, read by a later job");
            Map<String, Integer> more = countOnWorkers(pool, counter);
            Map<String, Integer> sum = new TreeMap<>(ran);
            more.forEach((id, n) -> sum.merge(id, n, Integer::sum));
            assertEquals(sum, new TreeMap<>(pool.onEachWorker(() -> counter.get().get())), "kept across jobs");

            assertInstanceOf(WorkerLostException.class, assertThrows(ExecutionException.class,
                    () -> pool.onEachWorker(WorkerTargets.ids("w1"), () -> {
                        Runtime.getRuntime().halt(1);
                        return 0;
                    })));
            FaultsTest.awaitFullSize(pool, 2);
            assertEquals(Map.of("w3", 0, "w2", sum.get("w2")), pool.onEachWorker(() -> counter.get().get()),
                    "the replacement w3 starts afresh; w2 keeps its count");
        }
    }

    @Test
    void setRemoveAndTwoHoldersAreIndependent() throws Exception {
        WorkerLocal<String> name = WorkerLocal.withInitial(() -> "fresh on " + TaskContext.current().workerId());
        WorkerLocal<String> other = WorkerLocal.create();
        try (Pool pool = Pool.create(2)) {
            FaultsTest.awaitFullSize(pool, 2);
            assertEquals(Map.of("w1", "fresh on w1", "w2", "fresh on w2"), pool.onEachWorker(name::get));
            pool.onEachWorker(() -> {
                name.set("set on " + TaskContext.current().workerIndex());
                return null;
            });
            assertEquals(Map.of("w1", "set on 0", "w2", "set on 1"), pool.onEachWorker(name::get));
            Map<String, String> none = pool.onEachWorker(other::get);
            assertEquals(2, none.size());
            assertNull(none.get("w1"));
            assertNull(none.get("w2"));
            pool.onEachWorker(WorkerTargets.ids("w2"), () -> {
                name.remove();
                return null;
            });
            assertEquals(Map.of("w1", "set on 0", "w2", "fresh on w2"), pool.onEachWorker(name::get));
        }
    }

    @Test
    void aCopyIsTheSameHolderANewHolderIsNot() throws Exception {
        WorkerLocal<Integer> a = WorkerLocal.withInitial(() -> 1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(a);
        }
        @SuppressWarnings("unchecked")
        WorkerLocal<Integer> copy = (WorkerLocal<Integer>) new ObjectInputStream(
                new ByteArrayInputStream(bytes.toByteArray())).readObject();
        assertEquals(a, copy);
        assertNotEquals(a, WorkerLocal.withInitial(() -> 1));
        copy.set(7);
        assertEquals(7, a.get(), "outside pool threads: this JVM's value, shared by the copies");
        a.remove();
        assertEquals(1, copy.get());
        a.remove();
    }

    @Test
    void onAThreadPoolEachThreadHasItsOwnValue() throws Exception {
        WorkerLocal<AtomicInteger> counter = WorkerLocal.withInitial(AtomicInteger::new);
        try (Pool pool = Pool.threads(3)) {
            Map<String, Integer> ran = countOnWorkers(pool, counter);
            assertEquals(20, ran.values().stream().mapToInt(Integer::intValue).sum());
            Map<String, Integer> read = new TreeMap<>(pool.onEachWorker(() -> counter.get().get()));
            for (String t : List.of("t1", "t2", "t3")) {
                ran.putIfAbsent(t, 0);
            }
            assertEquals(ran, read);
            counter.set(new AtomicInteger(100));
            assertEquals(ran, new TreeMap<>(pool.onEachWorker(() -> counter.get().get())),
                    "the submitting thread's value is not the pool threads'");
            counter.remove();
        }
    }
}
