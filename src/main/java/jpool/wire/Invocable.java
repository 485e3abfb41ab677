package jpool.wire;

import java.io.Serializable;

/**
 * What a worker runs: the serialized form of a task function. The public API adapts its functional
 * types ({@code jpool.Fn}, {@code jpool.Task}, ...) to this interface, so that the worker depends on
 * the wire package only.
 */
public interface Invocable extends Serializable {

    /**
     * Runs the function on one input element.
     *
     * @param argument the element (null for tasks without arguments; an {@code Object[]} for
     *     multi-argument functions)
     * @return the result, which must be serializable
     * @throws Exception whatever the task throws
     */
    Object invoke(Object argument) throws Exception;
}
