package jpool.kernel;

import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import jpool.cluster.LibraryThreads;

/**
 * The display API of notebook cells. In a cell the short forms {@code display(x)}, {@code render(x)},
 * {@code updateDisplay(id, x)} and {@code clearOutput()} call these methods.
 *
 * <p>Every method may be called from any thread at any time, also after the cell that started the
 * thread has returned; the output then goes to the cell of the most recent execute request, and
 * updates by display id reach the output wherever it is. Values become MIME bundles through the
 * {@linkplain Renderers#global() renderer registry}.
 *
 * <pre>{@code
 * String id = display("working...");          // display_data with a display id
 * updateDisplay(id, "done");                  // update_display_data, replaces it in place
 * display(Display.html("<b>bold</b>"));       // a rich bundle
 * render(List.of(1, 2), "text/plain");        // a bundle; as a cell's last expression it is the result
 * }</pre>
 *
 * <p>Outside a kernel (a plain Java program) displays print their {@code text/plain} form to System.out.
 */
public final class Display {

    private static volatile DisplaySink sink;
    private static final Map<String, ScheduledFuture<?>> liveUpdates = new ConcurrentHashMap<>();
    private static final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            r -> LibraryThreads.newThread(r, "jpool-live-display"));

    /** Most often ten updates a second for a live display. */
    static final long LIVE_PERIOD_MS = 100;

    private Display() {
    }

    static void install(DisplaySink s) {
        sink = s;
    }

    /**
     * Shows a value as a new output and returns its display id, for {@link #updateDisplay}.
     *
     * @param mimeTypes when given, only these representations are sent
     */
    public static String display(Object value, String... mimeTypes) {
        String id = newDisplayId();
        show(value, id, mimeTypes);
        return id;
    }

    /** A new display handle; nothing is shown until {@link DisplayHandle#display} is called. */
    public static DisplayHandle handle() {
        return new DisplayHandle(newDisplayId());
    }

    /** A handle for an existing display id, e.g. one returned by {@link #display}. */
    public static DisplayHandle handle(String displayId) {
        return new DisplayHandle(Objects.requireNonNull(displayId, "displayId"));
    }

    /** Replaces every output that carries this display id with the value. */
    public static void updateDisplay(String displayId, Object value, String... mimeTypes) {
        Objects.requireNonNull(displayId, "displayId");
        publish(value, displayId, true, mimeTypes);
    }

    /** The value as a MIME bundle (restricted to the given types when any are given). */
    public static MimeBundle render(Object value, String... mimeTypes) {
        MimeBundle b = Renderers.global().render(value);
        return mimeTypes == null || mimeTypes.length == 0 ? b : b.only(mimeTypes);
    }

    /** Clears the output of the current cell now. */
    public static void clearOutput() {
        clearOutput(false);
    }

    /** Clears the output of the current cell; with {@code wait}, only when the next output arrives (no flicker). */
    public static void clearOutput(boolean wait) {
        DisplaySink s = sink;
        if (s != null) {
            s.flushStreams();
            s.clearOutput(wait);
        }
    }

    /** An HTML bundle (with the text, tags removed, as {@code text/plain}). */
    public static MimeBundle html(String html) {
        String plain = html.replaceAll("(?s)<(script|style)[^>]*>.*?</\\1>", "").replaceAll("<[^>]+>", " ")
                .replaceAll("[ \\t]+", " ").strip();
        return MimeBundle.of("text/html", html).put("text/plain", plain.isEmpty() ? html : plain);
    }

    /** A Markdown bundle. */
    public static MimeBundle markdown(String markdown) {
        return MimeBundle.of("text/markdown", markdown).put("text/plain", markdown);
    }

    /** An image bundle from encoded bytes, e.g. {@code image("image/png", Files.readAllBytes(p))}. */
    public static MimeBundle image(String mimeType, byte[] bytes) {
        return MimeBundle.of(mimeType, Base64.getEncoder().encodeToString(bytes)).put("text/plain", "<" + mimeType + ", "
                + bytes.length + " bytes>");
    }

    /** The renderer registry, to teach the notebook how to show a type. */
    public static Renderers renderers() {
        return Renderers.global();
    }

    // ------------------------------------------------------------------ internals

    static String newDisplayId() {
        return UUID.randomUUID().toString();
    }

    /** Shows a value under a display id; starts background updates for live types. */
    static void show(Object value, String displayId, String... mimeTypes) {
        publish(value, displayId, false, mimeTypes);
    }

    /** Sends a display (or an update of one); starts background updates for live types. */
    private static void publish(Object value, String displayId, boolean update, String... mimeTypes) {
        Renderers.Live live = Renderers.global().liveOf(value);
        MimeBundle bundle = render(value, mimeTypes);
        DisplaySink s = sink;
        if (s == null) {
            System.out.println(bundle);
        } else {
            s.flushStreams();
            if (update) {
                s.update(bundle, displayId);
            } else {
                s.display(bundle, displayId);
            }
        }
        if (live != null) {
            startLive(displayId, value, live, bundle, mimeTypes);
        }
    }

    /** For a cell's result: the display id to send with it when the value is live (updates started), else null. */
    static String liveResultId(Object value, MimeBundle shown) {
        Renderers.Live live = Renderers.global().liveOf(value);
        if (live == null) {
            return null;
        }
        String id = newDisplayId();
        startLive(id, value, live, shown);
        return id;
    }

    private static void startLive(String id, Object value, Renderers.Live live, MimeBundle shown, String... mimeTypes) {
        AtomicReference<ScheduledFuture<?>> self = new AtomicReference<>();
        MimeBundle[] last = {shown};
        Runnable tick = () -> {
            ScheduledFuture<?> me = self.get();
            if (me == null || me.isCancelled()) {
                return;
            }
            boolean done = true;
            try {
                done = live.finished().test(value);
                MimeBundle b = live.renderer().render(value);
                if (mimeTypes != null && mimeTypes.length > 0) {
                    b = b.only(mimeTypes);
                }
                DisplaySink s = sink;
                if (s != null && (done || !b.equals(last[0]))) {
                    s.update(b, id);
                    last[0] = b;
                }
            } catch (RuntimeException | LinkageError e) {
                done = true;
            } finally {
                if (done) {
                    me.cancel(false);
                    liveUpdates.remove(id, me);
                }
            }
        };
        synchronized (liveUpdates) {
            ScheduledFuture<?> f = scheduler.scheduleAtFixedRate(tick, LIVE_PERIOD_MS, LIVE_PERIOD_MS, TimeUnit.MILLISECONDS);
            self.set(f);
            ScheduledFuture<?> old = liveUpdates.put(id, f);
            if (old != null) {
                old.cancel(false);
            }
        }
    }

    private static void stopLive(String id) {
        ScheduledFuture<?> f = liveUpdates.remove(id);
        if (f != null) {
            f.cancel(false);
        }
    }

    /** Stops every background update (kernel shutdown). */
    static void stopAllLive() {
        for (String id : liveUpdates.keySet()) {
            stopLive(id);
        }
    }
}
