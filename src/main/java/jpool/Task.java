package jpool;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A serializable task without arguments that returns a value: the pool's {@link Callable}.
 *
 * @param <R> the result type
 * @see Fn for what a serializable lambda may capture
 */
@FunctionalInterface
public interface Task<R> extends Callable<R>, Serializable {

    /**
     * Runs the task.
     *
     * @return the result; must be serializable when the task runs on a worker JVM
     * @throws Exception anything; reported through the task's result
     */
    @Override
    R call() throws Exception;
}
