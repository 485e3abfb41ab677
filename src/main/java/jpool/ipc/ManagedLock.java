package jpool.ipc;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A lock held by its owner JVM and usable from every process that receives it (Python's
 * {@code Manager().Lock()}). It is not reentrant: a thread that locks it twice waits for ever, as in
 * Python. As in Python it may be unlocked by another thread, or another process, than the one that
 * locked it. Waiting threads get it in the order they asked for it.
 *
 * <p>If the process of a holder dies (the owner's hub loses that process: its connection closes or
 * it is silent for the silence limit), the owner releases what that process held, so that waiters go
 * on; the data it protected may be half-updated. The owner's own threads are never "lost": if the
 * owner dies, the lock is gone and every call fails with {@link IpcOwnerLostException}.
 *
 * <p>Serialized, it is a reference to the owner's lock; it is safe to use from many threads.
 */
public class ManagedLock extends ManagedHandle implements Lock {

    private static final long serialVersionUID = 1L;

    ManagedLock(IpcRef ref, ManagedBackend backend) {
        super(ref, backend);
    }

    /**
     * Acquires the lock, waiting for as long as it takes. An interrupt while waiting does not stop the
     * wait; the thread's interrupt status is set again when the lock is acquired.
     *
     * @throws IpcOwnerLostException if the owner of the lock is gone
     */
    @Override
    public void lock() {
        boolean interrupted = false;
        while (true) {
            try {
                call("acquire", -1, "release");
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Acquires the lock unless the thread is interrupted while it waits.
     *
     * @throws InterruptedException if interrupted while waiting (the lock is then not held)
     * @throws IpcOwnerLostException if the owner of the lock is gone
     */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        call("acquire", -1, "release");
    }

    /**
     * Acquires the lock if it is free now.
     *
     * @return whether the lock was acquired
     * @throws IpcOwnerLostException if the owner of the lock is gone
     */
    @Override
    public boolean tryLock() {
        return now("acquire").yes();
    }

    /**
     * Acquires the lock if it becomes free within the timeout (Python's {@code acquire(timeout=...)}).
     *
     * @return whether the lock was acquired
     * @throws InterruptedException if interrupted while waiting (the lock is then not held)
     * @throws IllegalArgumentException if {@code time} is negative
     * @throws IpcOwnerLostException if the owner of the lock is gone
     */
    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return call("acquire", nanos(time, unit), "release").yes();
    }

    /**
     * Releases the lock.
     *
     * @throws IllegalMonitorStateException if the lock is not locked (for a {@link ManagedRLock}: if
     *     the calling thread does not hold it)
     * @throws IpcOwnerLostException if the owner of the lock is gone
     */
    @Override
    public void unlock() {
        try {
            now("release");
        } catch (IllegalStateException e) {
            throw new IllegalMonitorStateException(e.getMessage());
        }
    }

    /**
     * Locks and returns the hold that unlocks, for try-with-resources. Waits as {@link #lock()} does.
     *
     * @throws IpcOwnerLostException if the owner of the lock is gone
     */
    public ManagedHold hold() {
        lock();
        return new ManagedHold() {
            private boolean released;

            @Override
            public void close() {
                if (released) {
                    throw new IllegalMonitorStateException("this hold of the managed " + ref.kind() + " was already released");
                }
                released = true;
                unlock();
            }
        };
    }

    /**
     * Whether some thread of some process holds the lock now (a snapshot).
     *
     * @throws IpcOwnerLostException if the owner of the lock is gone
     */
    public boolean isLocked() {
        return now("locked").yes();
    }

    /**
     * Not supported yet: a managed lock has no conditions; a {@link ManagedEvent} or
     * {@link ManagedBarrier} covers the usual cases.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("a managed lock has no conditions yet; use a managed event or barrier");
    }
}
