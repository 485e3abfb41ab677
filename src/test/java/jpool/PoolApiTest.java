package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The Pool API on a shared pool of two worker JVMs. */
@ExtendWith(NoWorkersLeft.class)
@Timeout(60)
class PoolApiTest {

    static Pool pool;

    @BeforeAll
    static void start() {
        pool = Pool.create(2);
    }

    @AfterAll
    static void stop() {
        if (pool != null) {
            pool.close();
            assertTrue(pool.isTerminated());
        }
    }

    static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    static long pid() {
        return ProcessHandle.current().pid();
    }

    @Test
    void applyRunsInAnotherJvm() throws Exception {
        long workerPid = pool.apply(PoolApiTest::pid);
        assertTrue(workerPid != pid(), "task ran in the test JVM");
        assertEquals(6, pool.apply((Integer x) -> x * 2, 3));
        assertEquals("ab", pool.apply((String a, String b) -> a + b, "a", "b"));
    }

    @Test
    void mapKeepsInputOrderForEveryChunksize() throws Exception {
        List<Integer> in = range(103);
        List<Integer> expected = in.stream().map(x -> x * x).collect(Collectors.toList());
        assertEquals(expected, pool.map((Integer x) -> x * x, in));
        for (int chunk : new int[] {1, 7, 50, 1000}) {
            assertEquals(expected, pool.map((Integer x) -> x * x, in, chunk), "chunksize " + chunk);
        }
        assertEquals(List.of(), pool.map((Integer x) -> x, List.of()));
    }

    @Test
    void automaticChunksizeFollowsMultiprocessing() {
        assertEquals(1, pool.autoChunksize(0));
        assertEquals(2, pool.autoChunksize(10)); // divmod(10, 8) = (1, 2) -> 2
        assertEquals(1250, pool.autoChunksize(10_000));
        assertEquals(1, pool.autoChunksize(8));
        assertEquals(2, pool.autoChunksize(9));
    }

