package jpool.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;

/**
 * The body of a cell magic that runs as a task ({@code %%px}, {@code %%task}) made into the block of a
 * lambda, so that it reads like any cell: statements and declarations, and a final expression whose value
 * is the result, without {@code return}.
 *
 * <p>The body is split into snippets as the kernel splits a cell. If the final snippet may be an expression,
 * the block first tries {@code return} in front of it ({@link #valueBlock()}); when that does not compile
 * (the expression is {@code void}, or the snippet is a declaration), the block is the body followed by
 * {@code return null;} ({@link #statementBlock()}). A final snippet ending with {@code ;} has its value
 * hidden, as in a cell ({@link #valueHidden()}). Names declared in the body are locals of the lambda: they
 * live for one run and may be reassigned ({@code int s = 0; for (...) s += i; s}).
 *
 * <p>Both blocks keep the body's lines where they are, so that errors name the user's lines; only the line
 * where {@code return } is inserted differs, and {@link #userView} shows a compile error's copy of that line
 * as the user wrote it.
 */
final class CellBody {

    private static final String RETURN = "return ";

    /**
     * Final snippets that are statements, never values: control flow, blocks, labels, type declarations and
     * the usual local variable declarations ({@code Type name =}); one missed here only costs a compile.
     */
    private static final Pattern STATEMENT = Pattern.compile("(if|for|while|do|try|synchronized|break|continue|assert)\\b"
            + "|[{;@]|(final|abstract|static|sealed|non-sealed|strictfp)\\s"
            + "|(class|interface|enum|record)\\s+[A-Za-z_$]|[A-Za-z_$][\\w$]*\\s*:(?!:)"
            + "|[A-Za-z_$][\\w$.]*(<[^;=()]*>)?(\\[\\])*\\s+[A-Za-z_$][\\w$]*\\s*(=(?!=)|;|,|$)");
    /** Final snippets after which nothing can run. */
    private static final Pattern TERMINAL = Pattern.compile("(return|throw)\\b");

    private final String body;
    /** Where the code of the final snippet starts (after blanks and comments). */
    private final int last;
    private final boolean terminal;
    private final boolean maybeValue;
    private final boolean endsWithSemicolon;

    private CellBody(String body, int last) {
        this.body = body;
        this.last = last;
        String code = body.substring(last);
        this.terminal = TERMINAL.matcher(code).lookingAt();
        this.maybeValue = !terminal && !STATEMENT.matcher(code).lookingAt();
        this.endsWithSemicolon = JavaKernel.endsWithSemicolon(code);
    }

    /**
     * Splits a body.
     *
     * @param firstLine the cell line (0-based) of the body's first line, for the messages
     * @throws MagicException if the body has no code
     * @throws CellException if it is incomplete (a missing {@code ;}, {@code )} or <code>}</code>)
     */
    static CellBody parse(String body, SourceCodeAnalysis analysis, int firstLine, String usage)
            throws MagicException, CellException {
        String rest = body;
        int lastStart = -1;
        while (!rest.isBlank()) {
            CompletionInfo ci = analysis.analyzeCompletion(rest);
            Completeness c = ci.completeness();
            if (c == Completeness.EMPTY) {
                break;
            }
            int start = body.length() - rest.length();
            if (c == Completeness.DEFINITELY_INCOMPLETE || c == Completeness.CONSIDERED_INCOMPLETE) {
                int at = skipBlanksAndComments(body, start);
                int line = firstLine + JShellEvaluator.lineOf(body, at) + 1;
                String first = body.substring(at).lines().findFirst().orElse("");
                throw new CellException("IncompleteSource", "the code starting at cell line " + line + " is incomplete",
                        List.of(JShellEvaluator.RED + "IncompleteSource" + JShellEvaluator.RESET
                                + ": the code starting at cell line " + line + " is incomplete (a missing ';', '}' or ')'?)",
                                "    " + first));
            }
            if (ci.remaining().length() >= rest.length()) {
                break;
            }
            if (skipBlanksAndComments(body, start) < body.length() - ci.remaining().length()) {
                lastStart = start; // a snippet with code, not only a comment
            }
            rest = ci.remaining();
        }
        int code = lastStart < 0 ? body.length() : skipBlanksAndComments(body, lastStart);
        if (code >= body.length()) {
            throw new MagicException("the cell has no code below its first line; write the Java to run there\n" + usage);
        }
        return new CellBody(body, code);
    }

    /** Whether the final snippet may be a value (then {@link #valueBlock()} is worth trying first). */
    boolean maybeValue() {
        return maybeValue;
    }

