package jpool.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stack frames of cell code as the notebook shows them: {@code f (In [3] line 3)}, and the frames of a stack
 * trace worth showing, without jpool's own.
 *
 * <p>A frame is cell code in one of two forms. JShell rewrites the frames of an exception that leaves a
 * snippet: the class becomes the name inside the cell, the file {@code #id} (the snippet id) and the line the
 * snippet's. Every other frame of cell code is raw, as the JVM made it: the class of JShell's wrapper
 * ({@code REPL.$JShell$12}, or a class nested in it) and the line of JShell's wrapper source. That is the
 * case for the stack of a task that failed on a worker, shown by a result's display, and of a snippet the
 * kernel ran again without JShell. For those, the evaluator {@linkplain #record records} each wrapper class
 * when its snippet is defined: its snippet and which snippet line each line of the wrapper source holds.
 *
 * <p>Thread-safe: the evaluator records on the cell thread, displays read on theirs.
 */
final class CellFrames {

    /**
     * Where a frame is in cell code: the wrapper class (JShell keeps a snippet's id when a declaration is
     * redefined with the same signature, and gives the new code a new class, {@code $JShell$8B}), the snippet
     * and the 1-based line within it.
     */
    record Place(String wrapperClass, String snippetId, int line) {
    }

    private static final Pattern WRAPPER = Pattern.compile("^(REPL\\.\\$JShell\\$\\d+[A-Z]*)(?:\\$(.*))?$");
    private static final Pattern LAMBDA = Pattern.compile("^lambda\\$.*");

    /** The kernel's evaluator, saying where a frame of cell code is ({@code In [3] line 2}), or null. */
    private static volatile Function<StackTraceElement, String> locator;

    /** Wrapper class name to its snippet and lines; bounded by the snippets of a session. */
    private final Map<String, Lines> classes = new ConcurrentHashMap<>();

    private record Lines(String snippetId, int[] snippetLineOfWrapperLine) {
    }

    /**
     * Records a wrapper class.
     *
     * @param className the wrapper's binary name, e.g. {@code REPL.$JShell$12}
     * @param snippetId its snippet
     * @param snippetLineOfWrapperLine for each 1-based line of the wrapper source, the 1-based line of the
     *     snippet it holds, or 0 for a line that holds none
     */
    void record(String className, String snippetId, int[] snippetLineOfWrapperLine) {
        classes.put(className, new Lines(snippetId, snippetLineOfWrapperLine.clone()));
    }

    /**
     * The place of a raw frame of cell code, or null for any other frame. A wrapper line without snippet text
     * (JShell's own lines around a statement) is given the snippet line after it, else the one before.
     */
    Place place(StackTraceElement raw) {
        Matcher m = WRAPPER.matcher(raw.getClassName());
        if (!m.matches()) {
            return null;
        }
        Lines lines = classes.get(m.group(1));
        if (lines == null) {
            return null;
        }
        int[] map = lines.snippetLineOfWrapperLine;
        int at = raw.getLineNumber();
        if (at <= 0 || map.length == 0) {
            return new Place(m.group(1), lines.snippetId, 1);
        }
        at = Math.min(at, map.length - 1);
        for (int i = at; i < map.length; i++) {
            if (map[i] > 0) {
                return new Place(m.group(1), lines.snippetId, map[i]);
            }
        }
        for (int i = at; i > 0; i--) {
            if (map[i] > 0) {
                return new Place(m.group(1), lines.snippetId, map[i]);
            }
        }
        return new Place(m.group(1), lines.snippetId, 1);
    }

    /**
     * The name a frame of cell code shows: the class inside the cell, if any, and the method, where JShell's
     * statement method shows nothing and a lambda shows as {@code lambda}: {@code f}, {@code Point.<init>},
     * {@code lambda}, or empty for a cell's own statements.
     */
    static String cellName(StackTraceElement el) {
        String cls = el.getClassName();
        Matcher m = WRAPPER.matcher(cls);
        if (m.matches()) {
            cls = m.group(2) == null ? "" : m.group(2);
        }
        String method = el.getMethodName();
        if (method.equals("do_it$")) {
            method = "";
        } else if (LAMBDA.matcher(method).matches()) {
            method = "lambda";
        }
        return cls.isEmpty() ? method : method.isEmpty() ? cls : cls + "." + method;
    }

    /**
     * Makes {@code where} the source of frame locations for {@link #describe}: the kernel installs its
     * evaluator's {@link JShellEvaluator#cellLocation}.
     */
    static void install(Function<StackTraceElement, String> where) {
        locator = where;
    }

    /**
     * A frame as a display shows it, outside any cell: cell code as {@code f (In [3] line 3)} (or {@code (cell
     * code)} where the kernel does not know the cell), other code as Java prints it.
     */
    static String describe(StackTraceElement el) {
        Function<StackTraceElement, String> l = locator;
        String where = null;
        if (l != null) {
            try {
                where = l.apply(el);
            } catch (RuntimeException e) {
                where = null;
            }
        }
        if (where == null) {
            if (!WRAPPER.matcher(el.getClassName()).matches()) {
                return el.toString();
            }
            where = "cell code";
        }
        String name = cellName(el);
        return name.isEmpty() ? where : name + " (" + where + ")";
    }

    /** Whether a frame is jpool's own (the pool, the worker, the kernel): it says nothing about the user's code. */
    static boolean ownFrame(StackTraceElement el) {
        return el.getClassName().startsWith("jpool.");
    }

    /** Whether a frame is the JDK's. */
    static boolean jdkFrame(StackTraceElement el) {
        String c = el.getClassName();
        return c.startsWith("java.") || c.startsWith("javax.") || c.startsWith("jdk.") || c.startsWith("sun.")
                || c.startsWith("com.sun.");
    }

    /**
     * The frames of a stack trace worth showing: down to the last frame of the user's own code (cell code or
     * a library), without jpool's frames; for a trace of the JDK and jpool only (a task that is a method
     * reference into the JDK, say), the frames above the first of jpool's. So a task's stack ends at the
     * task, not in the worker that ran it.
     */
    static List<StackTraceElement> shown(StackTraceElement[] trace) {
        int last = -1;
        for (int i = trace.length - 1; i >= 0; i--) {
            if (!ownFrame(trace[i]) && !jdkFrame(trace[i])) {
                last = i;
                break;
            }
        }
        if (last < 0) {
            last = trace.length - 1;
            for (int i = 0; i < trace.length; i++) {
                if (ownFrame(trace[i])) {
                    last = i - 1;
                    break;
                }
            }
        }
        List<StackTraceElement> out = new ArrayList<>(last + 1);
        for (int i = 0; i <= last; i++) {
            if (!ownFrame(trace[i])) {
                out.add(trace[i]);
            }
        }
        return out;
    }
}
