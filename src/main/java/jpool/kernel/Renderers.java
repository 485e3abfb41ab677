package jpool.kernel;

import java.lang.reflect.Array;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The renderer registry: how values of a type become MIME bundles when they are a cell's result or are
 * displayed. Lookup goes from the value's class up through its superclasses, then its interfaces
 * (nearest first); a value without a renderer that implements {@link Displayable} renders itself; anything
 * else is shown as {@code text/plain} from {@code toString()} (arrays by their contents).
 *
 * <p>A type can be registered as <em>live</em> ({@link #registerLive}): when such a value is shown while it
 * is not finished, it gets a display id and the kernel re-renders it in the background and sends
 * {@code update_display_data} when it looks different, at most ten times a second, until the value says it
 * is finished, then once more with the final state (also after the cell has returned). A live type with a
 * {@link ChangeSource} is re-rendered when the source reports a change (and once a second meanwhile, for
 * clocks); one without is polled ten times a second. This is how a running asynchronous result keeps its
 * progress bar current.
 */
public final class Renderers {

    private static final Renderers GLOBAL = new Renderers();

    /**
     * How a live type is kept current.
     *
     * @param renderer its renderer
     * @param finished whether a value is finished (then its display gets its last update)
     * @param changes what reports its changes, or null to poll
     */
    record Live(Renderer<Object> renderer, Predicate<Object> finished, ChangeSource<Object> changes) {
    }

    private final Map<Class<?>, Renderer<Object>> renderers = new ConcurrentHashMap<>();
    private final Map<Class<?>, Live> live = new ConcurrentHashMap<>();

    /** A separate registry (for tests); the kernel uses {@link #global()}. */
    public Renderers() {
    }

    /** The registry used by the kernel and by {@link Display}. */
    public static Renderers global() {
        return GLOBAL;
    }

    /** Registers (or replaces) the renderer of a type and its subtypes. */
    @SuppressWarnings("unchecked")
    public <T> void register(Class<T> type, Renderer<? super T> renderer) {
        renderers.put(type, (Renderer<Object>) renderer);
        live.remove(type);
    }

    /**
     * Registers a live renderer: values of this type are re-rendered in the background and their display
     * updated (at most 10 times a second) until {@code finished} is true, then a final time.
     */
    public <T> void registerLive(Class<T> type, Renderer<? super T> renderer, Predicate<? super T> finished) {
        putLive(type, renderer, finished, null);
    }

    /**
     * Registers a live renderer whose values report their changes: a value's display is re-rendered when
     * {@code changes} says it changed (at most 10 times a second, and once a second meanwhile) until
     * {@code finished} is true, then a final time; then the reports are stopped.
     */
    public <T> void registerLive(Class<T> type, Renderer<? super T> renderer, Predicate<? super T> finished,
            ChangeSource<? super T> changes) {
        putLive(type, renderer, finished, Objects.requireNonNull(changes, "changes"));
    }

    @SuppressWarnings("unchecked")
    private <T> void putLive(Class<T> type, Renderer<? super T> renderer, Predicate<? super T> finished,
            ChangeSource<? super T> changes) {
        Objects.requireNonNull(renderer, "renderer");
        Objects.requireNonNull(finished, "finished");
        renderers.put(type, (Renderer<Object>) renderer);
        live.put(type, new Live((Renderer<Object>) renderer, (Predicate<Object>) finished,
                (ChangeSource<Object>) changes));
    }

    /** Removes the renderer of exactly this type. */
    public void unregister(Class<?> type) {
        renderers.remove(type);
        live.remove(type);
    }

    /** Renders a value (never null; {@code null} renders as the text {@code null}). */
    public MimeBundle render(Object value) {
        if (value == null) {
            return MimeBundle.text("null");
        }
        if (value instanceof MimeBundle b) {
            return b;
        }
        Renderer<Object> r = find(value.getClass(), renderers);
        if (r != null) {
            MimeBundle b = r.render(value);
            if (b != null) {
                return b;
            }
        }
        if (value instanceof Displayable d) {
            return d.toMimeBundle();
        }
        return MimeBundle.text(plainText(value));
    }

    /** The live behaviour of a value's type, or null when it is not live. */
    Live liveOf(Object value) {
        return value == null || live.isEmpty() ? null : find(value.getClass(), live);
    }

    /** The default plain text of a value: {@code toString()}, arrays by their contents. */
    public static String plainText(Object value) {
        if (value == null) {
            return "null";
        }
        if (value.getClass().isArray()) {
            if (value instanceof Object[] a) {
                return Arrays.deepToString(a);
            }
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0, n = Array.getLength(value); i < n; i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(Array.get(value, i));
            }
            return sb.append(']').toString();
        }
        return String.valueOf(value);
    }

    private static <V> V find(Class<?> type, Map<Class<?>, V> map) {
        if (map.isEmpty()) {
            return null;
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            V v = map.get(c);
            if (v != null) {
                return v;
            }
        }
        Deque<Class<?>> queue = new ArrayDeque<>();
        Set<Class<?>> seen = new HashSet<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            queue.addAll(Arrays.asList(c.getInterfaces()));
        }
        while (!queue.isEmpty()) {
            Class<?> i = queue.poll();
            if (!seen.add(i)) {
                continue;
            }
            V v = map.get(i);
            if (v != null) {
                return v;
            }
            queue.addAll(Arrays.asList(i.getInterfaces()));
        }
        return null;
    }
}
