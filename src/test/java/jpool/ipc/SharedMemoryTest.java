package jpool.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Shared values and arrays between this JVM and worker JVMs: the same memory, seen by all. */
@Timeout(180)
class SharedMemoryTest extends TwoWorkerTestBase {


    @Test
    void aChildChangesTheParentsValueAndArrayInPlace() throws Exception {
        // The tutorial's lesson: a child negates a shared array and sets a shared value; the parent sees it.
        SharedDouble num = Ipc.sharedDouble(0.0);
        SharedIntArray arr = Ipc.sharedIntArrayOf(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        pool.apply(() -> {
            num.set(3.1415927);
            for (int i = 0; i < arr.length(); i++) {
                arr.set(i, -arr.get(i));
            }
            return null;
        });
        assertEquals(3.1415927, num.get());
        assertArrayEquals(new int[] {0, -1, -2, -3, -4, -5, -6, -7, -8, -9}, arr.toArray());
        assertEquals("SharedIntArray[0, -1, -2, -3, -4, -5, -6, -7, -8, -9]", arr.toString());
        // and a change here is seen by a worker that already holds the memory
        arr.set(9, 90);
        assertEquals(90, pool.apply(() -> arr.get(9)));
    }

    @Test
    void twoProcessesIncrementingUnderTheLockLoseNoUpdate() throws Exception {
        SharedInt counter = Ipc.sharedInt(0);
        SharedInt atomic = Ipc.sharedInt(0);
        SharedDouble sum = Ipc.sharedDouble(0);
        int per = 20_000;
        var a = IpcTestSupport.on(pool, 0, () -> add(counter, atomic, sum, per));
        var b = IpcTestSupport.on(pool, 1, () -> add(counter, atomic, sum, per));
        add(counter, atomic, sum, per); // and this JVM at the same time
        a.get(120, TimeUnit.SECONDS);
        b.get(120, TimeUnit.SECONDS);
        assertEquals(3 * per, counter.get(), "read-modify-write under the lock");
        assertEquals(3 * per, atomic.get(), "incrementAndGet without a lock");
        assertEquals(3 * per * 0.5, sum.get(), "addAndGet of doubles");
        assertFalse(counter.lock().isLocked());
    }

    private static Void add(SharedInt counter, SharedInt atomic, SharedDouble sum, int n) {
        for (int i = 0; i < n; i++) {
            counter.lock().lock();
            try {
                counter.set(counter.get() + 1);
            } finally {
                counter.lock().unlock();
            }
            atomic.incrementAndGet();
            sum.addAndGet(0.5);
        }
        return null;
    }

    @Test
    void theLockIsReentrantAndOnlyItsHolderMayUnlockIt() throws Exception {
        SharedInt v = Ipc.sharedInt(7);
        SharedLock lock = v.lock();
        lock.lock();
        lock.lock();
        assertTrue(lock.isHeldByCurrentThread());
        lock.unlock();
        assertTrue(lock.isLocked(), "held once more");
        assertFalse(pool.apply(() -> v.lock().tryLock(100, TimeUnit.MILLISECONDS)), "another process waits and gives up");
        Thread other = new Thread(() -> assertThrows(IllegalMonitorStateException.class, lock::unlock));
        other.start();
        other.join();
        lock.unlock();
        assertFalse(lock.isLocked());
        assertTrue(pool.apply(() -> {
            boolean got = v.lock().tryLock(10, TimeUnit.SECONDS);
            v.lock().unlock();
            return got;
        }));
        assertThrows(IllegalMonitorStateException.class, lock::unlock);
        assertThrows(UnsupportedOperationException.class, lock::newCondition);
    }

    @Test
    void aLockWhoseHolderWasKilledIsTakenOver() throws Exception {
        SharedInt v = Ipc.sharedInt(0);
        IpcQueue<Long> held = Ipc.queue();
        var holder = IpcTestSupport.on(pool, 0, () -> {
            v.lock().lock();
            v.set(1); // half-way through an update ...
            held.put(ProcessHandle.current().pid());
            Thread.sleep(600_000); // ... when the process is killed
            return null;
        });
        long pid = held.get(60, TimeUnit.SECONDS);
        assertFalse(v.lock().tryLock(), "held by the worker");
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        assertThrows(java.util.concurrent.ExecutionException.class, () -> holder.get(60, TimeUnit.SECONDS));
        assertTrue(v.lock().tryLock(30, TimeUnit.SECONDS), "taken over from the killed holder");
        try {
            assertEquals(1, v.get(), "what the holder wrote stays");
            assertEquals(1, v.lock().takeOvers());
        } finally {
            v.lock().unlock();
        }
    }

    @Test
    void aHandleTravelsAsAReferenceAndComesBackAsTheSameMemory() throws Exception {
        SharedDoubleArray a = Ipc.sharedDoubleArray(3);
        Object back = roundTrip(a);
        assertNotSame(a, back);
        assertEquals(a, back, "the same memory");
        assertSame(a.lock(), ((SharedDoubleArray) back).lock(), "one lock per memory in a JVM");
        ((SharedDoubleArray) back).set(2, 2.5);
        assertEquals(2.5, a.get(2));
        SharedDoubleArray big = Ipc.sharedDoubleArray(100_000);
        assertTrue(ByteCount.of(big) < 1_000, "a reference, not a copy of the elements");
    }

    @Test
    void badIndexesAndLengthsAreRefused() {
        SharedIntArray a = Ipc.sharedIntArray(2);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> a.get(2));
        assertTrue(e.getMessage().contains("length 2"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> a.set(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> Ipc.sharedDoubleArray(-1));
        assertEquals(0, Ipc.sharedIntArray(0).toArray().length);
    }

    @Test
    void memoryFromAnotherHostIsRefusedWithAnExplanation() {
        SharedInt v = Ipc.sharedInt(1);
        SharedRef elsewhere = new SharedRef(v.memory.path.toString(), SharedMemory.INT, 1, 1, "other-host/boot", true);
        IpcException e = assertThrows(IpcException.class, () -> SharedMemory.open(elsewhere));
        assertTrue(e.getMessage().contains("one host"), e.getMessage());
        SharedRef gone = new SharedRef("/dev/shm/jpool-shm-no-such", SharedMemory.INT, 1, 12345, HostIdentity.get(), true);
        IpcException g = assertThrows(IpcException.class, () -> SharedMemory.open(gone));
        assertTrue(g.getMessage().contains("pid 12345, has exited"), g.getMessage());
    }

    private static Object roundTrip(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();
    }

    /** The serialized size of an object. */
    private static final class ByteCount {
        static int of(Object o) throws Exception {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(o);
            }
            return bytes.size();
        }
    }
}
