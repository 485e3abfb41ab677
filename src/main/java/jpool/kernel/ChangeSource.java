package jpool.kernel;

/**
 * Tells the kernel when a live value may look different, so that its display is re-rendered when it
 * changes instead of being polled ten times a second. Register one with
 * {@link Renderers#registerLive(Class, Renderer, java.util.function.Predicate, ChangeSource)}.
 *
 * <pre>{@code
 * renderers.registerLive(AsyncResult.class, myRenderer, AsyncResult::ready,
 *         (r, changed) -> r.onProgress(p -> changed.run())::cancel);
 * }</pre>
 *
 * @param <T> the type watched
 */
@FunctionalInterface
public interface ChangeSource<T> {

    /**
     * Starts reporting changes of a value that is being displayed. The source calls {@code changed}, from
     * any thread and as often as it likes (the kernel coalesces), after the value changed, and at least once
     * after it became finished; calling it when nothing changed is harmless.
     *
     * @return what stops the reports; the kernel runs it once, when the display is final or is stopped
     */
    Runnable watch(T value, Runnable changed);
}
