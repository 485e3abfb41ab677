package jpool.kernel;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;
import jdk.jshell.spi.ExecutionControl;
import jpool.ship.CaptureAnalyzer;
import jpool.ship.ClassRegistry;
import jpool.ship.CodeShipper;
import jpool.ship.RecordingExecutionControlProvider;

/**
 * Evaluates Java with JShell, in this JVM, through the recording engine (so cell classes can be shipped):
 * splits cell text into snippets, evaluates them in order, and turns failures into Jupyter errors whose
 * traceback points at cell lines.
 */
final class JShellEvaluator implements AutoCloseable {

    /** The result of evaluating some Java. */
    record Value(boolean present, Object value) {
        static final Value NONE = new Value(false, null);
    }

    /** Where a snippet came from: the cell (execution count) and its first line in that cell (0-based). */
    private record Origin(int executionCount, int firstLine) {
    }

    static final String RED = "\u001b[0;31m";
    static final String GREEN = "\u001b[0;32m";
    static final String CYAN = "\u001b[0;36m";
    static final String RESET = "\u001b[0m";

    private static final boolean DEBUG = System.getenv("JPOOL_DEBUG") != null;
    private static final Pattern SNIPPET_FILE = Pattern.compile("#(\\w+)");

    private final JShell shell;
    private final PrintStream log;
    private final SourceCodeAnalysis analysis;
    private final RecordingExecutionControlProvider provider;
    private final Map<String, Origin> origins = new ConcurrentHashMap<>();
    /** Each wrapper class's snippet and lines, for frames that JShell did not rewrite. */
    private final CellFrames frames = new CellFrames();
    /** The origin of each wrapper class's code: a redefinition keeps the snippet id, not the class. */
    private final Map<String, Origin> classOrigins = new ConcurrentHashMap<>();
    private volatile ValueCapturingControl control;
    private volatile boolean stopRequested;
    private volatile boolean running;
    /** What this JShell defines and adds to its class path, recorded for shipping. */
    private final ClassRegistry registry = new ClassRegistry();
    private final CodeShipper shipper;

    /**
     * Snippets that can run again without compiling: an expression or statement whose exact source already
     * ran successfully, while no declaration, import or class-path entry has changed since (the
     * {@link #generation}), means exactly what it meant then, so its loaded wrapper class is invoked again.
     * JShell needs 15-60 ms of javac per snippet; a re-run cell then costs well under a millisecond.
     */
    private final Map<String, Reusable> reusable = new ConcurrentHashMap<>();
    private volatile long generation;

    private record Reusable(long generation, String className, String snippetId, boolean hasValue) {
    }

    /**
     * @param compilerOptions options for JShell's javac
     * @param log the kernel's diagnostics stream (not the notebook's)
     */
    JShellEvaluator(List<String> compilerOptions, PrintStream log) {
        this.log = log;
        this.shipper = new CaptureAnalyzer(registry);
        provider = new RecordingExecutionControlProvider(registry, JShellEvaluator.class.getClassLoader(),
                delegate -> {
                    ValueCapturingControl c = new ValueCapturingControl(delegate);
                    control = c;
                    return c;
                });
        JShell.Builder b = JShell.builder().executionEngine(provider, Map.of()).out(log).err(log);
        if (!compilerOptions.isEmpty()) {
            b.compilerOptions(compilerOptions.toArray(String[]::new));
        }
        shell = b.build();
        analysis = shell.sourceCodeAnalysis();
    }

    /**
     * The code shipper over this JShell's classes and class path, for pools to send cell code to
     * their workers. The kernel {@linkplain CodeShipper#install installs} it; pools started before
     * that, or in a JVM where it is not installed, ship nothing.
     */
    CodeShipper shipper() {
        return shipper;
    }

    JShell shell() {
        return shell;
    }

    /** The loader of cell classes. */
    ClassLoader cellClassLoader() {
        return provider.delegate().classLoader();
    }

