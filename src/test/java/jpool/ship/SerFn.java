package jpool.ship;

import java.io.Serializable;

/** Test-only serializable function type, like the pool's function types. */
@FunctionalInterface
public interface SerFn<T, R> extends Serializable {
    R apply(T t) throws Exception;
}
