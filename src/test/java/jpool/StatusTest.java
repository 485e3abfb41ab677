package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What results and workers report about themselves while tasks run and after they end: every report
 * must be true at the moment it is read.
 *
 * <p>A task that must stay running is held by {@link Gate}: it connects to a server socket of the
 * test JVM, sends its worker's pid and blocks until the test writes one byte, which works as a latch
 * across processes.
 */
@ExtendWith(NoWorkersLeft.class)
@Timeout(120)
class StatusTest {

    /** A latch across processes: tasks call {@link #pass(int)}, the test {@link #awaitTask} and release. */
    static final class Gate implements AutoCloseable {
        private final ServerSocket server;

        Gate() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            server.setSoTimeout(60_000);
        }

        int port() {
            return server.getLocalPort();
        }

        /** Run by the task: reports its pid, then blocks until released; returns the pid. */
        static long pass(int port) throws IOException {
            long pid = ProcessHandle.current().pid();
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.writeLong(pid);
                out.flush();
                if (s.getInputStream().read() != 1) {
                    throw new IOException("the gate closed without releasing the task");
                }
            }
            return pid;
        }

        /** Waits until a task has reached the gate; the returned task is running until released. */
        Held awaitTask() throws IOException {
            Socket s = server.accept();
            return new Held(s, new DataInputStream(s.getInputStream()).readLong());
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** A task held at the gate. */
    record Held(Socket socket, long pid) implements AutoCloseable {
        /** Lets the task return. */
        @Override
        public void close() throws IOException {
            try (socket) {
                socket.getOutputStream().write(1);
                socket.getOutputStream().flush();
            }
        }
    }

    /** Waits, checking every millisecond, until the condition holds; fails after the deadline. */
    static void await(BooleanSupplier condition, Duration limit, String what) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within " + limit + ": " + what);
            LockSupport.parkNanos(1_000_000L);
        }
    }

    static void awaitReady(Pool pool, int n) {
        await(() -> pool.workers().stream().filter(w -> w.state() == PoolWorker.State.READY).count() == n,
                Duration.ofSeconds(30), n + " READY workers, have " + pool.workers());
    }

    static PoolWorker workerWithPid(Pool pool, long pid) {
        List<PoolWorker> matching = pool.workers().stream().filter(w -> w.pid() == pid).collect(Collectors.toList());
        assertEquals(1, matching.size(), "workers with pid " + pid + ": " + pool.workers());
        return matching.get(0);
    }

    @Test
    void runningTaskReportsItsWorkerAndStartTime() throws Exception {
        try (Pool pool = Pool.create(2); Gate gate = new Gate()) {
            int port = gate.port();
            AsyncResult<Long> r = pool.applyAsync(() -> Gate.pass(port));
            Instant startedBefore;
            long pid;
            try (Held held = gate.awaitTask()) {
                startedBefore = Instant.now();
                pid = held.pid();
                String wid = workerWithPid(pool, pid).id();
                await(() -> r.workerId().isPresent() && r.started().isPresent(), Duration.ofSeconds(10),
                        "workerId and started of a running task");
                assertFalse(r.isDone());
                assertEquals(Optional.of(wid), r.workerId());
                assertFalse(r.started().get().isBefore(r.submitted()), r.started() + " before " + r.submitted());
                assertFalse(r.started().get().isAfter(startedBefore), r.started() + " after " + startedBefore);
                assertEquals(Optional.empty(), r.finished());
            }
            assertEquals(pid, r.get());
            assertEquals(workerWithPid(pool, pid).id(), r.workerId().get());
            assertFalse(r.finished().get().isBefore(r.started().get()));
        }
    }

    @Test
    void runningTaskOnThreadsReportsItsWorkerAndStartTime() throws Exception {
        try (Pool pool = Pool.threads(1)) {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AsyncResult<String> r = pool.applyAsync(() -> {
                running.countDown();
                assertTrue(release.await(60, TimeUnit.SECONDS));
                return Thread.currentThread().getName();
            });
            try {
                assertTrue(running.await(30, TimeUnit.SECONDS));
                assertEquals(Optional.of("t1"), r.workerId());
                assertTrue(r.started().isPresent());
                assertFalse(r.started().get().isBefore(r.submitted()));
                assertFalse(r.isDone());
            } finally {
                release.countDown();
            }
            assertTrue(r.get().endsWith("-t1"), r.get());
        }
    }

    @Test
    void workerRunningATaskIsBusyAndReadyAgainAfterwards() throws Exception {
        try (Pool pool = Pool.create(2); Gate gate = new Gate()) {
            awaitReady(pool, 2);
            int port = gate.port();
            AsyncResult<Long> r = pool.applyAsync(() -> Gate.pass(port));
            long pid;
            try (Held held = gate.awaitTask()) {
                pid = held.pid();
                Map<Long, PoolWorker.State> states = pool.workers().stream()
                        .collect(Collectors.toMap(PoolWorker::pid, PoolWorker::state));
                assertEquals(2, states.size(), states.toString());
                assertEquals(PoolWorker.State.BUSY, states.get(pid), states.toString());
                assertEquals(List.of(PoolWorker.State.READY), states.entrySet().stream().filter(e -> e.getKey() != pid)
                        .map(Map.Entry::getValue).collect(Collectors.toList()), states.toString());
            }
            assertEquals(pid, r.get());
            assertEquals(PoolWorker.State.READY, workerWithPid(pool, pid).state(), pool.workers().toString());
        }
    }

    @Test
    void tasksDoneCountsTheTasksEachWorkerCompleted() throws Exception {
        try (Pool pool = Pool.create(2)) {
            Map<Long, Long> ranOn = new HashMap<>();
            for (int i = 0; i < 101; i++) {
                long pid = pool.apply((Integer x) -> ProcessHandle.current().pid(), i);
                ranOn.merge(pid, 1L, Long::sum);
            }
            Map<Long, Long> reported = pool.workers().stream().filter(w -> ranOn.containsKey(w.pid()))
                    .collect(Collectors.toMap(PoolWorker::pid, PoolWorker::tasksDone));
            assertEquals(ranOn, reported, pool.workers().toString());
            assertEquals(101L, pool.workers().stream().mapToLong(PoolWorker::tasksDone).sum());
        }
    }

    @Test
    void stderrWrittenBeforeSystemExitIsInLastStderr() throws Exception {
        try (Pool pool = Pool.create(1)) {
            AsyncResult<Integer> r = pool.applyAsync(() -> {
                System.err.println("last words before exit 3");
                System.err.print("and a line without newline");
                System.exit(3);
                return 0;
            });
            WorkerLostException e = assertThrows(WorkerLostException.class, r::get);
            assertEquals(3, e.exitCode());
            assertEquals(List.of("last words before exit 3", "and a line without newline"), e.lastStderr());
            assertTrue(e.getMessage().contains("last words before exit 3"), e.getMessage());
        }
    }

    /**
     * The worker's own threads write nothing to its stderr while it exits: the stdin watchdog, woken when
     * the controller closes the pipe, used to signal the I/O thread through a socket whose context was
     * already closed and died with a ZMQException trace. It is a race, lost in most exits; six tries.
     */
    @RepeatedTest(6)
    void workerExitAddsNoErrorOfItsOwnToLastStderr() throws Exception {
        try (Pool pool = Pool.create(1)) {
            AsyncResult<Integer> r = pool.applyAsync(() -> {
                System.err.println("exiting now");
                System.exit(3);
                return 0;
            });
            WorkerLostException e = assertThrows(WorkerLostException.class, r::get);
            assertEquals(List.of("exiting now"), e.lastStderr());
        }
    }
}
