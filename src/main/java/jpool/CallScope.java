package jpool;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A piece of user code that submits tasks and waits for them, as a host that runs user code in pieces sees
 * it: for the Jupyter kernel, one run of a cell. The host {@linkplain #install installs} a supplier of the
 * scope the calling thread runs in; a plain Java program installs none, and then pools behave as if this
 * type did not exist.
 *
 * <p>With a host installed, a result remembers the scope of the thread that submitted it and passes it
 * every piece of its tasks' output, until {@link #taskOutput} returns false (the cell has returned: from
 * then on the output stays with the result, in {@link AsyncResult#stdout()} and {@link AsyncResult#stderr()},
 * and never reaches whatever code runs later). A thread that blocks in a pool call or in a result's
 * {@code get()} registers with its scope the cancellation of what it waits for; the host runs those
 * cancellations when the user interrupts the scope, and each cancellation that cancelled anything
 * {@linkplain #cancelled reports} it.
 *
 * <p>Implementations are thread-safe. {@link #taskOutput} is called by the pool's threads while they hold
 * the result's lock: it must not block and must not call back into the result.
 */
public interface CallScope {

    /**
     * Receives a piece of output printed by a task submitted in this scope (a piece may end inside a line;
     * pieces of one worker and stream arrive in order).
     *
     * @param workerId the worker that printed it, e.g. {@code w1}
     * @param stream which stream it was printed on
     * @param text the text
     * @return false once the scope has ended; it is then not called again for that result
     */
    boolean taskOutput(String workerId, OutputChunk.Stream stream, String text);

    /**
     * Registers the cancellation of a wait in progress, for the host to run if the user interrupts this
     * scope. The waiting thread closes the registration when its wait ends by itself; a wait ended by an
     * interrupt leaves it, so that the host still cancels what the interrupted thread waited for.
     */
    Registration onInterrupt(Runnable cancel);

    /**
     * A thread of this scope begins to wait for {@code result}: as {@link #onInterrupt}, registers the
     * cancellation of the wait, and tells the host what is waited for, so that it can show the result's
     * progress while the wait lasts (the notebook does once a wait has lasted a second). Pools call this for
     * every blocking wait on a result: {@code pool.map}, {@code apply}, {@code get()}, {@code await}, the
     * next element of an {@code imap}. By default the same as {@code onInterrupt(cancel)}.
     *
     * @param result what the thread waits for
     * @param call the waiting call, e.g. {@code pool.map}
     * @param cancel cancels what the wait is for
     */
    default Registration onWait(AsyncResult<?> result, String call, Runnable cancel) {
        return onInterrupt(cancel);
    }

    /**
     * Tells the scope what an interrupt cancelled, in words, e.g. {@code cancelled 18 tasks of pool.map
     * (2 were running)}.
     */
    void cancelled(String what);

    /**
     * Makes {@code current} the supplier of the calling thread's scope (it returns null for threads outside
     * any scope) until the returned registration is closed, which restores the one installed before if this
     * is still the current one.
     */
    static Registration install(Supplier<? extends CallScope> current) {
        Objects.requireNonNull(current, "current");
        Supplier<? extends CallScope> previous = CallScopes.HOST.getAndSet(current);
        return () -> CallScopes.HOST.compareAndSet(current, previous);
    }

    /** The scope the calling thread runs in, or null (always null when no host is installed). */
    static CallScope current() {
        Supplier<? extends CallScope> host = CallScopes.HOST.get();
        return host == null ? null : host.get();
    }

    /** An installation or registration, undone by {@link #close()}; closing twice does nothing more. */
    @FunctionalInterface
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}

/** Holds the installed host (an interface cannot have a private field). */
final class CallScopes {
    static final AtomicReference<Supplier<? extends CallScope>> HOST = new AtomicReference<>();

    private CallScopes() {
    }
}
