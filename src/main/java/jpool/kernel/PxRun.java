package jpool.kernel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import jpool.CallScope;
import jpool.PerWorkerResult;
import jpool.Progress;
import jpool.RemoteTaskException;
import jpool.TaskFailedException;
import jpool.WorkerLostException;

/**
 * One run of a {@code %%px} (or {@code %px}) cell: its {@link PerWorkerResult}, what each worker printed
 * ({@link PxScope}), and how it is shown: one row per worker that succeeded, and one row per distinct failure
 * listing the workers that had it ({@code w1, w3: ArithmeticException: / by zero}), in worker order. Shown
 * as a cell's value it is a table ({@code text/html}) and the same rows as text ({@code text/plain}).
 */
final class PxRun implements Displayable {

    /** Characters of one value shown in a row. */
    static final int VALUE_CHARS = 300;

    /** One row: the workers it is about, and their value or failure in words. */
    record Row(List<String> workers, String text, boolean failed, Throwable failure) {

        /** {@code w1: 42} or {@code w1, w3: ArithmeticException: / by zero}. */
        String line() {
            return String.join(", ", workers) + ": " + text;
        }
    }

    private final PerWorkerResult<?> result;
    private final PxScope output;
    private final boolean hasValue;
    private final String what;

    /**
     * @param hasValue whether the body's final expression is the value to show (false: a statement, a void
     *     call, or a value hidden by {@code ;})
     * @param what the magic and its pool, for messages, e.g. {@code %%px on pool}
     */
    PxRun(PerWorkerResult<?> result, PxScope output, boolean hasValue, String what) {
        this.result = result;
        this.output = output;
        this.hasValue = hasValue;
        this.what = what;
    }

    PerWorkerResult<?> result() {
        return result;
    }

    boolean hasValue() {
        return hasValue;
    }

    /**
     * Waits until every worker is done. An interrupt of the cell meanwhile cancels the run (queued runs
     * dropped, running ones interrupted) and ends the wait with the kernel's interrupt error, which then says
     * what was cancelled; a run cancelled otherwise just ends the wait (its rows say so).
     */
    void await(CallScope cell) throws CellException {
        AtomicBoolean cancelledHere = new AtomicBoolean();
        CallScope.Registration cancelOnInterrupt = cell == null ? () -> { } : cell.onInterrupt(() -> {
            cancelledHere.set(true); // before the cancel wakes the waiting thread
            Progress p = result.progress();
            if (!p.state().isFinal() && result.cancel(true)) {
                cell.cancelled("cancelled " + what + " on " + String.join(", ", result.workerIds()) + " ("
                        + p.running() + (p.running() == 1 ? " was" : " were") + " running)");
            }
        });
        try {
            while (!result.await(Duration.ofHours(1))) {
                // waiting on; an interrupt cancels the result, which ends the wait
            }
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw JShellEvaluator.interrupted();
        } finally {
            cancelOnInterrupt.close();
        }
        if (cancelledHere.get()) {
            throw JShellEvaluator.interrupted();
        }
    }

    /** Shows what each worker printed, worker by worker, through the cell's scope (which labels each line). */
    void showOutput(CallScope target) {
        output.replay(target, result.workerIds());
    }

    /** The rows of this run as it is now. */
    List<Row> rows() {
        return rows(result.workerIds(), result.values(), result.failures(), hasValue, result.isDone());
    }

    /**
     * The rows of a run on {@code workers}: one per worker with a value (its value in brief, or {@code done}
     * when the run has no value to show), one per distinct failure (same type and message) listing its
     * workers, and one for the workers with neither, saying {@code running}, or {@code cancelled} (a failure)
     * once the run is {@code finished}; ordered by their first worker.
     */
    static List<Row> rows(List<String> workers, Map<String, ?> values, Map<String, Throwable> failures,
            boolean showValues, boolean finished) {
        String unfinished = finished ? "cancelled" : "running";
        Map<String, Row> byText = new LinkedHashMap<>();
        List<Row> rows = new ArrayList<>();
        for (String w : workers) {
            Throwable f = failures.get(w);
            if (f != null) {
                String text = describe(f);
                Row group = byText.get(text);
                if (group == null) {
                    group = new Row(new ArrayList<>(), text, true, f);
                    byText.put(text, group);
                    rows.add(group);
                }
                group.workers().add(w);
            } else if (values.containsKey(w)) {
                rows.add(new Row(List.of(w), showValues ? ResultHtml.brief(values.get(w), 10, VALUE_CHARS) : "done",
                        false, null));
            } else {
                Row group = byText.get("\u0000" + unfinished);
                if (group == null) {
                    group = new Row(new ArrayList<>(), unfinished, finished, null);
                    byText.put("\u0000" + unfinished, group);
                    rows.add(group);
                }
                group.workers().add(w);
            }
        }
        List<Row> fixed = new ArrayList<>(rows.size());
        for (Row r : rows) {
            fixed.add(new Row(List.copyOf(r.workers()), r.text(), r.failed(), r.failure()));
        }
        return fixed;
    }

