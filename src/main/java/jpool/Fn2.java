package jpool;

import java.io.Serializable;

/**
 * A serializable two-argument task function, for {@link Pool#starmap} and
 * {@link Pool#apply(Fn2, Object, Object)}.
 *
 * @param <A> the first argument type
 * @param <B> the second argument type
 * @param <R> the result type
 * @see Fn for what a serializable lambda may capture
 */
@FunctionalInterface
public interface Fn2<A, B, R> extends Serializable {

    /**
     * Computes the result for two arguments.
     *
     * @param a the first argument
     * @param b the second argument
     * @return the result; must be serializable when the task runs on a worker JVM
     * @throws Exception anything; reported through the task's result
     */
    R apply(A a, B b) throws Exception;
}
