package jpool.ship;

/**
 * Called from the static initializers that {@link ClinitRewriter} puts into shipped classes: hands
 * out the snapshot value of one static field, decoded with the class's {@link SnapshotLoader}.
 * Not for other callers.
 */
public final class ShippedState {
    private ShippedState() {
    }

    /**
     * The shipped value of a static field of a shipped class.
     *
     * @throws IllegalStateException if the class was not defined by a {@link SnapshotLoader}
     */
    public static Object value(Class<?> owner, String field) {
        if (owner.getClassLoader() instanceof SnapshotLoader loader) {
            return loader.staticValue(owner.getName(), field);
        }
        throw new IllegalStateException(owner + " was not defined by a snapshot loader");
    }
}