    @Test
    void starmapAppliesPairs() throws Exception {
        List<Map.Entry<Integer, Integer>> pairs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pairs.add(Map.entry(i, i + 1));
        }
        List<Integer> sums = pool.starmap((Integer a, Integer b) -> a + b, pairs);
        for (int i = 0; i < 20; i++) {
            assertEquals(2 * i + 1, sums.get(i));
        }
        MapResult<Integer> r = pool.starmapAsync((Integer a, Integer b) -> a * b, pairs, 3);
        assertEquals(20, r.get().size());
        assertEquals(19 * 20, r.get().get(19));
    }

    @Test
    void imapYieldsInInputOrderAndImapUnorderedInCompletionOrder() throws Exception {
        List<Integer> in = List.of(600, 0, 0, 0);
        List<Integer> ordered = new ArrayList<>();
        pool.imap((Integer ms) -> {
            Thread.sleep(ms);
            return ms;
        }, in).forEachRemaining(ordered::add);
        assertEquals(in, ordered);

        List<Integer> unordered = new ArrayList<>();
        Iterator<Integer> it = pool.imapUnordered((Integer ms) -> {
            Thread.sleep(ms);
            return ms;
        }, in);
        it.forEachRemaining(unordered::add);
        assertEquals(4, unordered.size());
        assertEquals(0, unordered.get(0), "a fast task should come before the slow one: " + unordered);
        assertTrue(unordered.contains(600));
    }

    @Test
    void imapReportsFailuresPerElementAndContinues() {
        Iterator<Integer> it = pool.imap((Integer x) -> {
            if (x == 1) {
                throw new IllegalArgumentException("one");
            }
            return x;
        }, List.of(0, 1, 2));
        assertEquals(0, it.next());
        CompletionException e = assertThrows(CompletionException.class, it::next);
        assertInstanceOf(TaskFailedException.class, e.getCause());
        assertInstanceOf(IllegalArgumentException.class, e.getCause().getCause());
        assertEquals(2, it.next());
        assertFalse(it.hasNext());
    }

    static class CustomFailure extends Exception {
        CustomFailure(String m) {
            super(m);
        }
    }

    static int fail() throws CustomFailure {
        throw new CustomFailure("bad thing");
    }

    @Test
    void taskExceptionIsRecreatedWithRemoteStackTrace() throws Exception {
        AsyncResult<Integer> r = pool.applyAsync(PoolApiTest::fail);
        TaskFailedException e = assertThrows(TaskFailedException.class, r::get);
        assertInstanceOf(CustomFailure.class, e.getCause());
        assertEquals("bad thing", e.getCause().getMessage());
        assertTrue(Arrays.stream(e.getCause().getStackTrace()).anyMatch(f -> f.getMethodName().equals("fail")),
                "remote stack trace kept");
        assertTrue(r.ready());
        assertFalse(r.successful());
        assertTrue(e.workerId() != null);
    }

    static class Unserializable {
    }

    static class WeirdFailure extends RuntimeException {
        final Object payload = new Unserializable();

        WeirdFailure() {
            super("cannot travel");
        }
    }

    @Test
    void exceptionThatCannotBeSerializedArrivesAsRemoteTaskException() {
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> pool.apply(() -> {
            throw new WeirdFailure();
        }));
        RemoteTaskException remote = assertInstanceOf(RemoteTaskException.class, e.getCause());
        assertEquals(WeirdFailure.class.getName(), remote.remoteClassName());
        assertTrue(remote.getMessage().contains("cannot travel"));
        assertTrue(remote.getStackTrace().length > 0);
    }

    @Test
    void callbacksRunOnTheCallbackThread() throws Exception {
        CountDownLatch latch = new CountDownLatch(2);
        AtomicReference<String> okThread = new AtomicReference<>();
        AtomicReference<Object> value = new AtomicReference<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        pool.applyAsync((Integer x) -> x + 1, 41, v -> {
            value.set(v);
            okThread.set(Thread.currentThread().getName());
            latch.countDown();
        }, t -> latch.countDown());
        pool.applyAsync(() -> {
            throw new IllegalStateException("no");
        }, v -> latch.countDown(), t -> {
            error.set(t);
            latch.countDown();
        });
        assertTrue(latch.await(20, TimeUnit.SECONDS));
        assertEquals(42, value.get());
        assertTrue(okThread.get().startsWith("jpool-callbacks"), okThread.get());
        assertInstanceOf(TaskFailedException.class, error.get());
        assertInstanceOf(IllegalStateException.class, error.get().getCause());

        MapResult<Integer> m = pool.mapAsync((Integer x) -> x, range(10), 0, null, null);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        CountDownLatch later = new CountDownLatch(1);
        m.get();
        m.onSuccess(list -> {
            seen.addAll(list);
            later.countDown();
        });
        assertTrue(later.await(10, TimeUnit.SECONDS), "callback registered after completion still runs");
        assertEquals(range(10), seen);
    }

    @Test
    void getWithTimeoutAwaitReadyAndSuccessful() throws Exception {
        AsyncResult<Integer> slow = pool.applyAsync(() -> {
            Thread.sleep(1500);
            return 1;
        });
        assertThrows(TimeoutException.class, () -> slow.get(50, TimeUnit.MILLISECONDS));
        assertThrows(TimeoutException.class, () -> slow.get(Duration.ofMillis(10)));
        assertFalse(slow.await(Duration.ofMillis(10)));
        assertFalse(slow.ready());
        assertThrows(IllegalStateException.class, slow::successful);
        assertTrue(slow.await(Duration.ofSeconds(30)));
        assertTrue(slow.ready());
        assertTrue(slow.successful());
        assertEquals(1, slow.get(1, TimeUnit.SECONDS));
    }

    @Test
    void toCompletableFutureCompletes() throws Exception {
        CompletableFuture<Integer> cf = pool.applyAsync(() -> 5).toCompletableFuture();
        assertEquals(10, cf.thenApply(x -> x * 2).get(20, TimeUnit.SECONDS));
        CompletableFuture<Integer> bad = pool.<Integer>applyAsync(() -> {
            throw new ArithmeticException("x");
        }).toCompletableFuture();
        ExecutionException e = assertThrows(ExecutionException.class, () -> bad.get(20, TimeUnit.SECONDS));
        assertInstanceOf(TaskFailedException.class, e.getCause());
    }

    @Test
    void metadataAndCapturedOutput() throws Exception {
        AsyncResult<String> r = pool.applyAsync(() -> {
            System.out.println("hello out");
            System.err.println("hello err ü");
            return "ok";
        });
        assertEquals("ok", r.get());
        assertEquals("hello out\n", r.stdout());
        assertEquals("hello err ü\n", r.stderr());
        assertTrue(r.workerId().isPresent());
        assertTrue(r.started().isPresent());
        assertTrue(r.finished().isPresent());
        assertFalse(r.started().get().isBefore(r.submitted().minusSeconds(1)));
        assertFalse(r.finished().get().isBefore(r.started().get()));
    }

    @Test
    void outputStreamsWhileTheTaskRuns() throws Exception {
        List<OutputChunk> chunks = new CopyOnWriteArrayList<>();
        CountDownLatch firstLine = new CountDownLatch(1);
        AsyncResult<Integer> r = pool.applyAsync(() -> {
            System.out.println("first");
            Thread.sleep(1500);
            System.out.println("second");
            return 1;
        });
        r.onOutput(c -> {
            chunks.add(c);
            firstLine.countDown();
        });
        assertTrue(firstLine.await(20, TimeUnit.SECONDS));
        assertFalse(r.ready(), "output arrived before the task finished");
        assertEquals(1, r.get());
        // get() may return before the listener has seen the last line; onSuccess runs after it has.
        CountDownLatch succeeded = new CountDownLatch(1);
        r.onSuccess(v -> succeeded.countDown());
        assertTrue(succeeded.await(20, TimeUnit.SECONDS));
        String all = chunks.stream().map(OutputChunk::text).collect(Collectors.joining());
        assertEquals("first\nsecond\n", all);
        assertEquals(OutputChunk.Stream.STDOUT, chunks.get(0).stream());
        assertEquals(r.workerId().get(), chunks.get(0).workerId());
    }

    @Test
    void progressCountsOfAMap() throws Exception {
        MapResult<Integer> m = pool.mapAsync((Integer x) -> {
            Thread.sleep(30);
            if (x % 10 == 3) {
                throw new IllegalStateException("bad " + x);
            }
            return x;
        }, range(40), 1);
        assertEquals(40, m.total());
        assertEquals(40, m.done() + m.failed() + m.running() + m.queued());
        assertTrue(m.await(Duration.ofSeconds(30)));
        assertEquals(36, m.done());
        assertEquals(4, m.failed());
        assertEquals(0, m.running());
        assertEquals(0, m.queued());
        assertEquals(List.of(3, 13, 23, 33), new ArrayList<>(m.failures().keySet()));
        TaskFailedException e = assertThrows(TaskFailedException.class, m::get);
        assertTrue(e.getCause().getMessage().contains("bad 3"), "the lowest failed index is reported");
        assertEquals(null, m.partialResults().get(3));
        assertEquals(4, m.partialResults().get(4));
    }

    @Test
    void nonSerializableFunctionFailsAtSubmitWithAdvice() {
        Unserializable captured = new Unserializable();
        NotSerializableTaskException e = assertThrows(NotSerializableTaskException.class,
                () -> pool.applyAsync(() -> captured.hashCode()));
        assertTrue(e.getMessage().contains("jpool.Fn"), e.getMessage());
        assertTrue(e.getMessage().contains(Unserializable.class.getName()), e.getMessage());
    }

    @Test
    void nonSerializableArgumentFailsThatTaskOnly() throws Exception {
        assertThrows(NotSerializableTaskException.class, () -> pool.applyAsync((Object o) -> 1, new Unserializable()));
        List<Object> in = new ArrayList<>(List.of("a", "b"));
        in.add(1, new Unserializable());
        MapResult<Object> m = pool.mapAsync((Object o) -> o.toString().length(), in, 3);
        assertTrue(m.await(Duration.ofSeconds(20)));
        assertEquals(List.of(1), new ArrayList<>(m.failures().keySet()));
        Throwable cause = m.failures().get(1).getCause();
        assertInstanceOf(NotSerializableTaskException.class, cause);
        assertTrue(cause.getMessage().contains(Unserializable.class.getName()));
        assertEquals(Arrays.asList(1, null, 1), m.partialResults());
    }

    @Test
    void nonSerializableResultFailsThatTaskOnly() throws Exception {
        MapResult<Object> m = pool.mapAsync((Integer x) -> x == 2 ? new Unserializable() : (Object) x, range(4), 4);
        assertTrue(m.await(Duration.ofSeconds(20)));
        assertEquals(List.of(2), new ArrayList<>(m.failures().keySet()));
        Throwable cause = m.failures().get(2).getCause();
        assertTrue(cause.getMessage().contains("Serializable"), cause.getMessage());
        assertEquals(Arrays.asList(0, 1, null, 3), m.partialResults());
    }

    /**
     * Both workers are held at a gate while a map of five tasks waits behind them; the map is cancelled,
     * the gate opened and the pool drained by shutdown and join. Each task would leave a file: none may.
     *
     * <p>The five must wait in the pool's queue, not in a worker's prefetch: a worker drops prefetched
     * units when the cancel reaches it, and a task released at the gate could start one before that.
     * A worker whose tasks take 5 ms or more prefetches nothing behind a running task, so each worker
     * first runs one task of 10 ms.
     */
    @Test
    void cancelQueuedTaskNeverRuns(@TempDir Path dir) throws Exception {
        String d = dir.toString();
        Pool fresh = Pool.create(2);
        try (StatusTest.Gate gate = new StatusTest.Gate()) {
            int port = gate.port();
            List<AsyncResult<Long>> warmUp = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                warmUp.add(fresh.applyAsync(() -> {
                    long pid = StatusTest.Gate.pass(port);
                    Thread.sleep(10);
                    return pid;
                }));
            }
            List<StatusTest.Held> first = List.of(gate.awaitTask(), gate.awaitTask()); // so one on each worker
            for (StatusTest.Held h : first) {
                h.close();
            }
            for (AsyncResult<Long> w : warmUp) {
                w.get();
            }
            List<AsyncResult<Long>> blockers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                blockers.add(fresh.applyAsync(() -> StatusTest.Gate.pass(port)));
            }
            List<StatusTest.Held> held = List.of(gate.awaitTask(), gate.awaitTask());
            assertEquals(2, held.stream().map(StatusTest.Held::pid).distinct().count(), "both workers held");
            MapResult<Integer> queued = fresh.mapAsync((Integer x) -> {
                Files.writeString(Path.of(d, "ran-" + x), "");
                return x;
            }, range(5), 1);
            assertTrue(queued.cancel(false));
            assertTrue(queued.isCancelled());
            assertTrue(queued.ready());
            assertThrows(CancellationException.class, queued::get);
            assertFalse(queued.successful());
            assertFalse(queued.cancel(true), "cancel of a completed result returns false");
            for (StatusTest.Held h : held) {
                h.close();
            }
            Set<Long> ran = new HashSet<>();
            for (AsyncResult<Long> b : blockers) {
                ran.add(b.get());
            }
            assertEquals(held.stream().map(StatusTest.Held::pid).collect(Collectors.toSet()), ran);
            assertEquals(2, fresh.apply((Integer x) -> x + 1, 1));
            fresh.shutdown();
            fresh.join(); // every task that was not cancelled has run by now
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(), files.map(p -> p.getFileName().toString()).collect(Collectors.toList()),
                        "cancelled tasks ran");
            }
        } finally {
            fresh.terminate();
        }
    }

    @Test
    void cancelRunningTaskInterruptsIt() throws Exception {
        List<Long> pidsBefore = pool.workers().stream().map(PoolWorker::pid).sorted().collect(Collectors.toList());
        AsyncResult<String> r = pool.applyAsync(() -> {
            System.out.println("started");
            Thread.sleep(60_000);
            return "not interrupted";
        });
        CountDownLatch started = new CountDownLatch(1);
        r.onOutput(c -> started.countDown());
        assertTrue(started.await(20, TimeUnit.SECONDS));
        assertTrue(r.cancel(true));
        assertThrows(CancellationException.class, r::get);
        // the interrupted worker keeps serving
        for (int i = 0; i < 4; i++) {
            assertEquals(i, pool.apply((Integer x) -> x, i));
        }
        List<Long> pidsAfter = pool.workers().stream().map(PoolWorker::pid).sorted().collect(Collectors.toList());
        assertEquals(pidsBefore, pidsAfter, "an interruptible task does not cost a worker");
    }

    @Test
    void statsAndWorkersCountExactly() throws Exception {
        try (Pool fresh = Pool.create(2)) {
            StatusTest.awaitReady(fresh, 2);
            assertEquals(2, fresh.processes());
            assertEquals(range(10), fresh.map((Integer x) -> x, range(10), 1));
            PoolStats s = fresh.stats();
            assertEquals(2, s.workersStarted(), s.toString());
            assertEquals(0, s.workersLost(), s.toString());
            assertEquals(0, s.tasksRetried(), s.toString());
            assertEquals(10, s.chunksCompleted(), s.toString());
            assertEquals(0, s.dropped(), s.toString());
            List<PoolWorker> workers = fresh.workers();
            assertEquals(2, workers.size(), workers.toString());
            assertEquals(10, workers.stream().mapToLong(PoolWorker::tasksDone).sum(), workers.toString());
        }
    }

    @Test
    void jobWithoutResult() throws Exception {
        AsyncResult<Void> r = pool.applyAsync((Job) () -> System.out.print("side effect"));
        assertEquals(null, r.get());
        assertEquals("side effect", r.stdout());
    }

    /** A serializable record travels both ways. */
    record Point(int x, int y) implements Serializable {
    }

    @Test
    void recordsTravel() throws Exception {
        assertEquals(new Point(2, 4), pool.apply((Point p) -> new Point(p.x() * 2, p.y() * 2), new Point(1, 2)));
        byte[] big = pool.apply(() -> {
            byte[] b = new byte[1 << 20];
            b[12345] = 7;
            return b;
        });
        assertEquals(1 << 20, big.length);
        assertEquals(7, big[12345]);
    }

    /**
     * A quick task submitted after a long one runs at once on the other worker, whichever worker has the
     * larger prefetch credit. (It once waited behind the long task: CI saw invokeAny return the slow
     * task's result.)
     */
    @Test
    void quickTaskDoesNotWaitBehindALongOne() throws Exception {
        try (Pool fresh = Pool.create(2)) {
            for (int i = 0; i < 20; i++) {
                fresh.apply(() -> 0); // one after another: these tend to land on one worker, whose credit grows
            }
            quickAfterLong(fresh);
        }
        quickAfterLong(pool);
    }

    private static void quickAfterLong(Pool pool) throws Exception {
        for (int round = 0; round < 3; round++) {
            AsyncResult<Integer> slow = pool.applyAsync(() -> {
                Thread.sleep(20_000);
                return 1;
            });
            AsyncResult<Integer> quick = pool.applyAsync(() -> 2);
            try {
                assertEquals(2, quick.get(5, TimeUnit.SECONDS), "round " + round);
                assertFalse(slow.isDone());
            } finally {
                slow.cancel(true);
            }
            assertThrows(CancellationException.class, slow::get);
        }
    }
}
