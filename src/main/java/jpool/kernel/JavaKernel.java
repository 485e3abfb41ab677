package jpool.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jpool.cluster.LibraryThreads;
import jpool.jupyter.JupyterServer;
import jpool.jupyter.JupyterMessage;
import jpool.jupyter.Request;
import jpool.jupyter.WireCodec;
import jpool.ship.CodeShipper;

/**
 * The Java kernel: answers the Jupyter requests with a JShell evaluator, magics and the display API.
 */
final class JavaKernel implements DisplaySink, MagicContext, KernelContext {

    static final String VERSION = "0.1.0";

    private static final Pattern LINE_MAGIC = Pattern.compile("^%([A-Za-z_][\\w.-]*)(?:[ \\t]+(.*))?$");
    /** IJava's magic as a value: {@code List<String> added = %jars lib/*.jar}. */
    private static final Pattern ASSIGNED_MAGIC =
            Pattern.compile("^([^%\"'/]*[^=!<>%&|^+*/-]=\\s*)%([A-Za-z_][\\w.-]*)(?:[ \\t]+(.*?))?\\s*;?\\s*$");

    private final JupyterServer server;
    private final KernelConfig config;
    private final PrintStream log;
    private final Magics magics = Magics.global();
    private final Renderers renderers = Renderers.global();
    private final MavenResolver maven = new MavenResolver();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            r -> LibraryThreads.newThread(r, "jpool-kernel-timers"));
    private final List<Runnable> interruptHooks = new CopyOnWriteArrayList<>();
    private final List<Runnable> shutdownHooks = new CopyOnWriteArrayList<>();
    private final List<Runnable> cellStartHooks = new CopyOnWriteArrayList<>();
    private final List<HistoryEntry> history = new CopyOnWriteArrayList<>();
    private final AtomicInteger cellSequence = new AtomicInteger();
    private final CompletableFuture<JShellEvaluator> evaluator = new CompletableFuture<>();
    /** Completes once start-up scripts and extensions have run; cells wait for it. */
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private volatile boolean timedOut;

    private IopubStream out;
    private IopubStream err;
    private StdinStream in;
    private volatile int executionCount;
    private volatile int runningCell;
    /** The pools' view of the running cell (its task output, its pool waits), or null. */
    private volatile CellScope runningScope;
    /** The line of the cell (0-based) at which the running magic stands. */
    private volatile int magicLine;

    private record HistoryEntry(int line, String input, String output) {
    }

    JavaKernel(JupyterServer server, KernelConfig config, PrintStream log) {
        this.server = server;
        this.config = config;
        this.log = log;
    }

    // ------------------------------------------------------------------ start

    /** Points System.out, System.err and System.in of the JVM at the notebook. */
    void installStreams() {
        out = new IopubStream("stdout", this::publishStream);
        err = new IopubStream("stderr", this::publishStream);
        in = new StdinStream(server::requestInput);
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setIn(in);
        Display.install(this);
        Notebook.install(this, server::requestInput);
    }

    private void publishStream(String name, String text) {
        JsonObject c = new JsonObject();
        c.addProperty("name", name);
        c.addProperty("text", text);
        server.publish("stream", c);
    }

    /** A stream message under the given request, whichever cell runs now. */
    private static void publishStream(Request parent, String name, String text) {
        JsonObject c = new JsonObject();
        c.addProperty("name", name);
        c.addProperty("text", text);
        parent.publish("stream", c);
    }

    void registerHandlers() {
        server.on("kernel_info_request", r -> kernelInfo());
        server.on("execute_request", this::execute);
        server.on("complete_request", this::complete);
        server.on("inspect_request", this::inspect);
        server.on("is_complete_request", this::isComplete);
        server.on("history_request", this::history);
        server.on("interrupt_request", r -> {
            interrupt();
            return new JsonObject();
        });
        server.on("shutdown_request", r -> {
            boolean restart = r.message().contentBoolean("restart", false);
            shutdown();
            JsonObject c = new JsonObject();
            c.addProperty("status", "ok");
            c.addProperty("restart", restart);
            return c;
        });
        BuiltinMagics.register(magics, maven);
        PoolMagics.register(magics, this);
        PxMagics.register(magics);
        LiveResults.register(renderers);
        ResultControls.register(server.comms()); // the Stop button of result displays
    }

    /** Creates JShell and runs the start-up code on a background thread, so the kernel answers at once. */
    void startEvaluatorAsync() {
        Thread t = new Thread(() -> {
            try {
                JShellEvaluator e = new JShellEvaluator(config.compilerOptions(), log);
                // Pools started from cells send the code they reach to their workers.
                CodeShipper.Registration shipping = CodeShipper.install(e.shipper());
                shutdownHooks.add(shipping::close);
                // Displays show a task's stack with its cell frames as In [k] line n.
                CellFrames.install(e::cellLocation);
                // ... and print their tasks' output into the cell that submitted them, while it runs.
                jpool.CallScope.Registration scopes = CellScope.installHost();
                shutdownHooks.add(scopes::close);
                for (String s : STARTUP) {
                    try {
                        e.eval(s, 0, 0, log);
                    } catch (CellException ce) {
                        log.println("jpool: start-up snippet failed: " + s + ": " + ce.getMessage());
                    }
                }
                evaluator.complete(e);
                startUserConfiguration();
                ready.complete(null);
            } catch (Throwable ex) {
                log.println("jpool: JShell failed to start: " + ex);
                ex.printStackTrace(log);
                evaluator.completeExceptionally(ex);
                ready.completeExceptionally(ex);
            }
        }, "jpool-init");
        t.setDaemon(true);
        t.start();
    }

    private void startUserConfiguration() {
        for (KernelExtension ext : ServiceLoader.load(KernelExtension.class, JavaKernel.class.getClassLoader())) {
            try {
                ext.register(this);
            } catch (RuntimeException | LinkageError e) {
                log.println("jpool: kernel extension " + ext.getClass().getName() + " failed: " + e);
            }
        }
        try {
            if (!config.classpath().isBlank()) {
                addToClasspath(ClassPathSpec.resolve(config.classpath(), workingDirectory(), false));
            }
            if (!config.startupScriptsPath().isBlank()) {
                for (Path p : ClassPathSpec.resolve(config.startupScriptsPath(), workingDirectory(), false)) {
                    runStartup(Files.readString(p), p.toString());
                }
            }
            if (!config.startupScript().isBlank()) {
                runStartup(config.startupScript(), "IJAVA_STARTUP_SCRIPT");
            }
        } catch (MagicException | IOException e) {
            log.println("jpool: configuration: " + e.getMessage());
        }
    }

    private void runStartup(String code, String what) {
        try {
            runCell(code, 0);
        } catch (CellException e) {
            log.println("jpool: start-up script " + what + " failed: " + e.ename() + ": " + e.evalue());
        }
    }

    /** JShell's usual imports plus the cell-facing display API. */
    private static final Pattern EXIT = Pattern.compile("\\s*(exit|quit)(\\(\\))?;?\\s*");

    static final List<String> STARTUP = List.of(
            "import java.io.*;",
            "import java.math.*;",
            "import java.net.*;",
            "import java.nio.file.*;",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "import java.util.concurrent.atomic.*;",
            "import java.util.concurrent.locks.*;",
            "import java.util.function.*;",
            "import java.util.regex.*;",
            "import java.util.stream.*;",
            "import jpool.kernel.*;",
            "String display(Object value, String... mimeTypes) { return jpool.kernel.Display.display(value, mimeTypes); }",
            "jpool.kernel.MimeBundle render(Object value, String... mimeTypes) { return jpool.kernel.Display.render(value, mimeTypes); }",
            "void updateDisplay(String displayId, Object value, String... mimeTypes) { jpool.kernel.Display.updateDisplay(displayId, value, mimeTypes); }",
            "void clearOutput() { jpool.kernel.Display.clearOutput(); }",
            "Object eval(String code) throws Exception { return jpool.kernel.Notebook.eval(code); }",
            "<T> T lineMagic(String name, List<String> args) throws Exception { return jpool.kernel.Notebook.lineMagic(name, args); }",
            "<T> T cellMagic(String name, List<String> args, String body) throws Exception { "
                    + "return jpool.kernel.Notebook.cellMagic(name, args, body); }");

    JShellEvaluator evaluator() throws CellException {
        try {
            return evaluator.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw JShellEvaluator.interrupted();
        } catch (ExecutionException e) {
            throw new CellException("KernelError", "JShell did not start: " + e.getCause(), List.of("JShell did not start: "
                    + e.getCause()));
        }
    }

    // ------------------------------------------------------------------ kernel_info

    private JsonObject kernelInfo() {
        JsonObject c = new JsonObject();
        c.addProperty("status", "ok");
        c.addProperty("protocol_version", JupyterMessage.PROTOCOL_VERSION);
        c.addProperty("implementation", "jpool");
        c.addProperty("implementation_version", VERSION);
        JsonObject lang = new JsonObject();
        lang.addProperty("name", "java");
        // the feature release only: a notebook saved on 17.0.15 is not marked changed when opened on 17.0.16
        lang.addProperty("version", String.valueOf(Runtime.version().feature()));
        lang.addProperty("mimetype", "text/x-java");
        lang.addProperty("file_extension", ".jshell");
        lang.addProperty("pygments_lexer", "java");
        lang.addProperty("codemirror_mode", "text/x-java");
        c.add("language_info", lang);
        c.addProperty("banner", "Java " + Runtime.version() + " (jpool " + VERSION + ", JShell)");
        c.addProperty("debugger", false);
        JsonArray links = new JsonArray();
        JsonObject jdoc = new JsonObject();
        jdoc.addProperty("text", "Java API");
        jdoc.addProperty("url", "https://docs.oracle.com/en/java/javase/" + Runtime.version().feature() + "/docs/api/");
        links.add(jdoc);
        c.add("help_links", links);
        return c;
    }

    // ------------------------------------------------------------------ execute

    private JsonObject execute(Request r) {
        String code = r.message().contentString("code", "");
        boolean silent = r.message().contentBoolean("silent", false);
        boolean storeHistory = r.message().contentBoolean("store_history", !silent);
        if (storeHistory && !silent) {
            executionCount++;
        }
        int count = executionCount;
        if (!silent) {
            JsonObject input = new JsonObject();
            input.addProperty("code", code);
            input.addProperty("execution_count", count);
            r.publish("execute_input", input);
        }
        in.reset0();
        ready.exceptionally(ex -> null).join();
        int cell = cellSequence.incrementAndGet();
        runningCell = cell;
        timedOut = false;
        ScheduledFuture<?> timeout = config.timeoutMillis() > 0
                ? timers.schedule(() -> {
                    if (runningCell == cell) {
                        timedOut = true;
                        stopCellAndItsPoolCalls(cell);
                    }
                }, config.timeoutMillis(), TimeUnit.MILLISECONDS)
                : null;
        JsonObject reply = new JsonObject();
        if (EXIT.matcher(code).matches()) {
            // jupyter console ends the session on this payload, as it does for IPython's exit
            JsonObject ask = new JsonObject();
            ask.addProperty("source", "ask_exit");
            ask.addProperty("keepkernel", false);
            JsonArray payload = new JsonArray();
            payload.add(ask);
            reply.addProperty("status", "ok");
            reply.addProperty("execution_count", count);
            reply.add("payload", payload);
            reply.add("user_expressions", new JsonObject());
            runningCell = 0;
            if (timeout != null) {
                timeout.cancel(false);
            }
            return reply;
        }
        CellScope scope = new CellScope((name, text) -> publishStream(r, name, text), timers);
        scope.enter();
        runningScope = scope;
        try {
            JShellEvaluator.Value v;
            try {
                runCellStartHooks();
                v = runCell(code, count);
            } catch (CellException e) {
                String cancelled = "Interrupted".equals(e.ename()) ? scope.interruptReport(1000) : null;
                if (timedOut && "Interrupted".equals(e.ename())) {
                    String msg = "the cell ran longer than the " + config.timeoutMillis()
                            + " ms allowed by IJAVA_TIMEOUT and was stopped" + (cancelled == null ? "" : "; " + cancelled);
                    throw new CellException("TimeoutException", msg, List.of(JShellEvaluator.RED + "TimeoutException"
                            + JShellEvaluator.RESET + ": " + msg));
                }
                if (cancelled != null) {
                    // e.g. "Interrupted: cancelled 18 tasks of pool.map (2 were running)"
                    throw new CellException("Interrupted", cancelled, List.of(JShellEvaluator.RED + "Interrupted"
                            + JShellEvaluator.RESET + ": " + cancelled));
                }
                throw e;
            } finally {
                runningScope = null;
                CellScope.leave();
                scope.close(); // the tasks' output so far, before the cell's value or error
            }
            flushStreams();
            String outputText = null;
            if (v.present() && !silent) {
                MimeBundle bundle = Display.showLiveResult(v.value(), this::renderValue);
                if (bundle == null) {
                    bundle = renderValue(v.value());
                    JsonObject result = bundleContent(bundle);
                    result.addProperty("execution_count", count);
                    r.publish("execute_result", result);
                }
                outputText = bundle.toString();
            }
            if (storeHistory) {
                history.add(new HistoryEntry(count, code, outputText));
            }
            reply.addProperty("status", "ok");
            reply.addProperty("execution_count", count);
            reply.add("payload", new JsonArray());
            reply.add("user_expressions", userExpressions(r.message().content()));
        } catch (CellException e) {
            flushStreams();
            if (storeHistory) {
                history.add(new HistoryEntry(count, code, null));
            }
            JsonObject error = new JsonObject();
            error.addProperty("ename", e.ename());
            error.addProperty("evalue", e.evalue());
            JsonArray tb = new JsonArray();
            e.traceback().forEach(tb::add);
            error.add("traceback", tb);
            r.publish("error", error);
            reply = error.deepCopy();
            reply.addProperty("status", "error");
            reply.addProperty("execution_count", count);
        } finally {
            runningCell = 0;
            if (timeout != null) {
                timeout.cancel(false);
            }
            Display.sendFinishedUpdates(500);
        }
        return reply;
    }

    private MimeBundle renderValue(Object value) {
        try {
            return renderers.render(value);
        } catch (RuntimeException | LinkageError e) {
            return MimeBundle.text(Renderers.plainText(value) + "  (renderer failed: " + e + ")");
        }
    }

    private JsonObject userExpressions(JsonObject content) {
        JsonObject result = new JsonObject();
        JsonElement exprs = content.get("user_expressions");
        if (exprs == null || !exprs.isJsonObject()) {
            return result;
        }
        for (Map.Entry<String, JsonElement> e : exprs.getAsJsonObject().entrySet()) {
            JsonObject one;
            try {
                JShellEvaluator.Value v = evaluator().eval(e.getValue().getAsString(), executionCount, 0, System.err);
                one = bundleContent(renderValue(v.present() ? v.value() : null));
                one.addProperty("status", "ok");
            } catch (CellException ce) {
                one = JupyterServer.errorContent(ce.ename(), ce.evalue(), ce.traceback().toArray(String[]::new));
            }
            result.add(e.getKey(), one);
        }
        return result;
    }

    /**
     * Runs cell text: a leading {@code %%name} line makes it a cell magic; otherwise lines {@code %name args}
     * are line magics run in place, and the Java between them is evaluated by JShell.
     */
    JShellEvaluator.Value runCell(String code, int count) throws CellException {
        JShellEvaluator e = evaluator();
        String stripped = code.stripLeading();
        if (stripped.startsWith("%%")) {
            int nl = stripped.indexOf('\n');
            String first = nl < 0 ? stripped : stripped.substring(0, nl);
            String body = nl < 0 ? "" : stripped.substring(nl + 1);
            String nameAndArgs = first.substring(2).strip();
            String name = nameAndArgs.split("\\s+", 2)[0];
            String args = nameAndArgs.length() > name.length() ? nameAndArgs.substring(name.length()).strip() : "";
            magicLine = JShellEvaluator.lineOf(code, code.length() - stripped.length());
            Magics.Entry<Magics.CellMagic> m = magics.cell(name);
            if (m == null) {
                throw usage("unknown cell magic %%" + name + "; cell magics: %%"
                        + String.join(", %%", magics.cellNames()));
            }
            return magicResult(() -> m.magic().run(args, body, this), "%%" + name);
        }
        String[] lines = code.split("\n", -1);
        StringBuilder java = new StringBuilder();
        int javaStart = 0;
        JShellEvaluator.Value last = JShellEvaluator.Value.NONE;
        boolean inTextBlock = false;
        for (int i = 0; i < lines.length; i++) {
            Matcher mm = LINE_MAGIC.matcher(lines[i].stripTrailing());
            if (mm.matches() && !inTextBlock) {
                if (!java.toString().isBlank()) {
                    last = e.eval(java.toString(), count, javaStart, System.err);
                }
                java.setLength(0);
                javaStart = i + 1;
                String name = mm.group(1);
                String args = mm.group(2) == null ? "" : mm.group(2).strip();
                Magics.Entry<Magics.LineMagic> m = magics.line(name);
                if (m == null) {
                    throw usage("unknown line magic %" + name + "; line magics: %" + String.join(", %", magics.lineNames()));
                }
                magicLine = i;
                last = magicResult(() -> m.magic().run(args, this), "%" + name);
            } else {
                if (java.length() == 0) {
                    javaStart = i;
                } else {
                    java.append('\n');
                }
                java.append(inTextBlock ? lines[i] : magicAsValue(lines[i]));
                inTextBlock ^= textBlockDelimiters(lines[i]) % 2 == 1;
            }
        }
        if (!java.toString().isBlank()) {
            last = e.eval(java.toString(), count, javaStart, System.err);
            if (endsWithSemicolon(java.toString())) {
                last = JShellEvaluator.Value.NONE;
            }
        }
        return last;
    }

    private static final Pattern TRAILING_LINE_COMMENT = Pattern.compile("//[^\"'\n]*$");

    /** Whether Java text ends with {@code ;} (after blanks and a trailing line comment): IPython's "no value" mark. */
    static boolean endsWithSemicolon(String java) {
        String s = java.stripTrailing();
        int lastLine = s.lastIndexOf('\n') + 1;
        Matcher m = TRAILING_LINE_COMMENT.matcher(s.substring(lastLine));
        if (m.find()) {
            s = s.substring(0, lastLine + m.start()).stripTrailing();
        }
        return s.endsWith(";");
    }

    /** Rewrites {@code x = %name args} (a registered line magic) into a call of {@code lineMagic}; other lines stay. */
    private String magicAsValue(String line) {
        Matcher m = ASSIGNED_MAGIC.matcher(line);
        if (!m.matches() || magics.line(m.group(2)) == null) {
            return line;
        }
        StringBuilder call = new StringBuilder(m.group(1)).append("lineMagic(\"").append(m.group(2))
                .append("\", java.util.List.of(");
        String args = m.group(3) == null ? "" : m.group(3).strip();
        boolean first = true;
        for (String a : args.isEmpty() ? new String[0] : args.split("\\s+")) {
            call.append(first ? "" : ", ").append(javaString(a));
            first = false;
        }
        return call.append("));").toString();
    }

    static String javaString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    @Override
    public Object lineMagic(String name, String args) throws Exception {
        Magics.Entry<Magics.LineMagic> m = magics.line(name);
        if (m == null) {
            throw new MagicException("unknown line magic %" + name);
        }
        return m.magic().run(args, this);
    }

    @Override
    public Object cellMagic(String name, String args, String body) throws Exception {
        Magics.Entry<Magics.CellMagic> m = magics.cell(name);
        if (m == null) {
            throw new MagicException("unknown cell magic %%" + name);
        }
        return m.magic().run(args, body, this);
    }

    private interface MagicCall {
        Object call() throws Exception;
    }

    private JShellEvaluator.Value magicResult(MagicCall call, String what) throws CellException {
        try {
            Object v = call.call();
            return v == null ? JShellEvaluator.Value.NONE : new JShellEvaluator.Value(true, v);
        } catch (CellException e) {
            throw e;
        } catch (MagicException e) {
            throw usage(what + ": " + e.getMessage());
        } catch (Exception | LinkageError e) {
            List<String> tb = new ArrayList<>();
            tb.add(JShellEvaluator.RED + e.getClass().getName() + JShellEvaluator.RESET + ": " + e.getMessage()
                    + " (in " + what + ")");
            for (StackTraceElement el : e.getStackTrace()) {
                if (el.getClassName().startsWith("jpool.kernel.JavaKernel")) {
                    break;
                }
                tb.add("    at " + el);
            }
            throw new CellException(e.getClass().getName(), String.valueOf(e.getMessage()), tb);
        }
    }

    static CellException usage(String message) {
        return new CellException("UsageError", message, List.of(JShellEvaluator.RED + "UsageError" + JShellEvaluator.RESET
                + ": " + message));
    }

    // ------------------------------------------------------------------ complete, inspect, is_complete

    private static final Pattern MAGIC_PREFIX = Pattern.compile("^\\s*(%%?)([\\w.-]*)$");

    private JsonObject complete(Request r) throws CellException {
        String code = r.message().contentString("code", "");
        int cursor = charIndex(code, r.message().contentInt("cursor_pos", code.codePointCount(0, code.length())));
        int lineStart = code.lastIndexOf('\n', cursor - 1) + 1;
        List<String> matches = new ArrayList<>();
        int start;
        Matcher m = MAGIC_PREFIX.matcher(code.substring(lineStart, cursor));
        if (m.matches()) {
            boolean cellMagic = m.group(1).equals("%%");
            for (String name : cellMagic ? magics.cellNames() : magics.lineNames()) {
                if (name.startsWith(m.group(2))) {
                    matches.add(m.group(1) + name);
                }
            }
            start = lineStart + m.start(1);
        } else {
            String masked = maskMagicLines(code);
            JShellEvaluator.Completions c = evaluator().complete(masked, cursor);
            matches.addAll(c.matches());
            start = c.start();
        }
        JsonObject reply = new JsonObject();
        JsonArray arr = new JsonArray();
        matches.forEach(arr::add);
        reply.add("matches", arr);
        reply.addProperty("cursor_start", code.codePointCount(0, start));
        reply.addProperty("cursor_end", code.codePointCount(0, cursor));
        reply.add("metadata", new JsonObject());
        reply.addProperty("status", "ok");
        return reply;
    }

    private JsonObject inspect(Request r) throws CellException {
        String code = r.message().contentString("code", "");
        int cursor = charIndex(code, r.message().contentInt("cursor_pos", code.codePointCount(0, code.length())));
        int detail = r.message().contentInt("detail_level", 0);
        int lineStart = code.lastIndexOf('\n', Math.max(0, cursor - 1)) + 1;
        int lineEnd = code.indexOf('\n', cursor);
        String line = code.substring(lineStart, lineEnd < 0 ? code.length() : lineEnd).strip();
        String text = null;
        if (line.startsWith("%")) {
            String name = line.replaceFirst("^%%?", "").split("\\s+", 2)[0];
            Magics.Entry<?> e = line.startsWith("%%") ? magics.cell(name) : magics.line(name);
            if (e != null) {
                text = e.help();
            }
        } else {
            text = evaluator().inspect(maskMagicLines(code), cursor, detail > 0);
        }
        JsonObject reply = new JsonObject();
        reply.addProperty("status", "ok");
        reply.addProperty("found", text != null);
        JsonObject data = new JsonObject();
        if (text != null) {
            data.addProperty("text/plain", text);
        }
        reply.add("data", data);
        reply.add("metadata", new JsonObject());
        return reply;
    }

    private JsonObject isComplete(Request r) throws CellException {
        String code = r.message().contentString("code", "");
        JsonObject reply = new JsonObject();
        String status;
        if (code.stripLeading().startsWith("%%")) {
            status = "complete";
        } else {
            status = evaluator().isComplete(maskMagicLines(code));
        }
        reply.addProperty("status", status);
        if ("incomplete".equals(status)) {
            String lastLine = code.substring(code.lastIndexOf('\n') + 1);
            String indent = lastLine.substring(0, lastLine.length() - lastLine.stripLeading().length());
            reply.addProperty("indent", lastLine.strip().endsWith("{") ? indent + "    " : indent);
        }
        return reply;
    }

    /**
     * Replaces line-magic lines, and a cell magic's first line (the body of %%px, %%task or %%time is Java), with
     * spaces (same length), so offsets stay valid for Java analysis.
     */
    static String maskMagicLines(String code) {
        String[] lines = code.split("\n", -1);
        StringBuilder sb = new StringBuilder(code.length());
        boolean inTextBlock = false;
        int cellMagicLine = code.stripLeading().startsWith("%%") ? JShellEvaluator.lineOf(code,
                code.length() - code.stripLeading().length()) : -1;
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                sb.append('\n');
            }
            boolean magic = !inTextBlock && (i == cellMagicLine || LINE_MAGIC.matcher(lines[i].stripTrailing()).matches());
            sb.append(magic ? " ".repeat(lines[i].length()) : lines[i]);
            if (!magic) {
                inTextBlock ^= textBlockDelimiters(lines[i]) % 2 == 1;
            }
        }
        return sb.toString();
    }

    /**
     * How many text block delimiters ({@code """}) a line of Java holds, so that a line starting with
     * {@code %} inside a text block (a format string) is not taken for a magic. Comments and ordinary
     * string literals containing three quotes are rare enough to be ignored.
     */
    static int textBlockDelimiters(String line) {
        int n = 0;
        for (int at = line.indexOf("\"\"\""); at >= 0; at = line.indexOf("\"\"\"", at + 3)) {
            if (at > 0 && line.charAt(at - 1) == '\\') {
                continue;
            }
            n++;
        }
        return n;
    }

    /** Jupyter counts cursor positions in code points; Java strings in UTF-16 chars. */
    static int charIndex(String s, int codePoints) {
        try {
            return s.offsetByCodePoints(0, Math.max(0, Math.min(codePoints, s.codePointCount(0, s.length()))));
        } catch (IndexOutOfBoundsException e) {
            return s.length();
        }
    }

    // ------------------------------------------------------------------ history

    private JsonObject history(Request r) {
        JupyterMessage m = r.message();
        boolean output = m.contentBoolean("output", false);
        String access = m.contentString("hist_access_type", "tail");
        List<HistoryEntry> selected = new ArrayList<>();
        List<HistoryEntry> all = new ArrayList<>(history);
        switch (access) {
            case "range" -> {
                int session = m.contentInt("session", 0);
                int start = m.contentInt("start", 0);
                int stop = m.contentInt("stop", Integer.MAX_VALUE);
                if (session == 0 || session == 1) {
                    for (HistoryEntry e : all) {
                        if (e.line >= start && e.line < stop) {
                            selected.add(e);
                        }
                    }
                }
            }
            case "search" -> {
                String pattern = m.contentString("pattern", "*");
                boolean unique = m.contentBoolean("unique", false);
                Pattern regex = Pattern.compile(globToRegex(pattern), Pattern.DOTALL);
                List<String> seen = new ArrayList<>();
                for (HistoryEntry e : all) {
                    if (regex.matcher(e.input).matches() && (!unique || !seen.contains(e.input))) {
                        seen.add(e.input);
                        selected.add(e);
                    }
                }
                int n = m.contentInt("n", 0);
                if (n > 0 && selected.size() > n) {
                    selected = selected.subList(selected.size() - n, selected.size());
                }
            }
            default -> {
                int n = m.contentInt("n", 10);
                selected = all.subList(Math.max(0, all.size() - n), all.size());
            }
        }
        JsonArray list = new JsonArray();
        for (HistoryEntry e : selected) {
            JsonArray item = new JsonArray();
            item.add(1);
            item.add(e.line);
            if (output) {
                JsonArray io = new JsonArray();
                io.add(e.input);
                io.add(e.output == null ? JsonNull.INSTANCE : new JsonPrimitive(e.output));
                item.add(io);
            } else {
                item.add(e.input);
            }
            list.add(item);
        }
        JsonObject reply = new JsonObject();
        reply.addProperty("status", "ok");
        reply.add("history", list);
        return reply;
    }

    private static String globToRegex(String glob) {
        StringBuilder sb = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> sb.append(".*");
                case '?' -> sb.append('.');
                default -> sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ interrupt, shutdown

    /** Stops the running cell (and a pending input request), then runs the interrupt hooks. */
    void interrupt() {
        int cell = runningCell;
        server.cancelInput("interrupted");
        if (cell != 0) {
            stopCellAndItsPoolCalls(cell);
        }
        for (Runnable hook : interruptHooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                log.println("jpool: interrupt hook failed: " + e);
            }
        }
    }

    /**
     * Stops the cell's code, then cancels the pool calls it waited in (in that order, so that the cell ends as
     * interrupted and not with the cancellation), on this thread: on JDK 17 the cell thread is stopped with
     * Thread.stop and must not be the one to run the cancellation.
     */
    private void stopCellAndItsPoolCalls(int cell) {
        CellScope scope = runningScope;
        List<Runnable> cancels = scope == null ? List.of() : scope.beginInterrupt();
        stopCell(cell);
        if (scope != null) {
            scope.finishInterrupt(cancels, log);
        }
    }

    /**
     * JShell.stop() only reaches code that is already running; a stop that arrives while the snippet
     * compiles is remembered by the engine, and the stop is repeated briefly until the cell is over.
     */
    private void stopCell(int cell) {
        JShellEvaluator e = evaluator.getNow(null);
        if (e == null) {
            return;
        }
        e.stop();
        AtomicInteger tries = new AtomicInteger();
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        self[0] = timers.scheduleAtFixedRate(() -> {
            if (runningCell != cell || tries.incrementAndGet() > 50) {
                self[0].cancel(false);
                return;
            }
            e.stop();
        }, 100, 100, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs the shutdown hooks (once) and stops background work; the server closes after the reply. Also
     * called when the parent process dies and on SIGTERM (a JVM shutdown hook).
     */
    synchronized void shutdown() {
        for (Runnable hook : shutdownHooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                log.println("jpool: shutdown hook failed: " + e);
            }
        }
        shutdownHooks.clear();
        Display.stopAllLive();
        flushStreams();
    }

    // ------------------------------------------------------------------ DisplaySink

    @Override
    public void display(MimeBundle bundle, String displayId) {
        JsonObject c = bundleContent(bundle);
        JsonObject tr = new JsonObject();
        if (displayId != null) {
            tr.addProperty("display_id", displayId);
        }
        c.add("transient", tr);
        server.publish("display_data", c);
    }

    @Override
    public void update(MimeBundle bundle, String displayId) {
        JsonObject c = bundleContent(bundle);
        JsonObject tr = new JsonObject();
        tr.addProperty("display_id", displayId);
        c.add("transient", tr);
        server.publish("update_display_data", c);
    }

    @Override
    public void clearOutput(boolean wait) {
        JsonObject c = new JsonObject();
        c.addProperty("wait", wait);
        server.publish("clear_output", c);
    }

    @Override
    public void flushStreams() {
        if (out != null) {
            out.publishNow();
            err.publishNow();
        }
    }

    /** {@code data} and {@code metadata} of a bundle as JSON. */
    static JsonObject bundleContent(MimeBundle bundle) {
        JsonObject data = new JsonObject();
        for (Map.Entry<String, Object> e : bundle.data().entrySet()) {
            data.add(e.getKey(), mimeValue(e.getKey(), e.getValue()));
        }
        if (!data.has("text/plain")) {
            data.addProperty("text/plain", bundle.toString());
        }
        JsonObject c = new JsonObject();
        c.add("data", data);
        c.add("metadata", WireCodec.GSON.toJsonTree(bundle.metadata()));
        return c;
    }

    private static JsonElement mimeValue(String mime, Object v) {
        if (v == null) {
            return JsonNull.INSTANCE;
        }
        if (v instanceof JsonElement j) {
            return j;
        }
        if (v instanceof byte[] b) {
            return new JsonPrimitive(Base64.getEncoder().encodeToString(b));
        }
        boolean json = mime.toLowerCase(Locale.ROOT).endsWith("json");
        if (v instanceof CharSequence s) {
            if (json) {
                try {
                    return JsonParser.parseString(s.toString());
                } catch (RuntimeException e) {
                    return new JsonPrimitive(s.toString());
                }
            }
            return new JsonPrimitive(s.toString());
        }
        if (json) {
            try {
                return WireCodec.GSON.toJsonTree(v);
            } catch (RuntimeException e) {
                return new JsonPrimitive(String.valueOf(v));
            }
        }
        return new JsonPrimitive(String.valueOf(v));
    }

    // ------------------------------------------------------------------ MagicContext, KernelContext

    @Override
    public Object evalCell(String code) throws Exception {
        JShellEvaluator.Value v = runCell(code, executionCount);
        return v.present() ? v.value() : null;
    }

    @Override
    public Object eval(String code) throws Exception {
        return evalCell(code);
    }

    @Override
    public Object evalJava(String java, int firstLine) throws CellException {
        JShellEvaluator.Value v = evaluator().eval(java, executionCount, firstLine, System.err);
        return v.present() ? v.value() : null;
    }

    @Override
    public int magicLine() {
        return magicLine;
    }

    @Override
    public void onCellStart(Runnable action) {
        cellStartHooks.add(action);
    }

    private void runCellStartHooks() {
        for (Runnable hook : cellStartHooks) {
            try {
                hook.run();
            } catch (RuntimeException | LinkageError e) {
                log.println("jpool: cell start hook failed: " + e);
            }
        }
    }

    @Override
    public List<String> frames(Throwable t) {
        JShellEvaluator e = evaluator.isCompletedExceptionally() ? null : evaluator.getNow(null);
        return e == null ? List.of() : e.frames(t, executionCount);
    }

    @Override
    public jdk.jshell.SourceCodeAnalysis analysis() throws CellException {
        return evaluator().shell().sourceCodeAnalysis();
    }

    @Override
    public void addToClasspath(List<Path> entries) {
        JShellEvaluator e;
        try {
            e = evaluator();
        } catch (CellException ce) {
            throw new IllegalStateException(ce.evalue());
        }
        for (Path p : entries) {
            e.addToClasspath(p.toAbsolutePath().normalize().toString());
        }
    }

    @Override
    public Path workingDirectory() {
        return Path.of("").toAbsolutePath();
    }

    @Override
    public Magics magics() {
        return magics;
    }

    @Override
    public Renderers renderers() {
        return renderers;
    }

    @Override
    public jpool.jupyter.CommManager comms() {
        return server.comms();
    }

    @Override
    public void onInterrupt(Runnable action) {
        interruptHooks.add(action);
    }

    @Override
    public void onShutdown(Runnable action) {
        shutdownHooks.add(action);
    }

    /** Process CPU time in nanoseconds, or -1 when the JVM does not tell. */
    static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }
}
