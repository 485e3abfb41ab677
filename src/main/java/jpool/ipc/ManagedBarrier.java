package jpool.ipc;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A barrier for a fixed number of parties in any processes, held by its owner JVM (Python's
 * {@code Manager().Barrier(parties)}, with the semantics of {@link java.util.concurrent.CyclicBarrier}):
 * each party's {@link #await()} waits until all have arrived, then all go on and the barrier is ready
 * for the next round. A party that times out, is interrupted or whose process dies breaks the barrier:
 * the others get {@link BrokenBarrierException}, and so does every later await until {@link #reset()}.
 */
public final class ManagedBarrier extends ManagedHandle {

    private static final long serialVersionUID = 1L;

    ManagedBarrier(IpcRef ref, ManagedBackend backend) {
        super(ref, backend);
    }

    /**
     * Waits until all parties have arrived.
     *
     * @return the arrival index: {@code parties() - 1} for the first to arrive, 0 for the last
     * @throws BrokenBarrierException if the barrier is or becomes broken while waiting
     * @throws InterruptedException if interrupted while waiting (the barrier is then broken)
     * @throws IpcOwnerLostException if the owner is gone
     */
    public int await() throws InterruptedException, BrokenBarrierException {
        try {
            return await(-1);
        } catch (TimeoutException e) {
            throw new AssertionError("no timeout", e);
        }
    }

    /**
     * Waits at most the timeout until all parties have arrived.
     *
     * @return the arrival index
     * @throws TimeoutException if the timeout passed (the barrier is then broken for the others)
     * @throws BrokenBarrierException if the barrier is or becomes broken while waiting
     * @throws InterruptedException if interrupted while waiting (the barrier is then broken)
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IpcOwnerLostException if the owner is gone
     */
    public int await(long timeout, TimeUnit unit) throws InterruptedException, BrokenBarrierException, TimeoutException {
        return await(nanos(timeout, unit));
    }

    private int await(long nanos) throws InterruptedException, BrokenBarrierException, TimeoutException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        ManagedBackend.Reply r;
        try {
            r = call("await", nanos, null);
        } catch (IllegalStateException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(ManagedBarrierCore.BROKEN)) {
                BrokenBarrierException b = new BrokenBarrierException(e.getMessage());
                b.initCause(e);
                throw b;
            }
            throw e;
        }
        if (r.frame() == null) {
            throw new TimeoutException("not all " + parties() + " parties arrived at the managed barrier in time;"
                    + " it is now broken");
        }
        return ManagedCodec.intOf(r.frame());
    }

    /**
     * Breaks the barrier for the parties waiting now (they get {@link BrokenBarrierException}) and
     * makes it whole again for the next round.
     *
     * @throws IpcOwnerLostException if the owner is gone
     */
    public void reset() {
        now("reset");
    }

    /**
     * Whether the barrier is broken.
     *
     * @throws IpcOwnerLostException if the owner is gone
     */
    public boolean isBroken() {
        return now("broken").yes();
    }

    /**
     * The number of parties waiting now.
     *
     * @throws IpcOwnerLostException if the owner is gone
     */
    public int getNumberWaiting() {
        return (int) now("waiting").n();
    }

    /** The number of parties that must arrive to trip the barrier. */
    public int parties() {
        return ref.capacity();
    }
}
