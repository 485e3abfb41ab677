package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import jpool.wire.Signer;
import jpool.wire.Timeouts;
import jpool.worker.WorkerMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Worker deaths, timeouts and cancellation of stuck tasks. */
@ExtendWith(NoWorkersLeft.class)
@Timeout(120)
class FaultsTest {

    @TempDir
    Path dir;

    static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    /** Records that task {@code i} started on this worker, then works for a while. */
    static long slowTask(String dir, int i) throws Exception {
        long pid = ProcessHandle.current().pid();
        Files.writeString(Path.of(dir, i + "-" + pid), "");
        Thread.sleep(25);
        return pid;
    }

    static void awaitFullSize(Pool pool, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<PoolWorker> ready = pool.workers().stream().filter(w -> w.state() == PoolWorker.State.READY)
                    .collect(Collectors.toList());
            if (ready.size() == n) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("pool did not get back to " + n + " ready workers: " + pool.workers());
    }

    private Set<String> markersOf(long pid) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("-" + pid))
                    .collect(Collectors.toSet());
        }
    }

    private MapResult<Long> mapThenKill(Pool pool, long[] killedPid) throws Exception {
        String d = dir.toString();
        MapResult<Long> m = pool.mapAsync((Integer i) -> slowTask(d, i), range(200), 1);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (m.done() < 40 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(m.done() >= 40, "map did not progress");
        PoolWorker victim = pool.workers().get(0);
        killedPid[0] = victim.pid();
        // Kill just after the victim starts a task, so that the kill lands inside the task's sleep.
        Set<String> before = markersOf(victim.pid());
        long startDeadline = System.nanoTime() + 10_000_000_000L;
        while (before.containsAll(markersOf(victim.pid()))) {
            assertTrue(System.nanoTime() < startDeadline, "the victim started no task in 10 s");
        }
        ProcessHandle.of(victim.pid()).orElseThrow().destroyForcibly(); // SIGKILL
        assertTrue(m.await(Duration.ofSeconds(60)));
        return m;
    }

    @Test
    void killDuringMapWithRetriesCompletes() throws Exception {
        try (Pool pool = Pool.builder().processes(2).retries(1).start()) {
            long[] killed = new long[1];
            MapResult<Long> m = mapThenKill(pool, killed);
            List<Long> pids = m.get();
            assertEquals(200, pids.size());
            assertEquals(1, pool.stats().workersLost(), "the one worker killed");
            awaitFullSize(pool, 2);
            assertFalse(pool.workers().stream().anyMatch(w -> w.pid() == killed[0]));
            assertEquals(3, pool.apply((Integer x) -> x + 1, 2));
        }
    }

    @Test
    void killDuringMapWithoutRetriesReportsExactlyTheLostTasks() throws Exception {
        try (Pool pool = Pool.create(2)) {
            long[] killed = new long[1];
            MapResult<Long> m = mapThenKill(pool, killed);
            assertEquals(1, m.failed(), "the task running on the killed worker");
            // lost = started on the killed worker and produced no result
            List<Long> results = m.partialResults();
            Set<Integer> lost = new HashSet<>();
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    String[] parts = p.getFileName().toString().split("-");
                    int index = Integer.parseInt(parts[0]);
                    if (Long.parseLong(parts[1]) == killed[0] && results.get(index) == null) {
                        lost.add(index);
                    }
                }
            }
            // Exactly those: the tasks waiting in the killed worker's prefetch queue ran elsewhere.
            Set<Integer> reported = m.failures().keySet();
            assertEquals(1, lost.size(), "one task was running on the killed worker: " + lost);
            assertEquals(lost, reported);
            for (Throwable t : m.failures().values()) {
                WorkerLostException e = assertInstanceOf(WorkerLostException.class, t);
                assertEquals(137, e.exitCode());
            }
            assertEquals(200 - reported.size(), m.done());
            awaitFullSize(pool, 2);
            assertEquals(3, pool.apply((Integer x) -> x + 1, 2));
        }
    }

    @Test
    void taskCallingSystemExitLosesOnlyItsWorker() throws Exception {
        try (Pool pool = Pool.create(2)) {
            pool.map((Integer x) -> x, range(4), 1);
            AsyncResult<Integer> r = pool.applyAsync(() -> {
                System.out.println("about to exit");
                System.exit(7);
                return 0;
            });
            WorkerLostException e = assertThrows(WorkerLostException.class, r::get);
            assertEquals(7, e.exitCode());
            assertTrue(e.getMessage().contains("System.exit") || e.getMessage().contains("exit code 7"),
                    e.getMessage());
            assertEquals("about to exit\n", r.stdout());
            assertEquals(List.of(0, 1, 2), pool.map((Integer x) -> x, range(3)));
            awaitFullSize(pool, 2);
        }
    }

    @Test
    void outOfMemoryKillsTheWorkerWhichIsReplaced() throws Exception {
        try (Pool pool = Pool.builder().processes(1).jvmOptions("-Xmx48m").start()) {
            AsyncResult<Integer> r = pool.applyAsync(() -> {
                List<long[]> hog = new ArrayList<>();
                while (true) {
                    hog.add(new long[1 << 17]);
                }
            });
            WorkerLostException e = assertThrows(WorkerLostException.class, r::get);
            assertEquals(3, e.exitCode());
            assertTrue(String.join("\n", e.lastStderr()).contains("OutOfMemoryError"), e.lastStderr().toString());
            assertEquals(2, pool.apply((Integer x) -> x * 2, 1));
        }
    }

    @Test
    void taskThatNeverReturnsTimesOut() throws Exception {
        try (Pool pool = Pool.builder().processes(1).taskTimeout(Duration.ofMillis(700)).start()) {
            long firstPid = pool.apply(() -> ProcessHandle.current().pid());
            AsyncResult<Integer> r = pool.applyAsync(() -> {
                while (true) {
                    Thread.onSpinWait();
                }
            });
            TaskFailedException e = assertThrows(TaskFailedException.class, r::get);
            assertInstanceOf(TimeoutException.class, e.getCause());
            long secondPid = pool.apply(() -> ProcessHandle.current().pid());
            assertNotEquals(firstPid, secondPid, "the stuck worker was replaced");
            assertFalse(Procs.running(firstPid) && ProcessHandle.of(firstPid).isPresent()
                    && ProcessHandle.of(firstPid).get().isAlive() && !Procs.isZombie(firstPid)
                    && waitGone(firstPid), "stuck worker killed");
        }
    }

    /** A timeout below one millisecond is a limit (of 1 ms on the wire), not "no limit". */
    @Test
    void subMillisecondTimeoutIsALimit() throws Exception {
        try (Pool pool = Pool.builder().processes(1).taskTimeout(Duration.ofNanos(500_000)).start()) {
            AsyncResult<Integer> r = pool.applyAsync(() -> {
                Thread.sleep(30_000);
                return 1;
            });
            TaskFailedException e = assertThrows(TaskFailedException.class, () -> r.get(20, TimeUnit.SECONDS));
            assertInstanceOf(TimeoutException.class, e.getCause());
        }
    }

    /**
     * A worker that never gets its welcome uses the settings' defaults: it exits (code 66) after the
     * default worker silence of 5 s, the value a controller would have sent it (it used to wait 30 s).
     */
    @Test
    void workerThatHearsNothingExitsAfterTheDefaultSilence() throws Exception {
        int port;
        try (ServerSocket unused = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = unused.getLocalPort(); // closed again: nothing will answer there
        }
        Path log = dir.resolve("worker.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "jpool.worker.WorkerMain",
                "--connect", "tcp://127.0.0.1:" + port, "--id", "lonely");
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        try (OutputStream stdin = p.getOutputStream()) { // kept open: a closed stdin means "parent gone"
            stdin.write((Signer.keyToHex(Signer.newKey()) + "\n").getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
            assertTrue(p.waitFor(25, TimeUnit.SECONDS), "the worker still waits after 25 s");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(WorkerMain.EXIT_CONTROLLER_SILENT, p.exitValue(), Files.readString(log));
            assertTrue(ms >= Timeouts.WORKER_SILENCE.toMillis(), "exited after " + ms + " ms");
            assertTrue(Files.readString(log).contains("controller silent"), Files.readString(log));
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    static boolean waitGone(long pid) throws InterruptedException {
        for (int i = 0; i < 100 && Procs.running(pid); i++) {
            Thread.sleep(50);
        }
        return Procs.running(pid);
    }

    @Test
    void cancelledTaskThatIgnoresInterruptsCostsItsWorker() throws Exception {
        try (Pool pool = Pool.builder().processes(1).cancelGrace(Duration.ofMillis(300)).start()) {
            long firstPid = pool.apply(() -> ProcessHandle.current().pid());
            AsyncResult<Integer> r = pool.applyAsync(() -> {
                System.out.println("spinning");
                while (true) {
                    Thread.onSpinWait();
                }
            });
            CountDownLatch started = new CountDownLatch(1);
            r.onOutput(c -> started.countDown());
            assertTrue(started.await(20, TimeUnit.SECONDS));
            assertTrue(r.cancel(true));
            assertThrows(CancellationException.class, r::get);
            long secondPid = pool.apply(() -> ProcessHandle.current().pid());
            assertNotEquals(firstPid, secondPid);
            assertFalse(waitGone(firstPid));
        }
    }

    @Test
    void workerThatCannotStartFailsThePoolStartClearly() {
        try (Pool pool = Pool.builder().processes(1).jvmOptions("-XX:+NoSuchJvmOption").start()) {
            throw new AssertionError("start() returned " + pool + " although no worker JVM can start");
        } catch (PoolStartException e) {
            assertTrue(e.getMessage().contains("NoSuchJvmOption"), e.getMessage());
        }
    }

    @SuppressWarnings("unused")
    private static void touch(Path p) throws IOException {
        Files.writeString(p, "");
    }
}
