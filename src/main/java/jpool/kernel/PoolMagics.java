package jpool.kernel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jpool.CallScope;
import jpool.Pool;

/**
 * The {@code %pool} magic: pools of worker JVMs bound to cell variables.
 *
 * <pre>
 * %pool start [-n N] [--name VAR] [--max-tasks-per-child K] [--retries R] [--timeout 30s] [--jvm-opts "..."]
 * %pool [status [VAR]]          the pool's live display
 * %pool stop [--now] [VAR]      shut down (running and queued tasks finish first; --now: terminate)
 * %pool restart [VAR]           terminate, then start again with the same settings (new worker JVMs)
 * %pool scale N [VAR]           grow or shrink to N workers (see Pool.resize)
 * </pre>
 *
 * VAR is {@code pool} unless given. {@code start} declares the cell variable {@code jpool.Pool VAR} and shows the
 * pool's live display, on which the workers register; it refuses, starting nothing, when VAR holds a pool that is
 * running. The other commands act on the pool VAR holds now, whoever started it; only {@code restart} needs a
 * pool this magic started, since it reuses its settings. Every argument is checked before anything is done: a
 * bad one is a usage error that says what was wrong and how the command is written.
 *
 * <p>The pools it started are terminated when the kernel shuts down or restarts.
 */
final class PoolMagics {

    static final String START_USAGE = "%pool start [-n N] [--name VAR] [--max-tasks-per-child K] [--retries R]"
            + " [--timeout 30s] [--jvm-opts \"...\"]";
    static final String USAGE = "usage: " + START_USAGE + "\n"
            + "       %pool [status [VAR]] | %pool stop [--now] [VAR] | %pool restart [VAR] | %pool scale N [VAR]";
    static final String HELP = "%pool start|status|stop|restart|scale: pools of worker JVMs bound to a cell variable"
            + " (default pool); %pool help for the flags";
    static final String DEFAULT_VARIABLE = "pool";

    /** What a {@code %pool} line asks for. */
    enum Action {
        START, STATUS, STOP, RESTART, SCALE, HELP
    }

    /**
     * The settings of {@code %pool start}, kept for {@code %pool restart}.
     *
     * @param processes the number of workers, or 0 for the pool's default (one per processor)
     * @param timeout the task timeout, {@link Duration#ZERO} for none
     */
    record Settings(int processes, int maxTasksPerChild, int retries, Duration timeout, List<String> jvmOptions) {

        static final Settings DEFAULT = new Settings(0, 0, 0, Duration.ZERO, List.of());

        /** A builder with these settings (each checked by the builder's setters). */
        Pool.Builder builder() {
            Pool.Builder b = Pool.builder();
            if (processes > 0) {
                b.processes(processes);
            }
            return b.maxTasksPerChild(maxTasksPerChild).retries(retries).taskTimeout(timeout).jvmOptions(jvmOptions);
        }
    }

    /**
     * One parsed {@code %pool} line.
     *
     * @param variable the cell variable it is about
     * @param settings for {@link Action#START}, else null
     * @param size for {@link Action#SCALE}, else 0
     * @param now for {@link Action#STOP}: terminate instead of shutting down
     */
    record Command(Action action, String variable, Settings settings, int size, boolean now) {
    }

    /** The pools this magic started in this kernel, with their settings (terminated at kernel shutdown). */
    private final Map<Pool, Settings> started = new ConcurrentHashMap<>();

    /** Registers {@code %pool}, and the shutdown hook that ends the pools it starts. */
    static void register(Magics magics, KernelContext kernel) {
        PoolMagics m = new PoolMagics();
        magics.registerLine("pool", HELP, m::run);
        kernel.onShutdown(m::terminateAll);
    }

    // ------------------------------------------------------------------------------- parsing