    /** Whether the final snippet ends with {@code ;}: the run's value is not shown, as for a cell. */
    boolean valueHidden() {
        return endsWithSemicolon;
    }

    /** The block with {@code return} in front of the final snippet; only when {@link #maybeValue()}. */
    String valueBlock() {
        return body.substring(0, last) + RETURN + body.substring(last) + (endsWithSemicolon ? "" : "\n;");
    }

    /** The block that runs the body and returns null (the body itself when it ends in return or throw). */
    String statementBlock() {
        if (terminal) {
            return endsWithSemicolon ? body : body + "\n;";
        }
        return body + "\n;return null;";
    }

    /** Whether the final snippet is a {@code return} the user wrote: its value is the run's value. */
    boolean returnsExplicitly() {
        return terminal && body.startsWith("return", last);
    }

    /** What {@link #submit} evaluated: the value of the Java, and whether the body has a value to show. */
    record Submitted(Object value, boolean hasValue) {
    }

    /**
     * Evaluates {@code head + "\n" + block + "\n" + tail} with the block that compiles: the value block first
     * when the final snippet may be a value, else (or when that does not compile) the statement block. Nothing
     * runs unless it compiled. A compile error is reported against the user's lines.
     *
     * @param head the Java before the block, one line ending with the lambda's <code>{</code>
     * @param tail the Java after it, starting with the lambda's <code>}</code>
     * @param headLine the cell line (0-based) of {@code head}, the line before the body's first
     */
    Submitted submit(MagicContext ctx, String head, String tail, int headLine) throws CellException {
        if (!maybeValue) {
            return new Submitted(ctx.evalJava(head + "\n" + statementBlock() + "\n" + tail, headLine), returnsExplicitly());
        }
        try {
            return new Submitted(ctx.evalJava(head + "\n" + valueBlock() + "\n" + tail, headLine), !endsWithSemicolon);
        } catch (CellException asValue) {
            if (!COMPILATION_ERROR.equals(asValue.ename())) {
                throw asValue;
            }
            try {
                return new Submitted(ctx.evalJava(head + "\n" + statementBlock() + "\n" + tail, headLine), false);
            } catch (CellException asStatement) {
                // "not a statement": the final snippet is an expression, so the value block's errors are the real ones
                if (COMPILATION_ERROR.equals(asStatement.ename())
                        && String.join("\n", asStatement.traceback()).contains("not a statement")) {
                    throw new CellException(asValue.ename(), asValue.evalue(), userView(asValue.traceback()));
                }
                throw asStatement;
            }
        }
    }

    private static final String COMPILATION_ERROR = "CompilationError";

    /**
     * A compile error of {@link #valueBlock()} as the user wrote the code: the copy of the line where
     * {@code return } was inserted becomes the user's line again, and the marks under it move with it.
     *
     * @param traceback the error's lines (as {@link JShellEvaluator} formats them)
     */
    List<String> userView(List<String> traceback) {
        int lineStart = body.lastIndexOf('\n', last - 1) + 1;
        int lineEnd = body.indexOf('\n', last);
        String user = body.substring(lineStart, lineEnd < 0 ? body.length() : lineEnd);
        int column = last - lineStart;
        String generated = user.substring(0, column) + RETURN + user.substring(column);
        List<String> out = new ArrayList<>(traceback.size());
        for (int i = 0; i < traceback.size(); i++) {
            String t = traceback.get(i);
            if (!t.equals("    " + generated)) {
                out.add(t);
                continue;
            }
            out.add("    " + user);
            if (i + 1 < traceback.size()) {
                Matcher m = MARKS.matcher(traceback.get(i + 1));
                if (m.matches()) {
                    int at = m.group(1).length();
                    int moved = at >= column + RETURN.length() ? at - RETURN.length() : Math.min(at, column);
                    out.add("    " + " ".repeat(moved) + m.group(2));
                    i++;
                }
            }
        }
        return out;
    }

    /** The line under a quoted source line: indent, spaces up to the column, then the coloured marks. */
    private static final Pattern MARKS = Pattern.compile("    ( *)(\u001b\\[[0-9;]*m\\^+.*)");

    /** The first index at or after {@code from} that is not blank and not in a comment. */
    static int skipBlanksAndComments(String s, int from) {
        int i = from;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (s.startsWith("//", i)) {
                int nl = s.indexOf('\n', i);
                i = nl < 0 ? s.length() : nl + 1;
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? s.length() : end + 2;
            } else {
                break;
            }
        }
        return i;
    }
}
