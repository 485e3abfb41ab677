package jpool.kernel;

/**
 * Turns a value of some type into a {@link MimeBundle}. Register one with {@link Renderers#register}.
 *
 * @param <T> the type rendered
 */
@FunctionalInterface
public interface Renderer<T> {

    /** Renders the value; should include {@code text/plain} for consoles and saved notebooks. */
    MimeBundle render(T value);
}
