package jpool;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/** The result of one task (apply, applyAsync, executor submissions). */
final class SingleResult<T> extends BaseResult<T> {

    SingleResult(Executor callbacks, ClassLoader loader) {
        super(callbacks, loader, 1, 1);
    }

    @Override
    @SuppressWarnings("unchecked")
    T assemble() throws ExecutionException {
        Throwable t = elements.error(0);
        if (t != null) {
            throw asExecutionException(t);
        }
        return (T) elements.value(0);
    }

    static ExecutionException asExecutionException(Throwable t) {
        return t instanceof ExecutionException e ? e : new ExecutionException(t);
    }
}
