package jpool.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jpool.AsyncResult;
import jpool.Pool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Managed locks, semaphores, events and barriers between this JVM (the owner) and worker JVMs. */
@ExtendWith(IpcDiagnostics.class)
@Timeout(180)
class ManagedSyncTest extends TwoWorkerTestBase {

    private static final IpcManager m = Ipc.manager();

    @Test
    void aLockHeldByAWorkerKeepsThisJvmOutUntilReleased() throws Exception {
        ManagedLock lock = m.lock();
        ManagedEvent held = m.event();
        ManagedEvent go = m.event();
        AsyncResult<Boolean> worker = pool.applyAsync(() -> {
            try (ManagedHold h = lock.hold()) {
                held.set();
                return go.await(60, TimeUnit.SECONDS);
            }
        });
        assertTrue(held.await(60, TimeUnit.SECONDS));
        assertTrue(lock.isLocked());
        assertFalse(lock.tryLock(), "the worker holds it");
        assertFalse(lock.tryLock(20, TimeUnit.MILLISECONDS));
        go.set();
        assertTrue(lock.tryLock(60, TimeUnit.SECONDS), "the worker released it");
        assertTrue(worker.get(60, TimeUnit.SECONDS));
        // not reentrant: the holder itself cannot take it again
        assertFalse(lock.tryLock());
        lock.unlock();
        assertFalse(lock.isLocked());
        IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, lock::unlock);
        assertTrue(e.getMessage().contains("unlocked"), e.getMessage());
        // the same error in a worker
        String remote = pool.apply(() -> {
            try {
                lock.unlock();
                return "no error";
            } catch (IllegalMonitorStateException x) {
                return x.getMessage();
            }
        });
        assertTrue(remote.contains("unlocked"), remote);
        // a lock may be released by another process than the one that took it, as in Python
        lock.lock();
        pool.apply(() -> {
            lock.unlock();
            return null;
        });
        assertTrue(lock.tryLock());
        lock.unlock();
    }

    @Test
    void aReentrantLockIsHeldPerThread() throws Exception {
        ManagedRLock r = m.rLock();
        r.lock();
        r.lock();
        assertEquals(2, r.getHoldCount());
        // another thread of this process, and a thread of a worker, are kept out
        boolean[] other = new boolean[2];
        Thread t = new Thread(() -> {
            other[0] = r.tryLock();
            try {
                r.unlock();
            } catch (IllegalMonitorStateException e) {
                other[1] = true;
            }
        });
        t.start();
        t.join();
        assertFalse(other[0]);
        assertTrue(other[1], "a thread that does not hold it cannot unlock it");
        assertFalse(pool.apply(() -> r.tryLock()));
        r.unlock();
        assertTrue(r.isHeldByCurrentThread());
        r.unlock();
        assertEquals(0, r.getHoldCount());
        // reentrant in a worker too, with try-with-resources
        assertEquals(2, pool.apply(() -> {
            try (ManagedHold a = r.hold(); ManagedHold b = r.hold()) {
                return r.getHoldCount();
            }
        }));
        assertTrue(r.tryLock());
        r.unlock();
    }

    @Test
    void aBoundedSemaphoreCountsPermitsAcrossProcesses() throws Exception {
        ManagedSemaphore s = m.boundedSemaphore(2);
        assertTrue(pool.apply(() -> s.tryAcquire()));
        assertTrue(pool.apply(() -> s.tryAcquire(10, TimeUnit.SECONDS)));
        assertEquals(0, s.availablePermits());
        assertFalse(s.tryAcquire(20, TimeUnit.MILLISECONDS));
        pool.apply(() -> {
            s.release();
            return null;
        });
        assertTrue(s.tryAcquire(60, TimeUnit.SECONDS));
        s.release();
        s.release();
        assertEquals(2, s.availablePermits());
        IllegalStateException e = assertThrows(IllegalStateException.class, s::release);
        assertTrue(e.getMessage().contains("more times"), e.getMessage());
        String remote = pool.apply(() -> {
            try {
                s.release();
                return "no error";
            } catch (IllegalStateException x) {
                return x.getMessage();
            }
        });
        assertTrue(remote.contains("more times"), remote);
        // an unbounded one may be raised
        ManagedSemaphore u = m.semaphore(0);
        assertFalse(u.tryAcquire());
        pool.apply(() -> {
            u.release();
            u.release();
            return null;
        });
        assertEquals(2, u.availablePermits());
    }

    @Test
    void aWorkerWaitsForAnEventThisJvmSets() throws Exception {
        ManagedEvent e = m.event();
        ManagedEvent ready = m.event();
        assertFalse(e.await(10, TimeUnit.MILLISECONDS));
        AsyncResult<Boolean> waiter = pool.applyAsync(() -> {
            boolean early = e.await(10, TimeUnit.MILLISECONDS);
            ready.set();
            return !early && e.await(60, TimeUnit.SECONDS) && e.isSet();
        });
        assertTrue(ready.await(60, TimeUnit.SECONDS));
        e.set();
        assertTrue(waiter.get(60, TimeUnit.SECONDS));
        e.clear();
        assertFalse(e.isSet());
        assertFalse(pool.apply(() -> e.await(10, TimeUnit.MILLISECONDS)));
    }

    @Test
    void threePartiesInThreeProcessesMeetAtABarrier() throws Exception {
        ManagedBarrier b = m.barrier(3);
        List<IpcTestSupport.Pinned<Integer>> parties = List.of(
                IpcTestSupport.on(pool, 0, () -> b.await(60, TimeUnit.SECONDS)),
                IpcTestSupport.on(pool, 1, () -> b.await(60, TimeUnit.SECONDS)));
        Set<Integer> indexes = new HashSet<>();
        indexes.add(b.await(60, TimeUnit.SECONDS));
        for (var p : parties) {
            indexes.add(p.get(60, TimeUnit.SECONDS));
        }
        assertEquals(Set.of(0, 1, 2), indexes);
        assertEquals(0, b.getNumberWaiting());
        assertEquals(3, b.parties());
    }

    @Test
    void aPartyThatTimesOutBreaksTheBarrierForTheOthers() throws Exception {
        ManagedBarrier b = m.barrier(3);
        ManagedEvent waiting = m.event();
        IpcTestSupport.Pinned<String> worker = IpcTestSupport.on(pool, 0, () -> {
            waiting.set();
            try {
                b.await(60, TimeUnit.SECONDS);
                return "tripped";
            } catch (BrokenBarrierException x) {
                return "broken";
            }
        });
        assertTrue(waiting.await(60, TimeUnit.SECONDS));
        assertThrows(TimeoutException.class, () -> b.await(50, TimeUnit.MILLISECONDS));
        assertEquals("broken", worker.get(60, TimeUnit.SECONDS));
        assertTrue(b.isBroken());
        assertThrows(BrokenBarrierException.class, b::await);
        b.reset();
        assertFalse(b.isBroken());
    }

    @Test
    void badArgumentsGiveClearErrors() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> m.semaphore(-1)).getMessage().contains("-1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> m.boundedSemaphore(0)).getMessage().contains("at least 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> m.barrier(0)).getMessage().contains("at least 1"));
        ManagedLock l = m.lock();
        assertThrows(IllegalArgumentException.class, () -> l.tryLock(-1, TimeUnit.SECONDS));
        assertThrows(UnsupportedOperationException.class, l::newCondition);
    }

    @Test
    void aHolderKilledWithSigkillReleasesTheLockToAWaiter() throws Exception {
        ManagedLock lock = m.lock();
        ManagedSemaphore permits = m.semaphore(1);
        IpcQueue<Long> pids = Ipc.queue();
        ManagedEvent never = m.event();
        try (Pool own = IpcTestSupport.pool(1)) {
            try {
                AsyncResult<Boolean> holder = own.applyAsync(() -> {
                    lock.lock();
                    permits.acquire();
                    pids.put(ProcessHandle.current().pid());
                    return never.await(120, TimeUnit.SECONDS);
                });
                long pid = pids.get(60, TimeUnit.SECONDS);
                assertFalse(lock.tryLock());
                assertFalse(permits.tryAcquire());
                ProcessHandle.of(pid).orElseThrow().destroyForcibly();
                assertTrue(lock.tryLock(60, TimeUnit.SECONDS), "the dead holder's lock went to this waiter");
                assertTrue(permits.tryAcquire(60, TimeUnit.SECONDS), "and its permit came back");
                ExecutionException lost = assertThrows(ExecutionException.class, () -> holder.get(60, TimeUnit.SECONDS));
                assertInstanceOf(jpool.WorkerLostException.class, lost, "the killed holder's task failed with WorkerLostException");
                lock.unlock();
            } finally {
                own.terminate();
            }
        }
    }
}
