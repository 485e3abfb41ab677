package jpool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * What runs when a result completes: actions registered with {@link #whenComplete}, the
 * {@link CompletableFuture} bridge and the {@code onSuccess}/{@code onError} callbacks, all on the callback
 * executor.
 *
 * <p>Invariant: every action registered runs exactly once. Before completion, actions wait in
 * {@code actions}; {@link #takeActions()} (called once, by the transition to a final state) hands them to
 * the owner to run, and from then on {@link #whenComplete} runs new actions at once. Both happen with the
 * owner's monitor held, so no action is lost between them.
 *
 * @param <V> the result type
 */
final class CompletionHooks<V> {

    private final ResultCore<V> result;
    private final Executor callbacks;

    // guarded by result
    private List<Runnable> actions = new ArrayList<>(2);
    private CompletableFuture<V> completable;

    CompletionHooks(ResultCore<V> result, Executor callbacks) {
        this.result = result;
        this.callbacks = callbacks;
    }

    /** Runs an action on the callback executor once the result is complete, in any way. */
    void whenComplete(Runnable action) {
        synchronized (result) {
            if (actions != null) {
                actions.add(action);
                return;
            }
        }
        callbacks.execute(action);
    }

    /** The waiting actions, for the owner to {@link #run}; call with the owner's monitor held, once. */
    List<Runnable> takeActions() {
        List<Runnable> a = actions;
        actions = null;
        return a;
    }

    /** Hands actions taken by {@link #takeActions()} to the executor; call without the lock. */
    void run(List<Runnable> taken) {
        if (taken != null) {
            for (Runnable a : taken) {
                callbacks.execute(a);
            }
        }
    }

    CompletableFuture<V> toCompletableFuture() {
        CompletableFuture<V> cf;
        synchronized (result) {
            if (completable != null) {
                return completable;
            }
            cf = completable = new CompletableFuture<>();
        }
        whenComplete(() -> {
            try {
                cf.complete(result.valueNow());
            } catch (CancellationException e) {
                cf.cancel(false);
            } catch (ExecutionException | RuntimeException e) {
                cf.completeExceptionally(e);
            }
        });
        return cf;
    }

    void onSuccess(Consumer<? super V> action) {
        whenComplete(() -> {
            V v;
            try {
                v = result.valueNow();
            } catch (ExecutionException | RuntimeException e) {
                return;
            }
            try {
                action.accept(v);
            } catch (RuntimeException e) {
                e.printStackTrace();
            }
        });
    }

    void onError(Consumer<? super Throwable> action) {
        whenComplete(() -> {
            Throwable failure = null;
            try {
                result.valueNow();
            } catch (ExecutionException | RuntimeException e) {
                failure = e;
            }
            if (failure != null) {
                try {
                    action.accept(failure);
                } catch (RuntimeException e) {
                    e.printStackTrace();
                }
            }
        });
    }
}
