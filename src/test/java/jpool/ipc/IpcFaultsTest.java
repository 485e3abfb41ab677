package jpool.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import jpool.AsyncResult;
import jpool.Pool;
import jpool.WorkerLostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Processes that die: a consumer killed mid-stream, an owner that exits. */
@ExtendWith(IpcDiagnostics.class)
@Timeout(180)
class IpcFaultsTest {

    @Test
    void aConsumerKilledMidStreamFailsCleanlyAndTheOthersGoOn() throws Exception {
        try (Pool pool = IpcTestSupport.pool(2)) {
            try {
                consumerKilledMidStream(pool);
            } finally {
                pool.terminate(); // on a failure a consumer may still wait in get(): close() alone would wait for it
            }
        }
    }

    private static void consumerKilledMidStream(Pool pool) throws Exception {
        {
            IpcQueue<Integer> q = Ipc.queue(10);
            IpcQueue<Long> pids = Ipc.queue();
            long victim = pool.onEachWorker(jpool.WorkerTargets.indexes(0), () -> ProcessHandle.current().pid())
                    .values().iterator().next();
            List<IpcTestSupport.Pinned<Set<Integer>>> consumers = List.of(
                    IpcTestSupport.on(pool, 0, () -> consume(q, pids)), IpcTestSupport.on(pool, 1, () -> consume(q, pids)));
            long first = pids.get(60, TimeUnit.SECONDS);
            long second = pids.get(60, TimeUnit.SECONDS);
            assertTrue(victim == first || victim == second);
            for (int i = 0; i < 500; i++) {
                q.put(i); // bounded: this waits for the consumers
            }
            ProcessHandle.of(victim).orElseThrow().destroyForcibly(); // SIGKILL, mid-stream
            ExecutionException lost = assertThrows(ExecutionException.class, () -> consumers.get(0).get(60, TimeUnit.SECONDS));
            assertInstanceOf(WorkerLostException.class, lost, "the killed consumer's task failed with WorkerLostException");
            var alive = consumers.get(1);
            for (int i = 500; i < 1000; i++) {
                q.put(i); // no hang: the dead consumer's waiting get was dropped, the survivor takes all
            }
            q.put(-1);
            Set<Integer> got = alive.get(120, TimeUnit.SECONDS);
            for (int i = 500; i < 1000; i++) {
                assertTrue(got.contains(i), "item " + i + " put after the kill reached the survivor");
            }
            assertTrue(q.isEmpty());
        }
    }

    static Set<Integer> consume(IpcQueue<Integer> q, IpcQueue<Long> pids) throws InterruptedException {
        pids.put(ProcessHandle.current().pid());
        Set<Integer> got = new HashSet<>();
        for (int x = q.get(); x >= 0; x = q.get()) {
            if (!got.add(x)) {
                throw new IllegalStateException("item " + x + " arrived twice");
            }
        }
        return got;
    }

    @Test
    void anOwnerThatDiesMakesTheOthersCallsFailWithinBoundedTime() throws Exception {
        try (Pool pool = IpcTestSupport.pool(1)) {
            // The queue belongs to the worker: made there, it comes back as a handle of this JVM.
            List<Object> made = pool.apply(() -> {
                IpcQueue<String> q = Ipc.queue();
                q.put("before");
                q.put("lost");
                return List.<Object>of(q, ProcessHandle.current().pid());
            });
            @SuppressWarnings("unchecked")
            IpcQueue<String> q = (IpcQueue<String>) made.get(0);
            long owner = (Long) made.get(1);
            assertEquals("before", q.get(30, TimeUnit.SECONDS));
            assertEquals(1, q.size());
            ProcessHandle.of(owner).orElseThrow().destroyForcibly();
            long t0 = System.nanoTime();
            IpcOwnerLostException e = assertThrows(IpcOwnerLostException.class, () -> {
                while (true) {
                    q.get(); // a waiting get: must not hang
                }
            });
            long waited = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(waited < Hub.SILENCE_NANOS / 1_000_000, "an exited owner is noticed by its pid, well within the"
                    + " silence limit; failed after " + waited + " ms");
            assertTrue(e.getMessage().contains("has exited"), e.getMessage());
            assertTrue(e.getMessage().contains("pid " + owner), e.getMessage());
            // and every later call fails at once
            assertThrows(IpcOwnerLostException.class, () -> q.put("x"));
            assertFalse(Thread.currentThread().isInterrupted());
        }
    }
}
