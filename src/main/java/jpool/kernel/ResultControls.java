package jpool.kernel;

import com.google.gson.JsonObject;
import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import jpool.AsyncResult;
import jpool.jupyter.CommManager;

/**
 * The Stop control of a result's display: a button that cancels the result, as {@code r.cancel(true)} does
 * (queued tasks dropped, running ones interrupted, a worker that ignores the interrupt replaced after the
 * pool's cancel grace), also while a cell waits for it in a blocking call, which then ends.
 *
 * <p>How it gets to the kernel: the display's HTML carries a token for its result and a small script. Where
 * the frontend runs scripts of trusted output and offers the classic Notebook's JavaScript API
 * ({@code Jupyter.notebook.kernel}, Jupyter Notebook 6 and nbclassic), the script shows the button and, when it
 * is pressed, opens a comm to the target {@value #TARGET} with {@code {"result": token}} and sends
 * {@code {"action": "stop"}} on it. The target is served outside the shell queue
 * ({@link CommManager#registerTargetOutsideShell}), so the message is handled while a cell runs. Elsewhere
 * (JupyterLab, Notebook 7, VS Code, consoles, an untrusted or saved notebook) no button shows, and the display
 * says in words how to stop the work instead.
 *
 * <p>Tokens are made for results that are displayed unfinished and are held weakly: a result nobody else
 * holds can be collected, and its token then stops nothing.
 */
final class ResultControls {

    /** The comm target of the Stop button. */
    static final String TARGET = "jpool_result";

    private static final Map<AsyncResult<?>, String> tokens = Collections.synchronizedMap(new WeakHashMap<>());
    private static final Map<String, WeakReference<AsyncResult<?>>> results = new ConcurrentHashMap<>();

    private ResultControls() {
    }

    /** The token of a result, made on first use. */
    static String token(AsyncResult<?> r) {
        synchronized (tokens) {
            String t = tokens.get(r);
            if (t == null) {
                t = "r-" + UUID.randomUUID();
                tokens.put(r, t);
                forgetCollected();
                results.put(t, new WeakReference<>(r));
            }
            return t;
        }
    }

    private static void forgetCollected() {
        for (Iterator<WeakReference<AsyncResult<?>>> it = results.values().iterator(); it.hasNext();) {
            if (it.next().get() == null) {
                it.remove();
            }
        }
    }

    /**
     * Cancels the result of a token, as {@code cancel(true)}.
     *
     * @return whether it cancelled anything (false for an unknown token or a finished result)
     */
    static boolean stop(String token) {
        WeakReference<AsyncResult<?>> ref = token == null ? null : results.get(token);
        AsyncResult<?> r = ref == null ? null : ref.get();
        return r != null && r.cancel(true);
    }

    /** Registers the comm target of the Stop button, served outside the shell queue. */
    static void register(CommManager comms) {
        comms.registerTargetOutsideShell(TARGET, (comm, data) -> {
            String token = data.has("result") && data.get("result").isJsonPrimitive()
                    ? data.get("result").getAsString() : null;
            comm.onMessage((c, message) -> {
                JsonObject reply = new JsonObject();
                if (message.has("action") && message.get("action").isJsonPrimitive()
                        && "stop".equals(message.get("action").getAsString())) {
                    reply.addProperty("stopped", stop(token));
                } else {
                    reply.addProperty("error", "unknown message; send {\"action\": \"stop\"}");
                }
                c.send(reply);
                c.close(null);
            });
        });
    }

    /**
     * The control as HTML for a result that is not finished: a hidden Stop button the script shows where it
     * can work, and the words that say how to stop the work where it cannot.
     */
    static String html(AsyncResult<?> r) {
        String t = token(r);
        return "<div style=\"margin-top:4px;font-size:12px;color:#666\">"
                + "<button type=\"button\" data-jpool-stop=\"" + t + "\" title=\"cancel this work, as cancel(true)\" "
                + "style=\"display:none;padding:1px 10px;font-size:12px;cursor:pointer\">Stop</button>"
                + "<span data-jpool-stop-hint=\"" + t + "\">To stop it: interrupt the kernel while a cell waits for"
                + " it, or call <code>cancel(true)</code> on it.</span></div>" + SCRIPT;
    }

    /**
     * Installed once per page: a style that shows Stop buttons and hides the words, and one listener for every
     * button. Works on buttons added later without running again (displays are replaced ten times a second),
     * so a button never flickers. Acts on pointer down: an update may replace the button before a click ends.
     */
    private static final String SCRIPT = "<script>(function () {"
            + "var k = window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel;"
            + "if (!k || !k.comm_manager || window.jpoolStopControls) { return; }"
            + "window.jpoolStopControls = true;"
            + "var s = document.createElement('style');"
            + "s.textContent = '[data-jpool-stop]{display:inline-block!important}[data-jpool-stop-hint]{display:none}';"
            + "document.head.appendChild(s);"
            + "document.addEventListener('mousedown', function (e) {"
            + "var b = e.target && e.target.closest && e.target.closest('[data-jpool-stop]');"
            + "if (!b || b.disabled) { return; }"
            + "b.disabled = true; b.textContent = 'Stopping...';"
            + "var kernel = Jupyter.notebook.kernel;"
            + "var c = kernel.comm_manager.new_comm('" + TARGET + "', {result: b.getAttribute('data-jpool-stop')});"
            + "c.send({action: 'stop'});"
            + "}, true);"
            + "})();</script>";
}
