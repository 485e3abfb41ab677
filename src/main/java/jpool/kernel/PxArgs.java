package jpool.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.lang.model.SourceVersion;

/**
 * The arguments of {@code %%px}, {@code %px} and {@code %%task}, checked before anything runs: every
 * mistake is a {@link MagicException} whose message says what is wrong and ends with the magic's usage line.
 * Which worker indexes a {@code --targets} selection names depends on the pool's size, so
 * {@link Targets#indexes(int)} checks them against it later; everything else is checked here.
 */
final class PxArgs {

    static final String PX_USAGE =
            "usage: %%px [--targets all|0,2|1:3] [--noblock] [--group-outputs worker|order] [-o VAR] [--pool VAR]";
    static final String PX_LINE_USAGE =
            "usage: %px [--targets all|0,2|1:3] [--noblock] [--group-outputs worker|order] [-o VAR] [--pool VAR] STATEMENT";
    static final String TASK_USAGE = "usage: %%task [--name VAR] [--pool VAR]";

    /** How the output of a blocking %%px is shown. */
    enum Grouping {
        /** Each worker's output together, in worker order, once every worker is done. */
        WORKER,
        /** Line by line as it arrives, labelled with its worker. */
        ORDER
    }

    /** The pool variable when {@code --pool} is not given. */
    static final String DEFAULT_POOL = "pool";

    private static final Pattern TOKEN = Pattern.compile("\\S+");
    /** What counts as an option at the start of a %px line: {@code --word} or {@code -o}; {@code -x} stays Java. */
    /** A token that is an option, not the value of the one before (which may be {@code -1}, refused later). */
    private static final Pattern OPTION_LIKE = Pattern.compile("--?[A-Za-z].*");
    private static final Pattern LINE_OPTION = Pattern.compile("--[A-Za-z][\\w-]*(=.*)?|-o");

    private PxArgs() {
    }

    /**
     * The workers a %%px run goes to: all, or worker indexes given one by one ({@code 0,2}) and as half-open
     * ranges ({@code 1:3} is 1 and 2, {@code 2:} is 2 to the last, {@code :2} is 0 and 1), as in Python.
     */
    record Targets(String spec, List<int[]> items) {

        static final Targets ALL = new Targets("all", null);

        /** An index ({@code 2}) or a range ({@code 1:3}, {@code 2:}, {@code :2}). */
        private static final Pattern TARGET_ITEM = Pattern.compile("(\\d{1,6})|(\\d{0,6}):(\\d{0,6})");

        boolean isAll() {
            return items == null;
        }

        /**
         * The indexes selected in a pool of {@code processes} workers, in the order given; null for all.
         *
         * @throws MagicException if one is not below {@code processes} or one is selected twice
         */
        List<Integer> indexes(int processes, String usage) throws MagicException {
            if (items == null) {
                return null;
            }
            Set<Integer> seen = new LinkedHashSet<>();
            for (int[] item : items) {
                int to = item[1] < 0 ? processes : item[1];
                if (item[0] >= processes || to > processes) {
                    throw new MagicException("--targets " + spec + ": the pool has " + processes
                            + (processes == 1 ? " worker, index 0" : " workers, indexes 0 to " + (processes - 1))
                            + "\n" + usage);
                }
                if (to <= item[0]) {
                    throw new MagicException("--targets " + spec + ": the range " + item[0] + ":" + (item[1] < 0 ? "" : to)
                            + " selects no worker\n" + usage);
                }
                for (int i = item[0]; i < to; i++) {
                    if (!seen.add(i)) {
                        throw new MagicException("--targets " + spec + ": worker index " + i + " is selected twice\n"
                                + usage);
                    }
                }
            }
            return List.copyOf(seen);
        }

        /**
         * Parses {@code all}, {@code 0,2}, {@code 1:3} and mixtures like {@code 0,2:4}.
         *
         * @throws MagicException for anything else
         */
        static Targets parse(String spec, String usage) throws MagicException {
            if (spec.equals("all")) {
                return ALL;
            }
            List<int[]> items = new ArrayList<>();
            for (String part : spec.split(",", -1)) {
                Matcher m = TARGET_ITEM.matcher(part);
                if (!m.matches()) {
                    throw new MagicException("--targets " + spec + ": '" + part + "' is not a worker index (0, 1, ...)"
                            + " or a range (1:3); or say all\n" + usage);
                }
                if (m.group(1) != null) {
                    int i = Integer.parseInt(m.group(1));
                    items.add(new int[] {i, i + 1});
                } else {
                    int from = m.group(2).isEmpty() ? 0 : Integer.parseInt(m.group(2));
                    int to = m.group(3).isEmpty() ? -1 : Integer.parseInt(m.group(3));
                    if (to >= 0 && to <= from) {
                        throw new MagicException("--targets " + spec + ": the range " + part
                                + " selects no worker (a range from:to is from, from+1, ..., to-1)\n" + usage);
                    }
                    items.add(new int[] {from, to});
                }
            }
            return new Targets(spec, List.copyOf(items));
        }

        /** Java that makes this selection as a {@code jpool.WorkerTargets}, for the given indexes. */
        static String java(List<Integer> indexes) {
            if (indexes == null) {
                return "jpool.WorkerTargets.all()";
            }
            StringBuilder sb = new StringBuilder("jpool.WorkerTargets.indexes(");
            for (int i = 0; i < indexes.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(indexes.get(i));
            }
            return sb.append(')').toString();
        }
    }