    /** Adds an entry to the class path of compilation and execution (recorded for shipping). */
    void addToClasspath(String path) {
        shell.addToClasspath(path);
        invalidateReusable();
    }

    private void invalidateReusable() {
        generation++;
        reusable.clear();
    }

    /** Stops the running snippet, if any (JShell.stop: Thread.stop on JDK 17, stop checks on later JDKs). */
    void stop() {
        if (running) {
            stopRequested = true;
            ValueCapturingControl c = control;
            if (c != null) {
                c.stopPending(true);
            }
            shell.stop();
        }
    }

    boolean isRunning() {
        return running;
    }

    /**
     * Evaluates Java source: every snippet in order; stops at the first failure.
     *
     * @param executionCount the cell's execution count (for tracebacks)
     * @param lineOffset the line of the cell where {@code code} starts (0-based)
     * @param err where notes about declarations that wait for missing ones are printed
     * @return the value of the last snippet if it is an expression
     */
    Value eval(String code, int executionCount, int lineOffset, PrintStream err) throws CellException {
        Value last = Value.NONE;
        String rest = code;
        stopRequested = false;
        if (control != null) {
            control.stopPending(false);
        }
        while (!rest.isBlank()) {
            CompletionInfo ci = analysis.analyzeCompletion(rest);
            Completeness c = ci.completeness();
            if (c == Completeness.EMPTY) {
                break;
            }
            if (c == Completeness.DEFINITELY_INCOMPLETE || c == Completeness.CONSIDERED_INCOMPLETE) {
                int start = code.length() - rest.length() + leadingSpace(rest);
                int line = lineOffset + lineOf(code, start) + 1;
                String first = rest.strip().lines().findFirst().orElse("");
                throw new CellException("IncompleteSource", "the code starting at cell line " + line + " is incomplete",
                        List.of(RED + "IncompleteSource" + RESET + ": the code starting at cell line " + line
                                + " is incomplete (a missing ';', '}' or ')'?)", "    " + first));
            }
            String src = ci.source();
            String remaining = ci.remaining();
            int consumedFrom = code.length() - rest.length();
            int start = consumedFrom + locate(rest, src);
            rest = remaining;
            // JShell numbers a method's lines one short when its source starts with a line break, so the
            // snippet goes in from its first non-blank character, and its first line is counted here.
            last = evalSnippet(src.stripLeading(), executionCount, lineOffset + lineOf(code, start) + leadingNewlines(src), err);
            if (stopRequested) {
                throw interrupted();
            }
        }
        return last;
    }

    static CellException interrupted() {
        return new CellException("Interrupted", "the cell was stopped by an interrupt",
                List.of(RED + "Interrupted" + RESET + ": the cell was stopped by an interrupt"));
    }

