package jpool.kernel;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
 * <p>A value of a {@linkplain Renderers#registerLive live type} that is not finished when it is shown, such
 * as a running {@code AsyncResult} or {@code MapResult}, keeps its display current in the background: at
 * most ten updates a second while it runs and one more with its final state, wherever the cell that
 * showed it is by then. A finished one is shown once, as any value.
 *
 * <p>Outside a kernel (a plain Java program) displays print their {@code text/plain} form to System.out.
 */
public final class Display {

    private static volatile DisplaySink sink;
    /** The live displays being kept current, by display id; each removes itself when it ends. */
    private static final Map<String, LiveDisplay> liveUpdates = new ConcurrentHashMap<>();
    private static final ScheduledThreadPoolExecutor scheduler = newScheduler();

    /** Default of {@link #progressAfter()}, and the environment variable that changes it (in seconds). */
    static final Duration DEFAULT_PROGRESS_AFTER = Duration.ofSeconds(1);
    static final String PROGRESS_AFTER_ENV = "JPOOL_PROGRESS_AFTER";
    /** Read from the environment on first use, so that a warning about it shows in the first cell. */
    private static volatile Duration progressAfter;

    /** Most often ten updates a second for a live display. */
    static final long LIVE_PERIOD_MS = 100;
    /** A live value with a change source is re-rendered at least this often (clocks), if it looks different. */
    static final long LIVE_IDLE_MS = 1000;

    private Display() {
    }

    private static ScheduledThreadPoolExecutor newScheduler() {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1,
                r -> LibraryThreads.newThread(r, "jpool-live-display"));
        s.setRemoveOnCancelPolicy(true); // a live display reschedules often; cancelled renders must not pile up
        return s;
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

    /**
     * How long a cell waits in a blocking pool call ({@code pool.map}, {@code apply}, {@code r.get()}, an
     * {@code imap} loop, ...) before the awaited result's progress shows in the cell, as a live display that
     * ends in the result's final state when the call returns. One second unless the environment variable
     * {@code JPOOL_PROGRESS_AFTER} (seconds, e.g. {@code 2.5}) or {@link #progressAfter(Duration)} says
     * otherwise; zero means never.
     */
    public static Duration progressAfter() {
        Duration d = progressAfter;
        if (d == null) {
            synchronized (Display.class) {
                d = progressAfter;
                if (d == null) {
                    d = progressAfterFrom(System.getenv(PROGRESS_AFTER_ENV));
                    progressAfter = d;
                }
            }
        }
        return d;
    }

    /**
     * Sets {@link #progressAfter()} for the cells that start from now on; {@link Duration#ZERO} turns the
     * progress displays of blocking calls off.
     *
     * @throws IllegalArgumentException if {@code after} is negative
     */
    public static void progressAfter(Duration after) {
        Objects.requireNonNull(after, "after");
        if (after.isNegative()) {
            throw new IllegalArgumentException("progressAfter must be zero (off) or more, not " + after);
        }
        progressAfter = after;
    }

    /** The setting from the environment variable's value: seconds, or the default (with a warning) if not a number. */
    static Duration progressAfterFrom(String seconds) {
        if (seconds == null || seconds.isBlank()) {
            return DEFAULT_PROGRESS_AFTER;
        }
        try {
            double s = Double.parseDouble(seconds.strip());
            if (s >= 0 && s < 1e9) {
                return Duration.ofNanos(Math.round(s * 1e9));
            }
        } catch (NumberFormatException e) {
            // below
        }
        System.err.println("jpool: ignoring " + PROGRESS_AFTER_ENV + "=" + seconds
                + ": not a number of seconds (0 turns progress displays off)");
        return DEFAULT_PROGRESS_AFTER;
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

    /**
     * Sends a display (or an update of one). For a value of a live type that is not finished, starts
     * background updates of the display id (replacing those the id had); any other value ends them.
     */
    private static void publish(Object value, String displayId, boolean update, String... mimeTypes) {
        Renderers.Live live = Renderers.global().liveOf(value);
        boolean follow = live != null && !finished(live, value); // checked before rendering: see LiveDisplay
        MimeBundle bundle = render(value, mimeTypes);
        stopLive(displayId);
        DisplaySink s = sink;
        if (s == null) {
            System.out.println(bundle);
            return;
        }
        s.flushStreams();
        if (update) {
            s.update(bundle, displayId);
        } else {
            s.display(bundle, displayId);
        }
        if (follow) {
            startLive(displayId, value, live, bundle, mimeTypes);
        }
    }

    /**
     * Shows a cell's result if it is a live value and not finished: as display_data with a new display id
     * (frontends such as JupyterLab and Notebook 7 update by display id only what came as display_data),
     * then starts its background updates.
     *
     * @param render renders the value
     * @return the bundle shown, or null, with nothing sent, for any other value (the caller renders it
     *     after this check, so that a value finished meanwhile shows its final state, and sends it as
     *     execute_result)
     */
    static MimeBundle showLiveResult(Object value, Function<Object, MimeBundle> render) {
        Renderers.Live live = Renderers.global().liveOf(value);
        DisplaySink s = sink;
        if (live == null || s == null || finished(live, value)) {
            return null;
        }
        MimeBundle shown = render.apply(value);
        String id = newDisplayId();
        s.display(shown, id);
        startLive(id, value, live, shown);
        return shown;
    }

    /** Whether the live value is finished; one whose check fails counts as finished (nothing to follow). */
    private static boolean finished(Renderers.Live live, Object value) {
        try {
            return live.finished().test(value);
        } catch (RuntimeException | LinkageError e) {
            return true;
        }
    }

    private static void startLive(String id, Object value, Renderers.Live live, MimeBundle shown, String... mimeTypes) {
        LiveDisplay d = new LiveDisplay(value, live, mimeTypes, b -> {
            DisplaySink s = sink;
            if (s != null) {
                s.update(b, id);
            }
        }, ended -> liveUpdates.remove(id, ended), scheduler, TimeUnit.MILLISECONDS.toNanos(LIVE_PERIOD_MS),
                TimeUnit.MILLISECONDS.toNanos(LIVE_IDLE_MS));
        LiveDisplay old = liveUpdates.put(id, d);
        if (old != null) {
            old.stop();
        }
        d.start(shown);
    }

    private static void stopLive(String id) {
        LiveDisplay d = liveUpdates.remove(id);
        if (d != null) {
            d.stop();
        }
    }

    /**
     * Shows a value as a new display in the current cell, only in a kernel (nothing happens in a plain Java
     * program): for the progress of a blocking call.
     *
     * @return its display id, or null when there is no kernel
     */
    static String displayInKernel(Object value) {
        return sink == null ? null : display(value);
    }

    /**
     * Waits until the background updates of a display have ended (its final update sent), at most the given
     * time; true at once for a display that is not live.
     */
    static boolean awaitFinal(String displayId, long timeout, TimeUnit unit) throws InterruptedException {
        LiveDisplay d = liveUpdates.get(displayId);
        return d == null || d.awaitEnd(timeout, unit);
    }

    /**
     * Whether the display is still kept current; once false, no update for it is sent any more after
     * the renders already running on the display thread (see {@link #awaitRenders}).
     */
    static boolean isLive(String displayId) {
        return liveUpdates.containsKey(displayId);
    }

    /** Waits until every render queued on the display thread before this call has run (for tests). */
    static void awaitRenders() throws Exception {
        scheduler.submit(() -> { }).get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    /**
     * Sends at once the final update of every live display whose work has finished (see {@link
     * LiveDisplay#finishIfDone}), waiting at most {@code maxMillis}; the kernel calls it before answering a cell.
     */
    static void sendFinishedUpdates(long maxMillis) {
        if (liveUpdates.isEmpty()) {
            return;
        }
        List<LiveDisplay> displays = List.copyOf(liveUpdates.values());
        try {
            scheduler.submit(() -> displays.forEach(LiveDisplay::finishIfDone)).get(maxMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            // a slow render: the display's own schedule sends its final state later
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops every background update (kernel shutdown). */
    static void stopAllLive() {
        for (String id : liveUpdates.keySet()) {
            stopLive(id);
        }
    }
}
