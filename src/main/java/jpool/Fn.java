package jpool;

import java.io.Serializable;

/**
 * A serializable one-argument task function, for {@link Pool#map}, {@link Pool#apply(Fn, Object)} and
 * friends. Its method may throw any exception; the exception fails that task only.
 *
 * <p>Lambdas assigned to this type are serializable. Everything the lambda captures must be
 * serializable too: capture plain values (copy fields into local variables first), not objects such
 * as sockets, streams or the enclosing instance.
 *
 * @param <T> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface Fn<T, R> extends Serializable {

    /**
     * Computes the result for one argument.
     *
     * @param t the argument
     * @return the result; must be serializable when the task runs on a worker JVM
     * @throws Exception anything; reported through the task's result
     */
    R apply(T t) throws Exception;

    /**
     * A function that returns its argument, like {@link java.util.function.Function#identity()}.
     *
     * @param <T> the argument and result type
     * @return the identity function; serializable
     */
    static <T> Fn<T, T> identity() {
        return t -> t;
    }
}