    /**
     * Parses the arguments of a {@code %pool} line (the text after {@code %pool}).
     *
     * @throws MagicException for anything malformed, saying what and how the command is written
     */
    static Command parse(String args) throws MagicException {
        List<String> words = split(args);
        if (words.isEmpty()) {
            return new Command(Action.STATUS, DEFAULT_VARIABLE, null, 0, false);
        }
        String verb = words.get(0);
        List<String> rest = words.subList(1, words.size());
        return switch (verb) {
            case "start" -> parseStart(rest);
            case "status" -> new Command(Action.STATUS, variable(rest, "usage: %pool status [VAR]"), null, 0, false);
            case "restart" -> new Command(Action.RESTART, variable(rest, "usage: %pool restart [VAR]"), null, 0, false);
            case "stop" -> parseStop(rest);
            case "scale" -> parseScale(rest);
            case "help", "-h", "--help" -> new Command(Action.HELP, DEFAULT_VARIABLE, null, 0, false);
            default -> throw usage("unknown command '" + verb + "'; the commands are start, status, stop, restart,"
                    + " scale and help", USAGE);
        };
    }

    private static Command parseStart(List<String> words) throws MagicException {
        int processes = 0;
        int maxTasks = 0;
        int retries = 0;
        Duration timeout = Duration.ZERO;
        List<String> jvmOptions = List.of();
        String variable = DEFAULT_VARIABLE;
        String usage = "usage: " + START_USAGE;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (!word.startsWith("-")) {
                throw usage("unexpected argument '" + word + "' (the variable is given with --name VAR)", usage);
            }
            String flag = word;
            String value = null;
            int eq = word.indexOf('=');
            if (eq > 0) {
                flag = word.substring(0, eq);
                value = word.substring(eq + 1);
            }
            if (!List.of("-n", "--processes", "--name", "--max-tasks-per-child", "--retries", "--timeout",
                    "--jvm-opts").contains(flag)) {
                throw usage("unknown flag " + flag, usage);
            }
            if (value == null) {
                if (i + 1 >= words.size()) {
                    throw usage(flag + " needs a value", usage);
                }
                value = words.get(++i);
            }
            switch (flag) {
                case "-n", "--processes" -> processes = number(flag, value, 1, usage);
                case "--name" -> {
                    if (!CellHandoff.isVariableName(value)) {
                        throw usage("--name needs a Java variable name, got '" + value + "'", usage);
                    }
                    variable = value;
                }
                case "--max-tasks-per-child" -> maxTasks = number(flag, value, 0, usage);
                case "--retries" -> retries = number(flag, value, 0, usage);
                case "--timeout" -> timeout = duration(flag, value, usage);
                case "--jvm-opts" -> {
                    jvmOptions = split(value);
                    if (jvmOptions.isEmpty()) {
                        throw usage("--jvm-opts needs at least one option, e.g. --jvm-opts \"-Xmx1g\"", usage);
                    }
                }
                default -> throw new AssertionError(flag);
            }
        }
        Settings settings = new Settings(processes, maxTasks, retries, timeout, jvmOptions);
        try {
            settings.builder(); // the pool's own checks, so that a refused setting starts nothing
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage(), usage);
        }
        return new Command(Action.START, variable, settings, 0, false);
    }

    private static Command parseStop(List<String> words) throws MagicException {
        String usage = "usage: %pool stop [--now] [VAR]";
        boolean now = false;
        List<String> positional = new ArrayList<>();
        for (String w : words) {
            if (w.equals("--now")) {
                now = true;
            } else if (w.startsWith("-")) {
                throw usage("unknown flag " + w, usage);
            } else {
                positional.add(w);
            }
        }
        return new Command(Action.STOP, variable(positional, usage), null, 0, now);
    }

    private static Command parseScale(List<String> words) throws MagicException {
        String usage = "usage: %pool scale N [VAR]";
        if (words.isEmpty()) {
            throw usage("the number of workers is missing", usage);
        }
        int n = number("the number of workers", words.get(0), 1, usage);
        return new Command(Action.SCALE, variable(words.subList(1, words.size()), usage), null, n, false);
    }

    /** The optional VAR of a command: none (the default), or one variable name. */
    private static String variable(List<String> words, String usage) throws MagicException {
        if (words.isEmpty()) {
            return DEFAULT_VARIABLE;
        }
        String w = words.get(0);
        if (w.startsWith("-")) {
            throw usage("unknown flag " + w, usage);
        }
        if (words.size() > 1) {
            throw usage("too many arguments: " + String.join(" ", words), usage);
        }
        if (!CellHandoff.isVariableName(w)) {
            throw usage("'" + w + "' is not a Java variable name", usage);
        }
        return w;
    }

    private static int number(String what, String value, int min, String usage) throws MagicException {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw usage("bad number for " + what + ": '" + value + "' (a whole number is needed)", usage);
        }
        if (n < min) {
            throw usage(what + " must be at least " + min + ", got " + n, usage);
        }
        return n;
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    /** A duration written as a number and a unit: 500ms, 30s, 1.5s, 5m, 1h; 0 alone is no limit. */
    static Duration duration(String what, String value, String usage) throws MagicException {
        if (value.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw usage("bad duration for " + what + ": '" + value + "' (a number and a unit: 500ms, 30s, 5m or 1h;"
                    + " 0 for no limit)", usage);
        }
        long unitNanos = switch (m.group(2)) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
        };
        double nanos = Double.parseDouble(m.group(1)) * unitNanos;
        if (nanos > Long.MAX_VALUE / 2) {
            throw usage("the duration for " + what + " is too long: " + value, usage);
        }
        return Duration.ofNanos(Math.round(nanos));
    }

    /**
     * Splits a line into words at blanks; single or double quotes group blanks into a word and are removed
     * ({@code --jvm-opts "-Xmx1g -Dx=1"}); inside double quotes a backslash escapes {@code "} and {@code \}.
     *
     * @throws MagicException for a quote that is not closed
     */
    static List<String> split(String line) throws MagicException {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (quote == '"' && c == '\\' && i + 1 < line.length()
                        && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw usage("unbalanced " + (quote == '"' ? "double" : "single") + " quote in: " + line.strip(), USAGE);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static MagicException usage(String problem, String usage) {
        return new MagicException(problem + "\n" + usage);
    }

    // ------------------------------------------------------------------------------- running

    /** Runs one {@code %pool} line. */
    Object run(String args, MagicContext ctx) throws Exception {
        Command c = parse(args);
        switch (c.action()) {
            case HELP -> {
                return MimeBundle.text(USAGE + "\n\n"
                        + "  start    starts a pool of worker JVMs and declares the cell variable jpool.Pool VAR\n"
                        + "           (default pool); -n workers (default: one per processor), --timeout per task\n"
                        + "  status   the pool's live display: its workers (host, launcher, state) and counters\n"
                        + "  stop     shuts the pool down: running and queued tasks finish, then the workers exit;\n"
                        + "           --now terminates at once (unfinished tasks are cancelled)\n"
                        + "  restart  terminates the pool and starts it again with the same settings\n"
                        + "  scale    grows or shrinks the pool to N workers; a busy worker that leaves finishes its\n"
                        + "           task first, and the tasks it had not started run on the others\n");
            }
            case START -> start(c, ctx);
            case STATUS -> Display.display(poolIn(c.variable(), ctx));
            case STOP -> stop(c, ctx);
            case RESTART -> restart(c, ctx);
            case SCALE -> scale(c, ctx);
            default -> throw new AssertionError(c.action());
        }
        return null;
    }

    private void start(Command c, MagicContext ctx) throws Exception {
        if (valueOf(c.variable(), ctx) instanceof Pool running && !running.isShutdown()) {
            throw new MagicException(c.variable() + " is a running pool already (" + running + "); nothing was"
                    + " started. Stop it with %pool stop " + c.variable() + ", restart it with %pool restart "
                    + c.variable() + ", or start another with --name OTHER");
        }
        Pool pool = launch(c.settings(), c.variable(), ctx);
        Display.display(pool);
    }

    /** Starts a pool with these settings and binds it to the variable; a pool that cannot be bound is ended. */
    private Pool launch(Settings settings, String variable, MagicContext ctx) throws Exception {
        Pool pool = settings.builder().start();
        try {
            ctx.declareVariable("jpool.Pool", variable, pool);
        } catch (Exception | Error e) {
            pool.terminate();
            throw e;
        }
        started.put(pool, settings);
        return pool;
    }

    private void stop(Command c, MagicContext ctx) throws Exception {
        Pool pool = poolIn(c.variable(), ctx);
        if (pool.isTerminated()) {
            System.out.println(c.variable() + " is stopped already");
            return;
        }
        int workers = pool.workers().size();
        jpool.PoolStats stats = pool.stats();
        int unfinished = stats.queued() + stats.running();
        if (c.now()) {
            pool.terminate();
        } else {
            pool.shutdown();
        }
        awaitEnd(pool, c.variable(), c.now() || unfinished == 0 ? null : c.variable() + ": shutting down; waiting for"
                + " its unfinished tasks (" + unfinished + (unfinished == 1 ? " task chunk" : " task chunks")
                + ") to finish; interrupt to terminate it instead");
        System.out.println(c.variable() + ": " + (c.now() ? "terminated" : "shut down") + "; its " + workers
                + (workers == 1 ? " worker JVM has" : " worker JVMs have") + " exited");
    }

    private void restart(Command c, MagicContext ctx) throws Exception {
        Pool old = poolIn(c.variable(), ctx);
        Settings settings = started.get(old);
        if (settings == null) {
            throw new MagicException(c.variable() + " was not started by %pool start, so its settings are not known;"
                    + " stop it with %pool stop " + c.variable() + " and start a new one with %pool start --name "
                    + c.variable() + " and the settings you want");
        }
        old.terminate();
        awaitEnd(old, c.variable(), null);
        Display.display(launch(settings, c.variable(), ctx));
    }

    private void scale(Command c, MagicContext ctx) throws Exception {
        Pool pool = poolIn(c.variable(), ctx);
        int before = pool.processes();
        try {
            pool.resize(c.size());
        } catch (UnsupportedOperationException | IllegalStateException e) {
            throw new MagicException(c.variable() + ": " + e.getMessage());
        }
        String change = before == c.size() ? "stays at " + before : before + " -> " + c.size();
        System.out.println(c.variable() + ": " + change + (c.size() == 1 ? " worker JVM" : " worker JVMs")
                + (c.size() < before ? "; busy workers that leave finish their current task first" : ""));
        Display.display(pool);
    }

    /**
     * Waits until the pool has terminated. An interrupt of the cell meanwhile terminates it (its unfinished
     * tasks are cancelled) and the cell ends as interrupted, saying so.
     *
     * @param note printed once the interrupt is armed, or null
     */
    private static void awaitEnd(Pool pool, String variable, String note) throws Exception {
        CallScope scope = CallScope.current();
        AtomicBoolean interrupted = new AtomicBoolean();
        CallScope.Registration registration = scope == null ? () -> { } : scope.onInterrupt(() -> {
            if (!pool.isTerminated()) {
                interrupted.set(true);
                pool.terminate();
                scope.cancelled("terminated " + variable + ": its unfinished tasks were cancelled");
            }
        });
        try {
            if (note != null) {
                System.out.println(note);
            }
            while (!pool.awaitTermination(Duration.ofSeconds(1))) {
                // the wait ends when the workers have exited; an interrupt terminates the pool
            }
        } finally {
            registration.close();
        }
        if (interrupted.get()) {
            throw JShellEvaluator.interrupted();
        }
    }

    /** The pool a variable holds now, or a usage error saying what it holds instead. */
    private static Pool poolIn(String variable, MagicContext ctx) throws Exception {
        Object value = valueOf(variable, ctx);
        if (value instanceof Pool p) {
            return p;
        }
        if (value == MISSING) {
            throw new MagicException("there is no variable " + variable + "; start a pool with %pool start"
                    + (variable.equals(DEFAULT_VARIABLE) ? "" : " --name " + variable));
        }
        throw new MagicException(variable + " is " + (value == null ? "null" : "a " + value.getClass().getName())
                + ", not a jpool.Pool");
    }

    private static final Object MISSING = new Object();

    /** The value of a cell variable, or {@link #MISSING} when there is none of that name. */
    private static Object valueOf(String variable, MagicContext ctx) throws Exception {
        try {
            return ctx.evalCell(variable);
        } catch (CellException e) {
            return MISSING;
        }
    }

    /** Terminates every pool this magic started and waits a little for their workers to exit (kernel shutdown). */
    void terminateAll() {
        List<Pool> pools = new ArrayList<>(started.keySet());
        for (Pool p : pools) {
            p.terminate();
        }
        for (Pool p : pools) {
            try {
                p.awaitTermination(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