    /** Parsed {@code %%px} or {@code %px} arguments; {@code statement} is the Java of a %px line, else null. */
    record Px(Targets targets, boolean noblock, Grouping grouping, String out, String pool, boolean help,
            String statement) {
    }

    /** Parsed {@code %%task} arguments. */
    record Task(String name, String pool, boolean help) {
    }

    /** The arguments of a {@code %%px} line. */
    static Px parseCell(String args) throws MagicException {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(args);
        while (m.find()) {
            tokens.add(m.group());
        }
        return px(options(tokens, PX_USAGE, PX_VALUED, PX_FLAGS), null, PX_USAGE);
    }

    /** The arguments of a {@code %px} line: options first, then the statement (the rest of the line, as written). */
    static Px parseLine(String line) throws MagicException {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(line);
        int statementAt = line.length();
        while (m.find()) {
            String t = m.group();
            boolean valueOfPrevious = !tokens.isEmpty() && PX_VALUED.contains(tokens.get(tokens.size() - 1));
            if (valueOfPrevious || LINE_OPTION.matcher(t).matches()) {
                tokens.add(t);
            } else {
                statementAt = m.start();
                break;
            }
        }
        Px px = px(options(tokens, PX_LINE_USAGE, PX_VALUED, PX_FLAGS), line.substring(statementAt).strip(),
                PX_LINE_USAGE);
        if (px.statement().isEmpty() && !px.help()) {
            throw new MagicException("no statement to run, e.g. %px ProcessHandle.current().pid()\n" + PX_LINE_USAGE);
        }
        return px;
    }

    /** The arguments of a {@code %%task} line. */
    static Task parseTask(String args) throws MagicException {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(args);
        while (m.find()) {
            tokens.add(m.group());
        }
        Map<String, String> o = options(tokens, TASK_USAGE, Set.of("--name", "--pool"), Set.of("--help"));
        String name = o.get("--name");
        if (name != null) {
            checkName("--name", name, TASK_USAGE);
        }
        String pool = o.getOrDefault("--pool", DEFAULT_POOL);
        checkName("--pool", pool, TASK_USAGE);
        notThePool("--name", name, pool, TASK_USAGE);
        return new Task(name, pool, o.containsKey("--help"));
    }

    private static final Set<String> PX_VALUED = Set.of("--targets", "--group-outputs", "-o", "--pool");
    private static final Set<String> PX_FLAGS = Set.of("--noblock", "--help");

    private static Px px(Map<String, String> o, String statement, String usage) throws MagicException {
        Targets targets = o.containsKey("--targets") ? Targets.parse(o.get("--targets"), usage) : Targets.ALL;
        Grouping grouping = Grouping.WORKER;
        String g = o.get("--group-outputs");
        if (g != null) {
            grouping = switch (g) {
                case "worker" -> Grouping.WORKER;
                case "order" -> Grouping.ORDER;
                default -> throw new MagicException("--group-outputs " + g + ": say worker (each worker's output"
                        + " together) or order (as it arrives)\n" + usage);
            };
        }
        String out = o.get("-o");
        if (out != null) {
            checkName("-o", out, usage);
        }
        String pool = o.getOrDefault("--pool", DEFAULT_POOL);
        checkName("--pool", pool, usage);
        notThePool("-o", out, pool, usage);
        return new Px(targets, o.containsKey("--noblock"), grouping, out, pool, o.containsKey("--help"), statement);
    }

    /** Options by name ({@code --opt value} or {@code --opt=value}; a flag maps to ""), each at most once. */
    private static Map<String, String> options(List<String> tokens, String usage, Set<String> valued, Set<String> flags)
            throws MagicException {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            String name = t;
            String value = null;
            int eq = t.indexOf('=');
            if (t.startsWith("--") && eq > 2) {
                name = t.substring(0, eq);
                value = t.substring(eq + 1);
            }
            if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= tokens.size() || OPTION_LIKE.matcher(tokens.get(i + 1)).matches()) {
                        throw new MagicException(name + " needs a value\n" + usage);
                    }
                    value = tokens.get(++i);
                }
                if (value.isEmpty()) {
                    throw new MagicException(name + " needs a value\n" + usage);
                }
            } else if (flags.contains(name)) {
                if (value != null) {
                    throw new MagicException(name + " takes no value\n" + usage);
                }
                value = "";
            } else {
                String what = name.startsWith("-") ? "unknown option " + name : "unexpected argument " + name;
                throw new MagicException(what + "\n" + usage);
            }
            if (o.put(name, value) != null) {
                throw new MagicException(name + " is given twice\n" + usage);
            }
        }
        return o;
    }

    private static void notThePool(String option, String name, String pool, String usage) throws MagicException {
        if (pool.equals(name)) {
            throw new MagicException(option + " " + name + ": that is the pool's variable; the result would take its"
                    + " place and the pool could no longer be reached; choose another name\n" + usage);
        }
    }

    private static void checkName(String option, String name, String usage) throws MagicException {
        if (!SourceVersion.isIdentifier(name) || SourceVersion.isKeyword(name) || name.equals("_")) {
            throw new MagicException(option + " " + name + ": not a Java variable name\n" + usage);
        }
    }
}
