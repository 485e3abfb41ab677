package jpool.ipc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One caller waiting in an object's owner: a local thread parked on {@link #future}, or a request of
 * another JVM ({@link #peer} not null) whose reply goes out when the future completes. Completed and
 * cancelled only under the owning object's lock, so "removed from the waiters" and "completed" are
 * never both true.
 */
final class Waiter {

    final CompletableFuture<Object> future = new CompletableFuture<>();
    final String peer;
    final byte[] item;

    Waiter(String peer, byte[] item) {
        this.peer = peer;
        this.item = item;
    }

    /** An already completed waiter. */
    static Waiter done(Object value) {
        Waiter w = new Waiter(null, null);
        w.future.complete(value);
        return w;
    }

    /** The outcome of a local wait. */
    enum Outcome { DONE, TIMED_OUT }

    /**
     * Waits as a local thread: for ever when {@code timeoutNanos} is negative, else at most that long.
     * On timeout or interrupt {@code cancel} removes the waiter; if it was completed meanwhile, the
     * result stands (and an interrupt is set again rather than thrown, so nothing taken is lost).
     *
     * @return DONE (read {@link #value()}) or TIMED_OUT (the waiter is gone)
     */
    Outcome await(long timeoutNanos, java.util.function.Predicate<Waiter> cancel) throws InterruptedException {
        try {
            if (timeoutNanos < 0) {
                future.get();
            } else {
                future.get(timeoutNanos, TimeUnit.NANOSECONDS);
            }
            return Outcome.DONE;
        } catch (TimeoutException e) {
            return cancel.test(this) ? Outcome.TIMED_OUT : Outcome.DONE;
        } catch (InterruptedException e) {
            if (cancel.test(this)) {
                throw e;
            }
            Thread.currentThread().interrupt();
            return Outcome.DONE;
        } catch (ExecutionException e) {
            return Outcome.DONE; // value() throws it
        }
    }

    /** The completed value, or the failure it completed with (unchecked or PipeClosedException). */
    Object value() throws PipeClosedException {
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable c = e.getCause();
            if (c instanceof PipeClosedException p) {
                throw new PipeClosedException(p.getMessage()); // a fresh one, with this thread's stack
            }
            if (c instanceof IllegalStateException s) {
                throw new IllegalStateException(s.getMessage(), s);
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new IpcException(String.valueOf(c), c);
        }
    }
}
