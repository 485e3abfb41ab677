package jpool.ship;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code java.util.concurrent} types that share state between threads of one JVM only. They are
 * Serializable, so a task that captures one gets a copy on its worker, silently: what a task puts in a
 * captured {@code LinkedBlockingQueue} is never seen by the cell or by other tasks. This says what to
 * use instead (the jpool.ipc types, named here as text: this package does not depend on them).
 */
final class ThreadOnlyValues {

    private static final Map<String, String> ADVICE = new LinkedHashMap<>();

    static {
        String queue = "an IpcQueue (Ipc.queue(), Ipc.joinableQueue())";
        String lock = "a lock shared between processes (the lock() of an Ipc.sharedInt(..), or Ipc.manager().lock())";
        String counter = "a value in shared memory (Ipc.sharedInt(..), Ipc.sharedDouble(..))";
        String array = "an array in shared memory (Ipc.sharedIntArray(..), Ipc.sharedDoubleArray(..))";
        String map = "a manager's dict (Ipc.manager().dict())";
        String sync = "a manager's semaphore, barrier or event (Ipc.manager())";
        for (String c : new String[] {"java.util.concurrent.BlockingQueue", "java.util.concurrent.BlockingDeque",
                "java.util.concurrent.ConcurrentLinkedQueue", "java.util.concurrent.ConcurrentLinkedDeque"}) {
            ADVICE.put(c, queue);
        }
        ADVICE.put("java.util.concurrent.locks.Lock", lock);
        ADVICE.put("java.util.concurrent.locks.ReadWriteLock", lock);
        ADVICE.put("java.util.concurrent.locks.StampedLock", lock);
        for (String c : new String[] {"AtomicInteger", "AtomicLong", "AtomicBoolean", "LongAdder", "DoubleAdder",
                "LongAccumulator", "DoubleAccumulator", "AtomicReference"}) {
            ADVICE.put("java.util.concurrent.atomic." + c, counter);
        }
        ADVICE.put("java.util.concurrent.atomic.AtomicIntegerArray", array);
        ADVICE.put("java.util.concurrent.atomic.AtomicLongArray", array);
        ADVICE.put("java.util.concurrent.ConcurrentMap", map);
        for (String c : new String[] {"Semaphore", "CountDownLatch", "CyclicBarrier", "Phaser", "Exchanger"}) {
            ADVICE.put("java.util.concurrent." + c, sync);
        }
    }

    private ThreadOnlyValues() {
    }

    /** What to use instead of a value of class {@code c}, or null if it is not one of these types. */
    static String advice(Class<?> c) {
        for (Map.Entry<String, String> e : ADVICE.entrySet()) {
            if (isA(c, e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    /**
     * 0 for containers and synchronizers, 1 for atomics, 2 for locks: thread-safe containers hold (and
     * serialize) atomics and locks inside, so a higher rank beside a lower one is most likely a part.
     */
    static int rank(Class<?> c) {
        if (isA(c, "java.util.concurrent.locks.Lock") || isA(c, "java.util.concurrent.locks.ReadWriteLock")) {
            return 2;
        }
        return c.getName().startsWith("java.util.concurrent.atomic.") ? 1 : 0;
    }

    private static boolean isA(Class<?> c, String typeName) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            if (k.getName().equals(typeName)) {
                return true;
            }
            for (Class<?> i : k.getInterfaces()) {
                if (isA(i, typeName)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The warning for a value of class {@code c}, named {@code what} ("cell variable `q`"). */
    static String warning(String what, Class<?> c, String advice) {
        return what + " (" + c.getSimpleName() + ") shares state between the threads of one JVM only:"
                + " each worker gets its own copy, so what a task changes in it is not seen here or by other tasks."
                + " To share it between processes use " + advice + ".";
    }
}
