package jpool.kernel;

/**
 * One display area in the notebook, identified by a display id. Show a value with {@link #display},
 * replace it in place with {@link #update} from any thread, at any time, also after the cell that
 * created it has returned.
 *
 * <pre>{@code
 * var h = Display.handle();
 * h.display("starting");
 * new Thread(() -> { for (int i = 1; i <= 5; i++) { sleep(200); h.update("step " + i); } }).start();
 * }</pre>
 */
public final class DisplayHandle {

    private final String id;

    DisplayHandle(String id) {
        this.id = id;
    }

    /** The display id (sent in {@code transient.display_id}). */
    public String id() {
        return id;
    }

    /** Shows the value as a new output carrying this display id; returns this handle. */
    public DisplayHandle display(Object value, String... mimeTypes) {
        Display.show(value, id, mimeTypes);
        return this;
    }

    /** Replaces every output that carries this display id with the value. */
    public DisplayHandle update(Object value, String... mimeTypes) {
        Display.updateDisplay(id, value, mimeTypes);
        return this;
    }

    @Override
    public String toString() {
        return "DisplayHandle[" + id + "]";
    }
}