    private Value evalSnippet(String src, int executionCount, int firstLine, PrintStream err) throws CellException {
        Reusable again = reusable.get(src);
        if (again != null && again.generation == generation && control != null) {
            long t0 = System.nanoTime();
            try {
                return reinvoke(again, executionCount, firstLine + leadingNewlines(src));
            } finally {
                if (DEBUG) {
                    log.printf("jpool: re-ran a loaded snippet in %.3f ms%n", (System.nanoTime() - t0) / 1e6);
                }
            }
        }
        if (DEBUG) {
            log.println("jpool: compiling snippet (generation " + generation + "): " + src.strip());
        }
        List<SnippetEvent> events;
        running = true;
        if (control != null) {
            control.takeValue();
            control.takeInvokedClass();
        }
        long generationBefore = generation;
        try {
            events = shell.eval(src);
        } finally {
            running = false;
        }
        Object captured = control == null ? ValueCapturingControl.NONE : control.takeValue();
        String invoked = control == null ? null : control.takeInvokedClass();
        Value value = Value.NONE;
        boolean secondary = events.stream().anyMatch(e -> e.causeSnippet() != null);
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) {
                if (e.status().isDefined()) {
                    // recompiled under a new class because a declaration changed; the code is still its cell's
                    recordWrapper(e.snippet(), origins.get(e.snippet().id()));
                }
                continue;
            }
            Snippet.Kind kind = e.snippet().kind();
            Snippet.SubKind subKind = e.snippet().subKind();
            boolean declares = kind == Snippet.Kind.IMPORT || kind == Snippet.Kind.TYPE_DECL
                    || kind == Snippet.Kind.METHOD
                    || kind == Snippet.Kind.VAR && subKind != Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND;
            if (declares && e.status() != Snippet.Status.REJECTED || secondary) {
                invalidateReusable();
            } else if (e.status() == Snippet.Status.VALID && e.exception() == null && invoked != null
                    && !stopRequested && generation == generationBefore
                    && (kind == Snippet.Kind.EXPRESSION || kind == Snippet.Kind.STATEMENT || kind == Snippet.Kind.VAR)) {
                boolean hasValue = subKind == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND
                        || subKind == Snippet.SubKind.VAR_VALUE_SUBKIND;
                if (reusable.size() >= 10_000) {
                    reusable.clear(); // bound the memory of a long session of distinct expressions
                }
                reusable.put(src, new Reusable(generation, invoked, e.snippet().id(), hasValue));
            }
            Snippet sn = e.snippet();
            // JShell numbers the lines of stack frames from the snippet's first non-blank line
            origins.put(sn.id(), new Origin(executionCount, firstLine + leadingNewlines(src)));
            if (e.status().isDefined()) {
                recordWrapper(sn, origins.get(sn.id()));
            }
            if (e.status() == Snippet.Status.REJECTED) {
                throw compileError(sn, src, firstLine);
            }
            if (e.exception() != null) {
                if (stopRequested) {
                    throw interrupted();
                }
                throw runtimeError(e.exception(), executionCount);
            }
            if (e.status() == Snippet.Status.RECOVERABLE_DEFINED || e.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                if (sn instanceof DeclarationSnippet d) {
                    String missing = shell.unresolvedDependencies(d).collect(Collectors.joining(", "));
                    err.println("note: " + describe(d) + " was defined, but it cannot be used until "
                            + missing + " is defined");
                }
            }
            Snippet.SubKind sk = sn.subKind();
            if (sk == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND || sk == Snippet.SubKind.VAR_VALUE_SUBKIND) {
                value = new Value(true, captured == ValueCapturingControl.NONE ? null : captured);
            }
        }
        return value;
    }

    /** Runs an already loaded snippet again (see {@link #reusable}). */
    private Value reinvoke(Reusable r, int executionCount, int firstLine) throws CellException {
        origins.put(r.snippetId, new Origin(executionCount, firstLine));
        classOrigins.put(r.className, new Origin(executionCount, firstLine));
        running = true;
        control.takeValue();
        try {
            control.invoke(r.className, "do_it$");
        } catch (ExecutionControl.StoppedException e) {
            throw interrupted();
        } catch (ExecutionControl.UserException e) {
            throw runtimeError(e, r, executionCount, firstLine);
        } catch (ExecutionControl.ExecutionControlException e) {
            reusable.values().remove(r);
            throw new CellException("KernelError", String.valueOf(e.getMessage()), List.of(RED + "KernelError" + RESET
                    + ": " + e));
        } finally {
            running = false;
        }
        Object v = control.takeValue();
        if (stopRequested) {
            throw interrupted();
        }
        return r.hasValue ? new Value(true, v == ValueCapturingControl.NONE ? null : v) : Value.NONE;
    }

    /** An exception thrown by a re-invoked snippet: its stack is raw, so cell frames are found by their class. */
    private CellException runtimeError(ExecutionControl.UserException ue, Reusable r, int executionCount, int firstLine) {
        List<String> tb = new ArrayList<>();
        String ename = ue.causeExceptionClass();
        String evalue = ue.getMessage() == null ? "" : ue.getMessage();
        Throwable t = ue;
        boolean first = true;
        while (t != null) {
            String name = t instanceof ExecutionControl.UserException u ? u.causeExceptionClass() : t.getClass().getName();
            String msg = t.getMessage();
            String head = RED + name + RESET + (msg == null || msg.isEmpty() ? "" : ": " + msg);
            tb.add(first ? head : "Caused by: " + head);
            for (StackTraceElement el : CellFrames.shown(t.getStackTrace())) {
                tb.add("    at " + frame(el, executionCount));
            }
            if (NOT_SERIALIZABLE.equals(name)) {
                break;
            }
            first = false;
            t = t.getCause();
        }
        return new CellException(ename, evalue, tb);
    }

    private static final String NOT_SERIALIZABLE = "jpool.NotSerializableTaskException";

    /**
     * Records which snippet line each line of a defined snippet's wrapper source holds (see {@link CellFrames}):
     * the wrapper line of every source character that is not blank, from JShell's own position map.
     */
    private void recordWrapper(Snippet sn, Origin origin) {
        try {
            SourceCodeAnalysis.SnippetWrapper w = analysis.wrapper(sn);
            String wrapped = w.wrapped();
            String source = w.source();
            List<Integer> starts = new ArrayList<>();
            starts.add(0);
            for (int i = 0; i < wrapped.length(); i++) {
                if (wrapped.charAt(i) == '\n') {
                    starts.add(i + 1);
                }
            }
            int[] map = new int[starts.size() + 1];
            int line = 1;
            for (int p = 0; p < source.length(); p++) {
                char c = source.charAt(p);
                if (c == '\n') {
                    line++;
                } else if (!Character.isWhitespace(c)) {
                    int at = w.sourceToWrappedPosition(p);
                    int wrapperLine = -java.util.Collections.binarySearch(starts, at + 1) - 1; // 1-based
                    if (wrapperLine > 0 && wrapperLine < map.length && map[wrapperLine] == 0) {
                        map[wrapperLine] = line;
                    }
                }
            }
            frames.record(w.fullClassName(), sn.id(), map);
            if (origin != null) {
                classOrigins.put(w.fullClassName(), origin);
            }
        } catch (RuntimeException e) {
            // without the map, such frames show as cell code without a line
        }
    }

    /**
     * Where a frame of cell code is, as the notebook says it: {@code In [3] line 2}, or {@code startup code line
     * 2} for code that ran before the first cell; null for a frame that is not cell code. Takes frames as
     * JShell rewrote them and raw ones (a task's stack from a worker). Any thread.
     */
    String cellLocation(StackTraceElement el) {
        Where w = where(el);
        if (w == null) {
            return null;
        }
        return w.origin == null || w.origin.executionCount == 0 ? "startup code line " + w.line
                : "In [" + w.origin.executionCount + "] line " + (w.origin.firstLine + w.line);
    }

    /** A frame's snippet origin (null if not known) and line within the snippet; null if not cell code. */
    private record Where(Origin origin, int line) {
    }

    private Where where(StackTraceElement el) {
        String file = el.getFileName();
        if (file != null) {
            Matcher m = SNIPPET_FILE.matcher(file);
            if (m.matches()) {
                return new Where(origins.get(m.group(1)), el.getLineNumber());
            }
        }
        CellFrames.Place p = frames.place(el);
        if (p == null) {
            return null;
        }
        Origin o = classOrigins.get(p.wrapperClass());
        return new Where(o != null ? o : origins.get(p.snippetId()), p.line());
    }

    /** jpool's own frames (the pool, the kernel) say nothing about the user's code, so tracebacks leave them out. */
    static boolean ownFrame(StackTraceElement el) {
        return CellFrames.ownFrame(el);
    }

    private static String describe(DeclarationSnippet d) {
        String kind = switch (d.kind()) {
            case METHOD -> "method";
            case TYPE_DECL -> "type";
            case VAR -> "variable";
            default -> d.kind().name().toLowerCase(Locale.ROOT);
        };
        return kind + " " + d.name();
    }

    // ------------------------------------------------------------------ errors

    private CellException compileError(Snippet sn, String src, int firstLine) {
        List<Diag> diags = shell.diagnostics(sn).filter(Diag::isError).collect(Collectors.toList());
        if (diags.isEmpty()) {
            diags = shell.diagnostics(sn).collect(Collectors.toList());
        }
        List<String> tb = new ArrayList<>();
        String first = null;
        String[] lines = src.split("\n", -1);
        for (Diag d : diags) {
            String msg = d.getMessage(Locale.ROOT).lines()
                    .filter(l -> !l.strip().matches("location: class\\s*(REPL\\..*)?"))
                    .collect(Collectors.joining("\n"));
            if (first == null) {
                first = msg.lines().findFirst().orElse(msg);
            }
            long pos = d.getStartPosition() >= 0 ? d.getStartPosition() : d.getPosition();
            if (pos < 0 || pos > src.length()) {
                tb.add(RED + "cell line " + (firstLine + 1) + RESET + ": " + msg);
                continue;
            }
            int line = lineOf(src, (int) pos);
            int lineStart = src.lastIndexOf('\n', (int) pos - 1) + 1;
            int col = (int) pos - lineStart;
            long end = d.getEndPosition() > pos ? d.getEndPosition() : pos + 1;
            String text = line < lines.length ? lines[line] : "";
            int width = (int) Math.max(1, Math.min(end - pos, text.length() - col));
            tb.add(RED + "cell line " + (firstLine + line + 1) + RESET + ": " + msg);
            tb.add("    " + text);
            tb.add("    " + " ".repeat(Math.max(0, col)) + GREEN + "^".repeat(width) + RESET);
        }
        if (first == null) {
            first = "the snippet was rejected";
            tb.add(RED + "cell line " + (firstLine + 1) + RESET + ": " + first);
        }
        String hint = ambiguityHint(first);
        if (hint != null) {
            tb.add(hint);
        }
        return new CellException("CompilationError", first, tb);
    }

    private static final Pattern AMBIGUOUS_PRINT = Pattern.compile("reference to (print|println|printf|format|valueOf|"
            + "append|add|of) is ambiguous");

    /**
     * Java infers a generic method's result type from where the result goes; passed straight to an overloaded
     * method such as {@code println}, a call like {@code pool.apply(x -> x + 1, 1)} has no single best overload.
     */
    static String ambiguityHint(String message) {
        Matcher m = AMBIGUOUS_PRINT.matcher(message);
        if (!m.find()) {
            return null;
        }
        return "hint: a generic call's result (pool.apply(...), pool.map(...), r.get()) passed straight to "
                + m.group(1) + " has no type Java can choose an overload by. Give it one first, e.g.\n"
                + "    Integer r = pool.apply(x -> x + 1, 1);\n    System.out.println(r);\n"
                + "or cast it: System.out.println((Object) pool.apply(x -> x + 1, 1));";
    }

    private CellException runtimeError(JShellException ex, int executionCount) {
        List<String> tb = new ArrayList<>();
        String ename;
        String evalue;
        if (ex instanceof EvalException ee) {
            ename = ee.getExceptionClassName();
            evalue = ee.getMessage() == null ? "" : ee.getMessage();
        } else if (ex instanceof UnresolvedReferenceException ure) {
            ename = "UnresolvedReference";
            DeclarationSnippet d = ure.getSnippet();
            evalue = describe(d) + " cannot be used until "
                    + shell.unresolvedDependencies(d).collect(Collectors.joining(", ")) + " is defined";
        } else {
            ename = ex.getClass().getName();
            evalue = String.valueOf(ex.getMessage());
        }
        Throwable t = ex;
        boolean firstLevel = true;
        Set<Throwable> seen = new LinkedHashSet<>();
        while (t != null && seen.add(t)) {
            String name = t instanceof EvalException e2 ? e2.getExceptionClassName()
                    : t == ex ? ename : t.getClass().getName();
            String msg = t == ex ? evalue : t.getMessage();
            String head = RED + name + RESET + (msg == null || msg.isEmpty() ? "" : ": " + msg);
            tb.add(firstLevel ? head : "Caused by: " + head);
            for (StackTraceElement el : CellFrames.shown(t.getStackTrace())) {
                tb.add("    at " + frame(el, executionCount));
            }
            if (NOT_SERIALIZABLE.equals(name)) {
                break; // its message says it all; the causes repeat it through the serializer's frames
            }
            firstLevel = false;
            t = t.getCause();
        }
        return new CellException(ename, evalue, tb);
    }

    /**
     * One stack frame: cell code as its name and cell line ({@code f (In [3] line 2)}, {@code cell line 2} for
     * the running cell), other code as Java prints it.
     */
    private String frame(StackTraceElement el, int executionCount) {
        Where w = where(el);
        if (w == null) {
            return el.toString();
        }
        String where;
        if (w.origin == null || w.origin.executionCount == 0) {
            where = "startup code line " + w.line;
        } else if (w.origin.executionCount == executionCount) {
            where = CYAN + "cell line " + (w.origin.firstLine + w.line) + RESET;
        } else {
            where = CYAN + "In [" + w.origin.executionCount + "] line " + (w.origin.firstLine + w.line) + RESET;
        }
        String name = CellFrames.cellName(el);
        return name.isEmpty() ? where : name + " (" + where + ")";
    }

    // ------------------------------------------------------------------ for magics

    /** The declared type of the defined cell variable {@code name} as JShell writes it, or empty if there is none. */
    Optional<String> variableType(String name) {
        return shell.variables().filter(v -> v.name().equals(name) && shell.status(v).isDefined())
                .reduce((a, b) -> b).map(VarSnippet::typeName);
    }

    /**
     * The stack frames of {@code t} (not of its causes) as the kernel shows them, each {@code "    at ..."}: cell
     * code as cell and line (also on a worker, which runs the same classes), without jpool's own frames, and
     * without the frames below the last frame of cell code (the worker's or the pool's machinery).
     */
    List<String> frames(Throwable t, int executionCount) {
        StackTraceElement[] st = t.getStackTrace();
        int last = st.length - 1;
        while (last >= 0 && !isCellFrame(st[last])) {
            last--;
        }
        if (last < 0) {
            last = st.length - 1;
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i <= last; i++) {
            if (!ownFrame(st[i])) {
                String shipped = shippedCellFrame(st[i], executionCount);
                lines.add("    at " + (shipped != null ? shipped : frame(st[i], executionCount)));
            }
        }
        return lines;
    }

    private static boolean isCellFrame(StackTraceElement el) {
        return el.getFileName() != null && SNIPPET_FILE.matcher(el.getFileName()).matches()
                || WRAPPER_CLASS.matcher(el.getClassName()).matches();
    }

    /** A wrapper class of JShell and what follows its name (a nested class), e.g. {@code REPL.$JShell$12} {@code $Point}. */
    private static final Pattern WRAPPER_CLASS = Pattern.compile("(REPL\\.\\$JShell\\$\\d+)(.*)");

    /** Snippets by the name of their wrapper class, filled as frames need them. */
    private final Map<String, Snippet> snippetsByClass = new ConcurrentHashMap<>();

    /**
     * A frame of cell code as it comes from a worker, which runs the same classes: JShell maps the frames of
     * exceptions thrown here to snippet lines, but a worker reports the line in JShell's wrapper source. The
     * wrapper keeps the snippet's lines together (its imports are one line), so the line maps back through
     * {@link SourceCodeAnalysis.SnippetWrapper}. Null if the frame is not one of a snippet's wrapper lines.
     */
    private String shippedCellFrame(StackTraceElement el, int executionCount) {
        Matcher m = WRAPPER_CLASS.matcher(el.getClassName());
        if (!m.matches() || el.getLineNumber() <= 0) {
            return null;
        }
        try {
            Snippet sn = snippetsByClass.get(m.group(1));
            if (sn == null) {
                shell.snippets().filter(x -> !snippetsByClass.containsValue(x)).forEach(x -> {
                    try {
                        snippetsByClass.putIfAbsent(analysis.wrapper(x).fullClassName(), x);
                    } catch (RuntimeException e) {
                        // a snippet JShell cannot wrap (rejected) has no class
                    }
                });
                sn = snippetsByClass.get(m.group(1));
            }
            if (sn == null) {
                return null;
            }
            SourceCodeAnalysis.SnippetWrapper w = analysis.wrapper(sn);
            String wrapped = w.wrapped();
            int at = 0;
            for (int line = 1; line < el.getLineNumber() && at >= 0; line++) {
                at = wrapped.indexOf('\n', at);
                at = at < 0 ? -1 : at + 1;
            }
            if (at < 0) {
                return null;
            }
            while (at < wrapped.length() && wrapped.charAt(at) != '\n' && Character.isWhitespace(wrapped.charAt(at))) {
                at++;
            }
            int src = w.wrappedToSourcePosition(at);
            if (src < 0 || src > w.source().length()) {
                return null;
            }
            int line = lineOf(w.source(), src) + 1;
            Origin o = origins.get(sn.id());
            String where = o == null ? "startup code line " + line
                    : o.executionCount == executionCount ? CYAN + "cell line " + (o.firstLine + line) + RESET
                    : CYAN + "In [" + o.executionCount + "] line " + (o.firstLine + line) + RESET;
            String cls = m.group(2).replaceFirst("^\\$", "");
            String method = el.getMethodName().startsWith("lambda$") ? "lambda" : el.getMethodName();
            return (cls.isEmpty() ? method : cls + "." + method) + " (" + where + ")";
        } catch (RuntimeException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ analysis

    /** Completeness of cell text: {@code complete}, {@code incomplete} or {@code invalid}. */
    String isComplete(String code) {
        String rest = code;
        while (!rest.isBlank()) {
            CompletionInfo ci = analysis.analyzeCompletion(rest);
            switch (ci.completeness()) {
                case EMPTY:
                    return "complete";
                case DEFINITELY_INCOMPLETE:
                case CONSIDERED_INCOMPLETE:
                    return "incomplete";
                case UNKNOWN:
                    return "invalid";
                default:
                    rest = ci.remaining();
            }
        }
        return "complete";
    }

    /** Completions: the replacement start (char index) and the candidates. */
    record Completions(int start, List<String> matches) {
    }

    Completions complete(String code, int cursor) {
        int offset = snippetStartBefore(code, cursor);
        String input = code.substring(offset);
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions = List.of();
        if (offset > 0) {
            // Declarations earlier in this cell are not evaluated yet, so JShell does not know them: complete
            // inside a block that declares them as locals (type declarations are local classes there).
            String block = "{\n" + blockable(code.substring(0, offset)) + "\n";
            suggestions = analysis.completionSuggestions(block + input, block.length() + cursor - offset, anchor);
            anchor[0] -= block.length();
        }
        if (suggestions.isEmpty()) {
            suggestions = analysis.completionSuggestions(input, cursor - offset, anchor);
        }
        LinkedHashSet<String> matches = new LinkedHashSet<>();
        suggestions.stream().filter(SourceCodeAnalysis.Suggestion::matchesType)
                .forEach(s -> matches.add(s.continuation()));
        suggestions.forEach(s -> matches.add(s.continuation()));
        return new Completions(offset + anchor[0], new ArrayList<>(matches));
    }

    /** Signature and Javadoc at the cursor, or null. */
    String inspect(String code, int cursor, boolean javadoc) {
        int offset = snippetStartBefore(code, cursor);
        String input = code.substring(offset);
        int pos = cursor - offset;
        List<SourceCodeAnalysis.Documentation> docs = analysis.documentation(input, pos, javadoc);
        if (docs.isEmpty()) {
            // cursor inside or right after a name: ask as if the call were being written
            int end = pos;
            while (end < input.length() && Character.isJavaIdentifierPart(input.charAt(end))) {
                end++;
            }
            String probe = input.substring(0, end) + "(";
            docs = analysis.documentation(probe, probe.length(), javadoc);
        }
        if (docs.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (SourceCodeAnalysis.Documentation d : docs) {
            if (sb.length() > 0) {
                sb.append("\n\n");
            }
            sb.append(d.signature());
            if (javadoc && d.javadoc() != null && !d.javadoc().isBlank()) {
                sb.append("\n").append(d.javadoc().strip());
            }
        }
        return sb.toString();
    }

    private static final Pattern TYPE_DECLARATION = Pattern.compile(
            "\\s*(@\\w+\\s+|(public|private|protected|static|final|abstract|sealed|non-sealed|strictfp)\\s+)*"
            + "(class|record|interface|enum|@interface)\\b");

    /** The statements and variable declarations of {@code code}, in order (what a block can hold safely). */
    private String blockable(String code) {
        StringBuilder sb = new StringBuilder();
        String rest = code;
        while (!rest.isBlank()) {
            CompletionInfo ci = analysis.analyzeCompletion(rest);
            if (!ci.completeness().isComplete() || ci.completeness() == Completeness.EMPTY) {
                break;
            }
            String src = ci.source();
            // Type declarations stay out, found by their text: on JDK 25, sourceToSnippets of a type declaration,
            // or a local class in a completion block, leaves JShell's analysis broken for later requests (inspect
            // then finds nothing). ERRONEOUS is what a snippet that uses an earlier one of this cell parses as.
            Snippet.Kind kind;
            if (TYPE_DECLARATION.matcher(src).lookingAt()) {
                kind = Snippet.Kind.TYPE_DECL;
            } else {
                List<Snippet> parsed = analysis.sourceToSnippets(src);
                kind = parsed.isEmpty() ? Snippet.Kind.ERRONEOUS : parsed.get(0).kind();
            }
            if (kind == Snippet.Kind.VAR || kind == Snippet.Kind.EXPRESSION || kind == Snippet.Kind.STATEMENT
                    || kind == Snippet.Kind.ERRONEOUS) {
                sb.append(src).append('\n');
            }
            if (ci.remaining().length() >= rest.length()) {
                break;
            }
            rest = ci.remaining();
        }
        return sb.toString();
    }

    /** Start of the snippet in which the cursor lies (complete snippets before it are skipped). */
    private int snippetStartBefore(String code, int cursor) {
        int offset = 0;
        String rest = code;
        while (true) {
            CompletionInfo ci = analysis.analyzeCompletion(rest);
            if (!ci.completeness().isComplete() || ci.completeness() == Completeness.EMPTY) {
                break;
            }
            int consumed = rest.length() - ci.remaining().length();
            if (consumed <= 0 || offset + consumed >= cursor) {
                break;
            }
            offset += consumed;
            rest = ci.remaining();
        }
        return offset;
    }

    // ------------------------------------------------------------------ helpers

    static int lineOf(String s, int index) {
        int line = 0;
        for (int i = 0; i < index && i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static int leadingNewlines(String s) {
        return lineOf(s, leadingSpace(s));
    }

    private static int leadingSpace(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Where the snippet source starts in the text it was taken from. */
    private static int locate(String text, String src) {
        int verbatim = text.indexOf(src);
        if (verbatim >= 0) {
            return verbatim;
        }
        String probe = src.strip();
        probe = probe.substring(0, Math.min(probe.length(), 24));
        int at = probe.isEmpty() ? -1 : text.indexOf(probe);
        return at >= 0 ? at : leadingSpace(text);
    }

    @Override
    public void close() {
        shell.close();
    }
}
