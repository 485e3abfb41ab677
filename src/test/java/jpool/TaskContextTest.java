package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What a running task learns of where it runs, on real worker JVMs. */
@ExtendWith(NoWorkersLeft.class)
@Timeout(90)
class TaskContextTest {

    /** "workerId index job attempt pid" as seen by a task. */
    static String describe() {
        TaskContext c = TaskContext.current();
        return c.workerId() + " " + c.workerIndex() + " " + c.jobId() + " " + c.attempt() + " "
                + ProcessHandle.current().pid();
    }

    @Test
    void outsideATaskThereIsNoContext() {
        IllegalStateException e = assertThrows(IllegalStateException.class, TaskContext::current);
        assertTrue(e.getMessage().contains("only available on the thread that runs a pool task"), e.getMessage());
        assertTrue(TaskContext.find().isEmpty());
    }

    @Test
    void eachTaskKnowsItsWorkerItsJobAndItsAttempt() throws Exception {
        try (Pool pool = Pool.create(2)) {
            FaultsTest.awaitFullSize(pool, 2);
            List<String> first = pool.map(x -> {
                Thread.sleep(20); // long enough that both workers take some
                return describe();
            }, IntStream.range(0, 20).boxed().toList(), 1);
            List<String> second = pool.map(x -> describe(), List.of(1, 2), 1);
            Set<String> jobs = new TreeSet<>();
            Set<String> workers = new TreeSet<>();
            for (String line : first) {
                String[] p = line.split(" ");
                jobs.add(p[2]);
                workers.add(p[0] + " " + p[1]);
                assertEquals("1", p[3], "first attempt: " + line);
                long pid = Long.parseLong(p[4]);
                String id = pool.workers().stream().filter(w -> w.pid() == pid).findFirst().orElseThrow().id();
                assertEquals(id, p[0], "the id is the one the pool reports for that process");
            }
            assertEquals(1, jobs.size(), "one map, one job: " + first);
            Set<String> indices = workers.stream().map(w -> w.split(" ")[1]).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(Set.of("0", "1"), indices, "two workers, indices 0 and 1: " + workers);
            String secondJob = second.get(0).split(" ")[2];
            assertTrue(Long.parseLong(secondJob) > Long.parseLong(jobs.iterator().next()),
                    "a later call is a later job: " + second + " after " + jobs);
        }
    }

    @Test
    void theInitializerRunsWithItsWorkersContext(@TempDir Path dir) throws Exception {
        String folder = dir.toString();
        try (Pool pool = Pool.builder().processes(2).initializer(() -> {
            TaskContext c = TaskContext.current();
            Files.writeString(Path.of(folder, c.workerId()), c.workerIndex() + " " + c.jobId() + " " + c.attempt());
        }).start()) {
            // Each worker's initializer has run once the worker has run a task.
            List<String> ran = pool.map(x -> TaskContext.current().workerId(), IntStream.range(0, 20).boxed().toList(), 1);
            for (String id : new TreeSet<>(ran)) {
                String text = Files.readString(dir.resolve(id));
                assertTrue(text.equals("0 0 1") || text.equals("1 0 1"), id + ": " + text);
            }
        }
    }

    @Test
    void aThreadStartedByATaskHasNoContext() throws Exception {
        try (Pool pool = Pool.create(1)) {
            String seen = pool.apply(x -> {
                String[] out = new String[1];
                Thread t = new Thread(() -> out[0] = String.valueOf(TaskContext.find().isPresent()));
                t.start();
                t.join(TimeUnit.SECONDS.toMillis(10));
                return TaskContext.find().isPresent() + " " + out[0];
            }, 0);
            assertEquals("true false", seen);
        }
    }

    @Test
    void aRetriedTaskKnowsItsAttemptAndAReplacementTakesTheLostWorkersIndex() throws Exception {
        try (Pool pool = Pool.builder().processes(2).retries(1).start()) {
            List<String> out = pool.map(x -> {
                if (x == 0 && TaskContext.current().attempt() == 1) {
                    Runtime.getRuntime().halt(3); // the worker dies inside the task's first attempt
                }
                return describe();
            }, List.of(0, 1), 1);
            assertEquals("2", out.get(0).split(" ")[3], "element 0 ran again: " + out);
            assertEquals("1", out.get(1).split(" ")[3], "element 1 ran once: " + out);
            FaultsTest.awaitFullSize(pool, 2);
            Set<String> seen = new TreeSet<>();
            // Tasks of 50 ms, so that both workers take some.
            for (String line : pool.map(x -> {
                Thread.sleep(50);
                return describe();
            }, IntStream.range(0, 20).boxed().toList(), 1)) {
                String[] p = line.split(" ");
                seen.add(p[0] + " " + p[1]);
            }
            Set<String> indices = seen.stream().map(w -> w.split(" ")[1]).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(Set.of("0", "1"), indices, "still indices 0 and 1 with the replacement: " + seen);
            assertTrue(seen.stream().anyMatch(w -> w.startsWith("w3 ")), "the replacement ran tasks: " + seen);
        }
    }

    @Test
    void threadPoolTasksHaveAContextToo() throws Exception {
        try (Pool pool = Pool.threads(2)) {
            java.util.concurrent.CountDownLatch both = new java.util.concurrent.CountDownLatch(2);
            List<String> out = pool.map(x -> {
                both.countDown();
                both.await(); // two tasks at once: one on each thread
                TaskContext c = TaskContext.current();
                return c.workerId() + " " + c.workerIndex() + " " + c.attempt();
            }, List.of(1, 2), 1);
            assertEquals(Set.of("t1 0 1", "t2 1 1"), new TreeSet<>(out));
            assertTrue(TaskContext.find().isEmpty());
        }
    }
}
