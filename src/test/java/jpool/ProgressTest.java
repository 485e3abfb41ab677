package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link Progress} snapshots of results on worker JVMs and on threads: exact counts while tasks are held,
 * per-worker counts, the final snapshot, failures, cancellation, and consistency under concurrent updates.
 *
 * <p>Tasks on workers are held by a {@link Turnstile}: a task connects to a server socket of this JVM, says
 * which element it runs and in which process, and blocks until the test lets it through, a latch across
 * processes. Each test starts its own pool, so that every worker is fresh: a fresh worker is sent two units
 * at first (one to run, one to prefetch), which makes the number of elements on workers exact.
 */
@ExtendWith(NoWorkersLeft.class)
@Timeout(120)
class ProgressTest {

    private static final long WAIT_SECONDS = 30;

    /** A latch across processes: tasks {@link #enter}, the test takes each {@link #next()} and lets it pass. */
    static final class Turnstile implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> held = Collections.synchronizedList(new ArrayList<>());

        Turnstile() throws IOException {
            server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
            server.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        }

        int port() {
            return server.getLocalPort();
        }

        /** Run by a task: announces its element and process, blocks until let through; returns the pid. */
        static long enter(int port, int element) throws IOException {
            long pid = ProcessHandle.current().pid();
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.writeInt(element);
                out.writeLong(pid);
                out.flush();
                if (s.getInputStream().read() != 1) {
                    throw new IOException("the turnstile closed before element " + element + " passed");
                }
            }
            return pid;
        }

        /** Waits for the next task at the turnstile; it stays there until {@link Arrival#pass()}. */
        Arrival next() throws IOException {
            Socket s = server.accept();
            held.add(s);
            DataInputStream in = new DataInputStream(s.getInputStream());
            return new Arrival(s, in.readInt(), in.readLong());
        }

        /** Lets every task through as it arrives, {@code n} of them. */
        void passNext(int n) throws IOException {
            for (int i = 0; i < n; i++) {
                next().pass();
            }
        }

        /** Closes the turnstile: tasks still held, or arriving, fail with an IOException. */
        @Override
        public void close() throws IOException {
            server.close();
            synchronized (held) {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    /** A task held at the turnstile. */
    record Arrival(Socket socket, int element, long pid) {
        void pass() throws IOException {
            try (socket) {
                socket.getOutputStream().write(1);
                socket.getOutputStream().flush();
            }
        }
    }

    /** Every snapshot a listener received, and a latch for the final one. */
    static final class Recorder {
        final List<Progress> seen = new CopyOnWriteArrayList<>();
        final CountDownLatch finished = new CountDownLatch(1);

        void accept(Progress p) {
            seen.add(p);
            if (p.finished()) {
                finished.countDown();
            }
        }

        /** Waits for the final snapshot and checks that it is the one and only finished snapshot, and last. */
        Progress awaitFinal() throws InterruptedException {
            assertTrue(finished.await(WAIT_SECONDS, TimeUnit.SECONDS), "no final snapshot; saw " + seen);
            List<Progress> finals = seen.stream().filter(Progress::finished).collect(Collectors.toList());
            assertEquals(1, finals.size(), "final snapshots: " + finals);
            assertEquals(finals.get(0), seen.get(seen.size() - 1), "the final snapshot is the last one");
            return finals.get(0);
        }
    }

    /** Waits, by listening, until a snapshot satisfies the condition; returns that snapshot. */
    static Progress awaitProgress(AsyncResult<?> r, Predicate<Progress> condition, String what) throws Exception {
        CompletableFuture<Progress> match = new CompletableFuture<>();
        AtomicReference<Progress> last = new AtomicReference<>();
        try (Subscription s = r.onProgress(p -> {
            last.set(p);
            if (condition.test(p)) {
                match.complete(p);
            }
        })) {
            return match.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return fail("not within " + WAIT_SECONDS + " s: " + what + "; last snapshot " + last.get());
        }
    }

    static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    static Map<Long, String> workerIdsByPid(Pool pool) {
        return pool.workers().stream().collect(Collectors.toMap(PoolWorker::pid, PoolWorker::id));
    }

    static Map<String, Integer> countBy(List<String> ids) {
        Map<String, Integer> counts = new TreeMap<>();
        ids.forEach(id -> counts.merge(id, 1, Integer::sum));
        return counts;
    }

    static Map<String, Integer> perWorker(Progress p, java.util.function.ToIntFunction<Progress.WorkerCounts> count) {
        Map<String, Integer> m = new TreeMap<>();
        p.workers().forEach((id, c) -> {
            if (count.applyAsInt(c) != 0) {
                m.put(id, count.applyAsInt(c));
            }
        });
        return m;
    }

    static void assertAddsUp(Progress p) {
        assertEquals(p.total(), p.done() + p.failed() + p.running() + p.queued() + p.cancelled(), p.toString());
        assertEquals(p.done(), p.workers().values().stream().mapToInt(Progress.WorkerCounts::done).sum(), p.toString());
        assertEquals(p.running(), p.workers().values().stream().mapToInt(Progress.WorkerCounts::running).sum(),
                p.toString());
    }

    @Test
    void heldMapHasExactCountsPerStateAndPerWorker() throws Exception {
        try (Pool pool = Pool.create(2); Turnstile gate = new Turnstile()) {
            int port = gate.port();
            MapResult<Long> m = pool.mapAsync((Integer x) -> Turnstile.enter(port, x), range(10), 1);
            Recorder recorder = new Recorder();
            m.onProgress(recorder::accept);

            // Two elements run, one on each worker, and each worker holds one more in its prefetch queue.
            Arrival a = gate.next();
            Arrival b = gate.next();
            assertNotEquals(a.pid(), b.pid(), "a worker runs one task at a time");
            Progress held = awaitProgress(m, p -> p.running() == 4, "4 elements on workers");
            assertEquals(Progress.State.RUNNING, held.state());
            assertEquals(List.of(0, 4, 0, 6, 0), List.of(held.done(), held.running(), held.failed(), held.queued(),
                    held.cancelled()));
            assertFalse(held.finished());
            Map<Long, String> ids = workerIdsByPid(pool);
            assertEquals(new TreeMap<>(Map.of(ids.get(a.pid()), 2, ids.get(b.pid()), 2)),
                    perWorker(held, Progress.WorkerCounts::running));
            assertEquals(Map.of(), perWorker(held, Progress.WorkerCounts::done));
            assertEquals(4, m.running());
            assertEquals(6, m.queued());
            assertTrue(m.toString().startsWith("MapResult: running, 0/10 done, 0 failed, 4 on workers, 6 queued, "),
                    m.toString());

            // Only a and b may finish: exactly two done, one on each worker.
            a.pass();
            b.pass();
            Progress two = awaitProgress(m, p -> p.done() == 2, "2 elements done");
            assertEquals(new TreeMap<>(Map.of(ids.get(a.pid()), 1, ids.get(b.pid()), 1)),
                    perWorker(two, Progress.WorkerCounts::done));
            assertEquals(8, two.running() + two.queued());
            assertAddsUp(two);
            assertEquals(2, m.done());

            gate.passNext(8);
            List<Long> pids = m.get(WAIT_SECONDS, TimeUnit.SECONDS);
            Progress last = recorder.awaitFinal();
            assertEquals(Progress.State.DONE, last.state());
            assertEquals(List.of(10, 10, 0, 0, 0, 0), List.of(last.total(), last.done(), last.failed(),
                    last.running(), last.queued(), last.cancelled()));
            Map<String, Integer> ranOn = countBy(pids.stream().map(ids::get).collect(Collectors.toList()));
            assertEquals(ranOn, perWorker(last, Progress.WorkerCounts::done));
            assertEquals(last, m.progress(), "a finished result's snapshot does not change");
            for (Progress p : recorder.seen) {
                assertAddsUp(p);
            }

            // A listener that comes after the end receives the final snapshot, once.
            Recorder late = new Recorder();
            m.onProgress(late::accept);
            assertEquals(last, late.awaitFinal());
            assertEquals(1, late.seen.size());
        }
    }

    @Test
    void anElementStolenBackRunsOnItsNewWorkerInTheCounts() throws Exception {
        try (Pool pool = Pool.create(2); Turnstile gate = new Turnstile()) {
            int port = gate.port();
            MapResult<Long> m = pool.mapAsync((Integer x) -> Turnstile.enter(port, x), range(3), 1);
            Arrival first = gate.next();
            Arrival second = gate.next();
            Progress spread = awaitProgress(m, p -> p.running() == 3, "3 elements on workers");
            Map<String, Integer> running = perWorker(spread, Progress.WorkerCounts::running);
            assertEquals(List.of(1, 2), running.values().stream().sorted().collect(Collectors.toList()), running.toString());
            Map<Long, String> ids = workerIdsByPid(pool);
            String light = running.get(ids.get(first.pid())) == 1 ? ids.get(first.pid()) : ids.get(second.pid());
            String heavy = light.equals(ids.get(first.pid())) ? ids.get(second.pid()) : ids.get(first.pid());
            Arrival onLight = light.equals(ids.get(first.pid())) ? first : second;
            Arrival onHeavy = onLight == first ? second : first;

            // The light worker finishes and is idle; the element waiting behind the held one is taken back from
            // the heavy worker and sent to the light one.
            onLight.pass();
            Progress moved = awaitProgress(m, p -> p.done() == 1 && p.workers().get(light).running() == 1,
                    "the waiting element moved to " + light);
            assertEquals(1, moved.workers().get(heavy).running());
            assertEquals(2, moved.running());
            assertAddsUp(moved);
            Arrival stolen = gate.next();
            assertEquals(onLight.pid(), stolen.pid(), "the stolen element runs on the light worker");
            stolen.pass();
            onHeavy.pass();
            m.get(WAIT_SECONDS, TimeUnit.SECONDS);
            Progress last = m.progress();
            assertEquals(Map.of(light, 2, heavy, 1), perWorker(last, Progress.WorkerCounts::done));
            assertEquals(Map.of(), perWorker(last, Progress.WorkerCounts::running));
        }
    }

    @Test
    void aFailedElementIsCountedWhileTheOthersGoOn() throws Exception {
        try (Pool pool = Pool.create(2); Turnstile gate = new Turnstile()) {
            int port = gate.port();
            MapResult<Long> m = pool.mapAsync((Integer x) -> {
                if (x == 0) {
                    throw new IllegalStateException("element zero");
                }
                return Turnstile.enter(port, x);
            }, range(4), 1);
            Recorder recorder = new Recorder();
            m.onProgress(recorder::accept);
            Progress failing = awaitProgress(m, p -> p.failed() == 1, "element 0 failed");
            assertEquals(Progress.State.RUNNING, failing.state(), "the others go on");
            assertEquals(0, failing.done());
            assertEquals(1, perWorker(failing, Progress.WorkerCounts::failed).values().stream().mapToInt(i -> i).sum());

            gate.passNext(3);
            assertThrows(TaskFailedException.class, () -> m.get(WAIT_SECONDS, TimeUnit.SECONDS));
            Progress last = recorder.awaitFinal();
            assertEquals(Progress.State.FAILED, last.state());
            assertEquals(List.of(3, 1, 0, 0, 0), List.of(last.done(), last.failed(), last.running(), last.queued(),
                    last.cancelled()));
            assertEquals(1, last.workers().values().stream().mapToInt(Progress.WorkerCounts::failed).sum());
            assertAddsUp(last);
            assertTrue(m.toString().startsWith("MapResult: failed, 3/4 done, 1 failed"), m.toString());
        }
    }

    @Test
    void cancellingCountsTheUnfinishedElementsAsCancelled() throws Exception {
        try (Pool pool = Pool.create(2); Turnstile gate = new Turnstile()) {
            int port = gate.port();
            MapResult<Long> m = pool.mapAsync((Integer x) -> Turnstile.enter(port, x), range(8), 1);
            Recorder recorder = new Recorder();
            m.onProgress(recorder::accept);
            Arrival a = gate.next();
            gate.next(); // held until the turnstile closes
            a.pass();
            awaitProgress(m, p -> p.done() == 1, "1 element done");

            assertTrue(m.cancel(true));
            Progress now = m.progress();
            assertEquals(Progress.State.CANCELLED, now.state());
            assertTrue(now.finished());
            assertEquals(List.of(1, 0, 0, 0, 7), List.of(now.done(), now.failed(), now.running(), now.queued(),
                    now.cancelled()));
            assertEquals(Map.of(), perWorker(now, Progress.WorkerCounts::running));
            assertAddsUp(now);
            assertEquals(now, recorder.awaitFinal());
            gate.close(); // the held tasks end now rather than after the cancel grace period
            assertEquals(now, m.progress(), "a cancelled result's snapshot does not change");
        }
    }

    @Test
    void snapshotsAddUpWhileA2000ElementMapRuns() throws Exception {
        try (Pool pool = Pool.create(2)) {
            MapResult<Integer> m = pool.mapAsync((Integer x) -> x + 1, range(2000), 1);
            List<String> broken = new CopyOnWriteArrayList<>();
            AtomicInteger deliveries = new AtomicInteger();
            AtomicReference<Progress> previous = new AtomicReference<>();
            CountDownLatch finalSeen = new CountDownLatch(1);
            Subscription listening = m.onProgress(p -> {
                deliveries.incrementAndGet();
                check(p, previous.getAndSet(p), broken, "listener");
                if (p.finished()) {
                    finalSeen.countDown();
                }
            });
            AtomicInteger onceCalls = new AtomicInteger();
            AtomicReference<Subscription> once = new AtomicReference<>();
            CountDownLatch registered = new CountDownLatch(1);
            once.set(m.onProgress(p -> {
                onceCalls.incrementAndGet();
                try {
                    assertTrue(registered.await(WAIT_SECONDS, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                once.get().cancel();
            }));
            registered.countDown();

            int polls = 0;
            Progress before = null;
            Progress p;
            do {
                p = m.progress();
                check(p, before, broken, "poller");
                before = p;
                polls++;
                LockSupport.parkNanos(200_000L);
            } while (!p.finished());
            assertEquals(2000, m.get(WAIT_SECONDS, TimeUnit.SECONDS).size());
            assertTrue(finalSeen.await(WAIT_SECONDS, TimeUnit.SECONDS));
            assertEquals(List.of(), broken);
            assertEquals(Progress.State.DONE, previous.get().state());
            assertEquals(2000, previous.get().done());
            assertTrue(deliveries.get() >= 1 && polls >= 1);
            assertTrue(listening.isActive());
            listening.cancel();
            assertFalse(listening.isActive());
            assertFalse(once.get().isActive());
            assertEquals(1, onceCalls.get(), "a listener that cancels itself is not called again");
        }
    }

    /** Records what is wrong with a snapshot, given the one seen before it by the same observer. */
    private static void check(Progress p, Progress before, List<String> broken, String who) {
        int sum = p.done() + p.failed() + p.running() + p.queued() + p.cancelled();
        int doneThere = p.workers().values().stream().mapToInt(Progress.WorkerCounts::done).sum();
        int runningThere = p.workers().values().stream().mapToInt(Progress.WorkerCounts::running).sum();
        if (sum != p.total() || doneThere != p.done() || runningThere != p.running() || p.total() != 2000) {
            broken.add(who + ": " + p);
        }
        if (before != null && (p.done() < before.done() || before.finished())) {
            broken.add(who + ": " + p + " after " + before);
        }
    }

    @Test
    void threadPoolResultsHaveProgressToo() throws Exception {
        try (Pool pool = Pool.threads(2)) {
            Semaphore arrived = new Semaphore(0);
            CountDownLatch release = new CountDownLatch(1);
            MapResult<String> m = pool.mapAsync((Integer x) -> {
                arrived.release();
                assertTrue(release.await(WAIT_SECONDS, TimeUnit.SECONDS));
                return Thread.currentThread().getName();
            }, range(6), 1);
            Recorder recorder = new Recorder();
            m.onProgress(recorder::accept);
            try {
                assertTrue(arrived.tryAcquire(2, WAIT_SECONDS, TimeUnit.SECONDS));
                // A thread pool marks a chunk running on the thread that then runs it, before the task starts.
                Progress held = m.progress();
                assertEquals(List.of(0, 2, 4, 0), List.of(held.done(), held.running(), held.queued(), held.failed()));
                assertEquals(Map.of("t1", 1, "t2", 1), perWorker(held, Progress.WorkerCounts::running));
            } finally {
                release.countDown();
            }
            List<String> threads = m.get(WAIT_SECONDS, TimeUnit.SECONDS);
            Progress last = recorder.awaitFinal();
            assertEquals(Progress.State.DONE, last.state());
            assertEquals(6, last.done());
            Map<String, Integer> ranOn = countBy(threads.stream().map(n -> n.substring(n.lastIndexOf('-') + 1))
                    .collect(Collectors.toList()));
            assertEquals(ranOn, perWorker(last, Progress.WorkerCounts::done));

            AsyncResult<Integer> one = pool.applyAsync(() -> 42);
            assertEquals(42, one.get(WAIT_SECONDS, TimeUnit.SECONDS));
            Progress single = one.progress();
            assertEquals(List.of(1, 1, 0), List.of(single.total(), single.done(), single.running()));
            assertEquals(Progress.State.DONE, single.state());
        }
    }

    @Test
    void progressOfAnEmptyMapIsFinishedAtOnce() throws Exception {
        try (Pool pool = Pool.threads(1)) {
            MapResult<Integer> m = pool.mapAsync((Integer x) -> x, List.of(), 1);
            Progress p = m.progress();
            assertEquals(Progress.State.DONE, p.state());
            assertEquals(List.of(0, 0, 0), List.of(p.total(), p.done(), p.queued()));
            assertEquals(Duration.ZERO, p.elapsed());
            Recorder recorder = new Recorder();
            m.onProgress(recorder::accept);
            assertEquals(p, recorder.awaitFinal());
        }
    }

    @Test
    void aSnapshotChecksItsInvariants() {
        assertThrows(IllegalArgumentException.class,
                () -> new Progress(Progress.State.RUNNING, 3, 1, 0, 1, 0, 0, Duration.ZERO, Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new Progress(Progress.State.RUNNING, 1, 1, 0, 0, 0, 0, Duration.ofSeconds(-1), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new Progress.WorkerCounts(0, -1, 0));
        Map<String, Progress.WorkerCounts> workers = new java.util.LinkedHashMap<>();
        workers.put("w2", new Progress.WorkerCounts(1, 0, 0));
        workers.put("w1", new Progress.WorkerCounts(0, 0, 1));
        Progress p = new Progress(Progress.State.RUNNING, 2, 1, 0, 1, 0, 0, Duration.ZERO, workers);
        workers.clear();
        assertEquals(List.of("w2", "w1"), new ArrayList<>(p.workers().keySet()), "copied, in order");
        assertThrows(UnsupportedOperationException.class, () -> p.workers().clear());
        assertFalse(p.finished());
    }

    @Test
    void theStateMachineHasExactlyTheDocumentedTransitions() {
        List<String> documented = List.of("QUEUED->RUNNING", "QUEUED->DONE", "QUEUED->FAILED", "QUEUED->CANCELLED",
                "RUNNING->DONE", "RUNNING->FAILED", "RUNNING->CANCELLED");
        List<String> allowed = new ArrayList<>();
        for (Progress.State from : Progress.State.values()) {
            for (Progress.State to : Progress.State.values()) {
                if (from.canBecome(to)) {
                    allowed.add(from + "->" + to);
                }
            }
        }
        assertEquals(documented, allowed);
        assertEquals(List.of(Progress.State.DONE, Progress.State.FAILED, Progress.State.CANCELLED),
                java.util.Arrays.stream(Progress.State.values()).filter(Progress.State::isFinal)
                        .collect(Collectors.toList()));
    }
}
