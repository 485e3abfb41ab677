package jpool.ipc;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;

/**
 * The lock of a shared value or array (Python's {@code get_lock()}), held by one thread of one
 * process at a time and reentrant for that thread, like Python's default {@code RLock}. It lives in
 * the shared memory itself: taking a free lock is one atomic compare-and-set, and a waiter spins
 * briefly, then parks for growing intervals up to a millisecond.
 *
 * <p>A lock whose holder process has exited (killed while inside a critical section) is taken over by
 * the next process that waits for it, after a warning on standard error: the data it guarded may be
 * half-updated. Python's lock stays held forever in that case. A thread of a live process that ends
 * while holding the lock keeps it held, as with {@link java.util.concurrent.locks.ReentrantLock}.
 *
 * <p>{@link #newCondition()} is not supported: wait for an {@link IpcQueue} element instead.
 */
public final class SharedLock implements Lock {

    private static final long MY_PID = ProcessHandle.current().pid();
    private static final long CHECK_HOLDER_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final SharedMemory memory;
    // Touched only by the thread that holds the lock.
    private int holds;

    SharedLock(SharedMemory memory) {
        this.memory = memory;
    }

    private static long token() {
        @SuppressWarnings("deprecation")
        long tid = Thread.currentThread().getId();
        return (MY_PID << 32) | (tid & 0xffff_ffffL);
    }

    @Override
    public void lock() {
        try {
            acquire(false, Long.MAX_VALUE);
        } catch (InterruptedException e) {
            throw new AssertionError("an uninterruptible wait was interrupted", e);
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        acquire(true, Long.MAX_VALUE);
    }

    @Override
    public boolean tryLock() {
        long me = token();
        long w = memory.lockWord();
        if (w == me) {
            holds++;
            return true;
        }
        if ((w == 0 || holderExited(w)) && memory.compareAndSetLockWord(w, me)) {
            tookOver(w);
            holds = 1;
            return true;
        }
        return false;
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(time);
        return acquire(true, nanos <= 0 ? 0 : nanos);
    }

    /**
     * Releases one hold; the lock is free once the holder has released as often as it acquired.
     *
     * @throws IllegalMonitorStateException if the current thread does not hold this lock
     */
    @Override
    public void unlock() {
        long me = token();
        if (memory.lockWord() != me) {
            throw new IllegalMonitorStateException("the current thread does not hold this shared lock");
        }
        if (--holds == 0) {
            memory.compareAndSetLockWord(me, 0);
        }
    }

    /**
     * Not supported.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("a shared lock has no conditions: to wait for another process,"
                + " take an element from an IpcQueue it puts to");
    }

    /** Whether the current thread holds this lock. */
    public boolean isHeldByCurrentThread() {
        return memory.lockWord() == token();
    }

    /** Whether some thread of some process holds this lock now. */
    public boolean isLocked() {
        return memory.lockWord() != 0;
    }

    /** How many times a process took this lock over from a holder that had exited. */
    public long takeOvers() {
        return memory.takeOvers();
    }

    private boolean acquire(boolean interruptible, long timeoutNanos) throws InterruptedException {
        if (tryLock()) {
            return true;
        }
        long start = System.nanoTime();
        long lastCheck = start;
        long me = token();
        int spins = 0;
        long park = 1_000;
        boolean interrupted = false; // lock() is not interruptible: an interrupt is kept for after
        while (true) {
            long w = memory.lockWord();
            if (w == 0 && memory.compareAndSetLockWord(0, me)) {
                holds = 1;
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                return true;
            }
            long now = System.nanoTime();
            if (now - lastCheck > CHECK_HOLDER_NANOS) {
                lastCheck = now;
                if (w != 0 && holderExited(w) && memory.compareAndSetLockWord(w, me)) {
                    tookOver(w);
                    holds = 1;
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                    return true;
                }
            }
            if (Thread.interrupted()) {
                if (interruptible) {
                    throw new InterruptedException("interrupted while waiting for a shared lock");
                }
                interrupted = true;
            }
            if (timeoutNanos != Long.MAX_VALUE && now - start >= timeoutNanos) {
                return false;
            }
            if (spins < 200) {
                spins++;
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(park);
                park = Math.min(MAX_PARK_NANOS, park * 2);
            }
        }
    }

    private static boolean holderExited(long word) {
        long pid = word >>> 32;
        return pid != MY_PID && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    private void tookOver(long word) {
        if (word != 0) {
            memory.countTakeOver();
            System.err.println("jpool: the lock of a shared " + (memory.length == 1 ? "value" : "array")
                    + " was held by process " + (word >>> 32) + ", which exited while holding it; process " + MY_PID
                    + " took it over (what it guarded may be half-updated)");
        }
    }
}