    /** A failure in words, as the rows show it: {@code ArithmeticException: / by zero}. */
    static String describe(Throwable failure) {
        Throwable t = cause(failure);
        String type = t instanceof RemoteTaskException r ? r.remoteClassName() : t.getClass().getName();
        String message = t.getMessage();
        if (t instanceof RemoteTaskException) {
            String prefix = type + ": ";
            message = message == null || message.equals(type) ? null
                    : message.startsWith(prefix) ? message.substring(prefix.length()) : message;
        }
        return simpleName(type) + (message == null || message.isEmpty() ? "" : ": " + message);
    }

    /** The task's own exception: the cause of a {@link TaskFailedException}, but a lost worker stays itself. */
    static Throwable cause(Throwable failure) {
        if (failure instanceof WorkerLostException) {
            return failure;
        }
        if ((failure instanceof TaskFailedException || failure instanceof ExecutionException) && failure.getCause() != null) {
            return failure.getCause();
        }
        return failure;
    }

    /** {@code java.lang.ArithmeticException} and a cell's {@code REPL.$JShell$12$Oops} as {@code ArithmeticException}, {@code Oops}. */
    static String simpleName(String binaryName) {
        String s = binaryName.substring(binaryName.lastIndexOf('.') + 1);
        int dollar = s.lastIndexOf('$');
        if (dollar >= 0 && dollar + 1 < s.length() && !Character.isDigit(s.charAt(dollar + 1))) {
            s = s.substring(dollar + 1);
        }
        return s;
    }

    /**
     * The cell's error when some workers failed, or null: one paragraph per distinct failure, with its workers
     * and the stack of its first occurrence (cell code as cell and line).
     */
    CellException failure(MagicContext ctx) {
        List<Row> rows = rows();
        List<Row> failed = rows.stream().filter(Row::failed).toList();
        if (failed.isEmpty()) {
            return null;
        }
        int failedWorkers = failed.stream().mapToInt(r -> r.workers().size()).sum();
        int all = result.workerIds().size();
        List<String> ok = new ArrayList<>();
        rows.stream().filter(r -> !r.failed()).forEach(r -> ok.addAll(r.workers()));
        String evalue = what + " failed on " + (failedWorkers == all ? (all == 1 ? "its worker" : "all " + all + " workers")
                : failedWorkers + " of " + all + " workers") + (failed.size() == 1 ? ": " + failed.get(0).line() : "");
        List<String> tb = new ArrayList<>();
        List<String> failedIds = result.workerIds().stream().filter(w -> !ok.contains(w)).toList();
        tb.add(JShellEvaluator.RED + "TaskFailedException" + JShellEvaluator.RESET + ": " + what + " failed on "
                + String.join(", ", failedIds)
                + (ok.isEmpty() ? "" : " (" + String.join(", ", ok) + " succeeded"
                        + "; %pxresult shows every worker's outcome)"));
        for (Row r : failed) {
            tb.add(JShellEvaluator.RED + String.join(", ", r.workers()) + JShellEvaluator.RESET + ": " + r.text());
            if (r.failure() == null) {
                continue; // cancelled
            }
            Throwable t = cause(r.failure());
            if (t instanceof WorkerLostException lost) {
                List<String> err = lost.lastStderr();
                err.subList(Math.max(0, err.size() - ResultHtml.TRACE_LINES), err.size())
                        .forEach(l -> tb.add("    | " + l));
                continue;
            }
            tb.addAll(ctx.frames(t));
            Throwable c = t.getCause();
            if (c != null && c != t) {
                tb.add("Caused by: " + describe(c));
            }
        }
        return new CellException("jpool.TaskFailedException", evalue, tb);
    }

    @Override
    public MimeBundle toMimeBundle() {
        List<Row> rows = rows();
        StringBuilder text = new StringBuilder();
        StringBuilder html = new StringBuilder("<table class=\"jpool-px\" style=\"border-collapse:collapse\">"
                + "<thead><tr><th style=\"text-align:left;padding:2px 8px\">worker</th>"
                + "<th style=\"text-align:left;padding:2px 8px\">result</th></tr></thead><tbody>");
        for (Row r : rows) {
            text.append(text.length() == 0 ? "" : "\n").append(r.line());
            html.append("<tr><td style=\"text-align:left;padding:2px 8px;vertical-align:top\">")
                    .append(ResultHtml.esc(String.join(", ", r.workers())))
                    .append("</td><td style=\"text-align:left;padding:2px 8px;white-space:pre-wrap").append(r.failed()
                            ? ";color:#b00020" : "").append("\"><code>").append(ResultHtml.esc(r.text()))
                    .append("</code></td></tr>");
        }
        html.append("</tbody></table>");
        return MimeBundle.of("text/plain", text.toString()).put("text/html", html.toString());
    }

    @Override
    public String toString() {
        return toMimeBundle().toString();
    }
}
