package jpool.ship;

/** Test-only function type that is not serializable. */
@FunctionalInterface
public interface PlainFn<T, R> {
    R apply(T t) throws Exception;
}
