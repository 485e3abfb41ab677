package jpool;

import java.io.Serializable;

/**
 * A serializable task without arguments or result: the pool's {@link Runnable}, also used for the
 * pool initializer. Unlike {@code Runnable.run}, it may throw checked exceptions.
 *
 * @see Fn for what a serializable lambda may capture
 */
@FunctionalInterface
public interface Job extends Serializable {

    /**
     * Runs the job.
     *
     * @throws Exception anything; reported through the task's result
     */
    void run() throws Exception;
}
