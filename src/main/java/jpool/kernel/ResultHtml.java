package jpool.kernel;

import java.lang.reflect.Array;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import jpool.AsyncResult;
import jpool.MapResult;
import jpool.OutputChunk;
import jpool.Pool;
import jpool.PoolStats;
import jpool.PoolWorker;
import jpool.Progress;
import jpool.RecentOutput;
import jpool.RemoteTaskException;
import jpool.TaskFailedException;
import jpool.Timeline;
import jpool.WorkerLostException;

/**
 * The MIME bundles of pool results and pools: {@code text/plain} (the value's {@code toString()}, its state
 * in words, and for a failed task the error with its stack trace), {@code text/html} (self-contained, inline
 * styles, every value escaped; no script but the one of the Stop control of an unfinished result, see
 * {@link ResultControls}) and {@code application/json}.
 *
 * <p>A result's bundle is made from one {@link Progress} snapshot, taken first; its {@code toString()} is
 * taken after it, so once the snapshot is final all three representations show the same final state.
 * Values are read only from a finished result (a preview of its first results), so rendering never waits.
 */
final class ResultHtml {

    /** Results shown in a preview, and characters of one result. */
    static final int PREVIEW_ITEMS = 10;
    static final int PREVIEW_CHARS = 80;
    /** Workers listed in a map's table (the JSON has all). */
    static final int WORKER_ROWS = 16;
    /** Stack trace lines shown of an error, in all, and frames shown of each cause. */
    static final int TRACE_LINES = 12;
    static final int CAUSE_LINES = 3;

    private static final String BOX = "font-family:sans-serif;font-size:13px;line-height:1.45;max-width:760px;"
            + "padding:2px 0";
    private static final String TABLE = "border-collapse:collapse;margin:4px 0;font-size:12px";
    private static final String CELL = "padding:1px 10px 1px 0;text-align:left;border-bottom:1px solid #ddd";
    private static final String NUM = "padding:1px 10px 1px 0;text-align:right;border-bottom:1px solid #ddd;"
            + "font-variant-numeric:tabular-nums";
    private static final String PRE = "margin:2px 0 0 0;padding:4px 6px;font-size:12px;white-space:pre-wrap;"
            + "background:rgba(229,57,53,0.08);border-left:3px solid #e53935";

    private static final String OUT = "margin:2px 0 0 0;padding:4px 6px;font-size:12px;white-space:pre-wrap;"
            + "background:#f7f7f7;border-left:3px solid #bdbdbd";
    private static final String ERR = "margin:2px 0 0 0;padding:4px 6px;font-size:12px;white-space:pre-wrap;"
            + "background:rgba(251,140,0,0.08);border-left:3px solid #fb8c00";
    /** Worker and stream pairs whose last lines a display shows. */
    static final int OUTPUT_STREAMS = 8;

    private static final String GREEN = "#43a047";
    private static final String RED = "#e53935";
    private static final String BLUE = "#64b5f6";
    private static final String ORANGE = "#fb8c00";
    private static final String GREY = "#9e9e9e";
    private static final String PURPLE = "#8e24aa";

    /** Width of an activity strip, and the least width of a span in it (percent), so that a short unit shows. */
    static final int STRIP_PX = 240;
    private static final double MIN_SPAN_PERCENT = 0.5;

    private ResultHtml() {
    }

    // ------------------------------------------------------------------ results

    /** The bundle of a result ({@link MapResult} or single). */
    static MimeBundle result(AsyncResult<?> r) {
        Progress p = r.progress();
        String plain = r.toString();
        boolean map = r instanceof MapResult;
        String worker = r.workerId().orElse(null);
        boolean started = r.started().isPresent();
        Failure failure = p.failed() > 0 ? firstFailure(r) : null;
        Preview preview = p.state() == Progress.State.DONE ? preview(r, map) : null;
        Timeline timeline = map ? r.timeline() : null;
        List<RecentOutput> output = r.recentOutput();
        String control = p.finished() ? "" : ResultControls.html(r);
        String html = map ? mapHtml(p, timeline, output, failure, preview, control)
                : singleHtml(p, worker, started, output, failure, preview, control);
        Map<String, Object> json = resultJson(map, p, worker, failure, preview);
        if (timeline != null) {
            json.put("timeline", timelineJson(timeline));
        }
        json.put("output", outputJson(output));
        if (!p.finished()) {
            json.put("stop", Map.of("comm_target", ResultControls.TARGET, "result", ResultControls.token(r)));
        }
        String outputText = outputText(output);
        if (!outputText.isEmpty()) {
            plain = plain + "\n" + outputText;
        }
        if (failure != null) {
            plain = plain + "\n" + failureText(failure);
        }
        return new MimeBundle().put("text/plain", plain).put("text/html", html).put("application/json", json);
    }

    private static String mapHtml(Progress p, Timeline timeline, List<RecentOutput> output, Failure failure,
            Preview preview, String control) {
        StringBuilder h = new StringBuilder("<div style=\"").append(BOX).append("\">");
        h.append("<div><b>MapResult</b> ").append(badge(p.state())).append(' ')
                .append(p.done()).append('/').append(p.total()).append(" done");
        appendCount(h, p.failed(), "failed");
        appendCount(h, p.running(), "running");
        appendCount(h, p.queued(), "queued");
        appendCount(h, p.cancelled(), "cancelled");
        h.append("</div>");
        h.append(bar(p.total(), p.done(), p.failed(), p.running(), p.cancelled()));
        h.append("<div style=\"color:#666\">").append(esc(timing(p))).append("</div>");
        appendWorkers(h, p, timeline);
        appendOutput(h, output);
        appendFailure(h, failure);
        if (preview != null) {
            h.append("<div>Results: <code>").append(esc(preview.text())).append("</code></div>");
        }
        return h.append(control).append("</div>").toString();
    }

    private static String singleHtml(Progress p, String worker, boolean started, List<RecentOutput> output,
            Failure failure, Preview preview, String control) {
        StringBuilder h = new StringBuilder("<div style=\"").append(BOX).append("\">");
        h.append("<div><b>AsyncResult</b> ").append(badge(p.state()));
        if (worker != null && p.state() != Progress.State.CANCELLED) {
            h.append(" on <b>").append(esc(worker)).append("</b>");
        }
        double seconds = seconds(p);
        if (p.finished()) {
            if (p.state() != Progress.State.CANCELLED) {
                h.append(" in ").append(fmt("%.2f s", seconds));
            }
        } else {
            h.append(", ").append(fmt("%.1f s", seconds)).append(started ? " elapsed" : " since submit");
        }
        h.append("</div>");
        appendOutput(h, output);
        appendFailure(h, failure);
        if (preview != null) {
            h.append("<div>Result: <code>").append(esc(preview.text())).append("</code></div>");
        }
        return h.append(control).append("</div>").toString();
    }

    /**
     * The table of workers: per worker its counts and its activity strip, the spans of time its units ran
     * (coloured by how they ended) on a time axis from the result's first start, gaps being idle time, and
     * the share of that time it was busy.
     */
    private static void appendWorkers(StringBuilder h, Progress p, Timeline t) {
        Map<String, Timeline.Lane> lanes = new LinkedHashMap<>();
        for (Timeline.Lane l : t.lanes()) {
            lanes.put(l.workerId(), l);
        }
        List<String> workers = new ArrayList<>(p.workers().keySet());
        for (String w : lanes.keySet()) {
            if (!p.workers().containsKey(w)) {
                workers.add(w);
            }
        }
        if (workers.isEmpty()) {
            return;
        }
        double length = Math.max(t.length().toNanos() / 1e9, 1e-3);
        h.append("<table style=\"").append(TABLE).append("\"><tr>");
        for (String head : List.of("worker", "done", "failed", "running", "activity", "busy")) {
            h.append("<th style=\"").append(head.equals("worker") || head.equals("activity") ? CELL : NUM)
                    .append("\">").append(head).append("</th>");
        }
        h.append("</tr>");
        int row = 0;
        for (String w : workers) {
            if (row++ == WORKER_ROWS) {
                h.append("<tr><td colspan=\"6\" style=\"").append(CELL).append("\">and ")
                        .append(workers.size() - WORKER_ROWS).append(" more workers</td></tr>");
                break;
            }
            Progress.WorkerCounts c = p.workers().getOrDefault(w, new Progress.WorkerCounts(0, 0, 0));
            h.append("<tr><td style=\"").append(CELL).append("\">").append(esc(w)).append("</td>");
            for (int n : new int[] {c.done(), c.failed(), c.running()}) {
                h.append("<td style=\"").append(NUM).append("\">").append(n).append("</td>");
            }
            Timeline.Lane lane = lanes.get(w);
            h.append("<td style=\"").append(CELL).append(";width:").append(STRIP_PX).append("px\">")
                    .append(strip(lane, length)).append("</td><td style=\"").append(NUM).append("\">");
            if (lane != null) {
                h.append(fmt("%.0f", Math.min(100, 100 * lane.busy().toNanos() / 1e9 / length))).append('%');
            }
            h.append("</td></tr>");
        }
        if (!t.isEmpty()) {
            h.append("<tr><td colspan=\"4\"></td><td style=\"padding:0 10px 0 0;font-size:11px;color:#666\">"
                    + "<div style=\"display:flex;justify-content:space-between\"><span>0 s</span><span>")
                    .append(fmt(length < 10 ? "%.1f s" : "%.0f s", length)).append("</span></div></td><td></td></tr>");
        }
        h.append("</table>");
        if (t.omittedUnits() > 0) {
            h.append("<div style=\"color:#666;font-size:11px\">").append(t.omittedUnits())
                    .append(" more units ran on workers without a row</div>");
        }
    }

    /** One worker's activity: a span per run of units, positioned in percent of the timeline's length. */
    private static String strip(Timeline.Lane lane, double length) {
        StringBuilder h = new StringBuilder("<div style=\"position:relative;height:12px;background:#eee;"
                + "border-radius:2px;overflow:hidden\">");
        if (lane != null) {
            // spans closer than what the eye can tell apart are drawn as one, which bounds the HTML's size
            double left = -1;
            double right = -1;
            String colour = null;
            for (Timeline.Span s : lane.spans()) {
                double a = 100 * s.start().toNanos() / 1e9 / length;
                double b = Math.max(a + MIN_SPAN_PERCENT, 100 * s.end().toNanos() / 1e9 / length);
                String c = colour(s.outcome());
                if (colour != null && c.equals(colour) && a - right < MIN_SPAN_PERCENT) {
                    right = Math.max(right, b);
                    continue;
                }
                if (colour != null) {
                    spanDiv(h, left, right, colour);
                }
                left = a;
                right = b;
                colour = c;
            }
            if (colour != null) {
                spanDiv(h, left, right, colour);
            }
        }
        return h.append("</div>").toString();
    }

    private static void spanDiv(StringBuilder h, double left, double right, String colour) {
        double l = Math.min(left, 100 - MIN_SPAN_PERCENT);
        h.append("<div style=\"position:absolute;top:0;bottom:0;left:").append(fmt("%.1f", l)).append("%;width:")
                .append(fmt("%.1f", Math.min(right, 100) - l)).append("%;background:").append(colour)
                .append("\"></div>");
    }

    private static String colour(Timeline.Outcome o) {
        return switch (o) {
            case RUNNING -> BLUE;
            case DONE -> GREEN;
            case FAILED -> RED;
            case LOST -> PURPLE;
            case CANCELLED -> ORANGE;
        };
    }

    private static Map<String, Object> timelineJson(Timeline t) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("seconds", Math.round(t.length().toNanos() / 1e6) / 1000.0);
        List<Map<String, Object>> lanes = new ArrayList<>();
        for (Timeline.Lane l : t.lanes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("worker", l.workerId());
            m.put("units", l.units());
            m.put("busy_seconds", Math.round(l.busy().toNanos() / 1e6) / 1000.0);
            m.put("spans", l.spans().size());
            lanes.add(m);
        }
        j.put("lanes", lanes);
        j.put("omitted_units", t.omittedUnits());
        return j;
    }

    private static void appendCount(StringBuilder h, int n, String word) {
        h.append(", ").append(n).append(' ').append(word);
    }

    // ------------------------------------------------------------------ output

    /**
     * The last lines per worker and stream as the display shows them, stdout and stderr apart: each line
     * labelled with its worker ({@code [w1] step 3}), after a line saying how many earlier lines are not shown.
     * At most {@link #OUTPUT_STREAMS} workers and streams, the ones that printed most recently.
     */
    private static void appendOutput(StringBuilder h, List<RecentOutput> output) {
        String out = outputLines(output, OutputChunk.Stream.STDOUT);
        String err = outputLines(output, OutputChunk.Stream.STDERR);
        if (out.isEmpty() && err.isEmpty()) {
            return;
        }
        h.append("<div style=\"margin-top:4px;color:#666\">Output, last lines per worker:</div>");
        if (!out.isEmpty()) {
            h.append("<pre style=\"").append(OUT).append("\">").append(esc(out)).append("</pre>");
        }
        if (!err.isEmpty()) {
            h.append("<pre style=\"").append(ERR).append("\">").append(esc(err)).append("</pre>");
        }
    }

    private static String outputLines(List<RecentOutput> output, OutputChunk.Stream stream) {
        StringBuilder sb = new StringBuilder();
        int from = Math.max(0, output.size() - OUTPUT_STREAMS);
        for (RecentOutput o : output.subList(from, output.size())) {
            if (o.stream() != stream) {
                continue;
            }
            if (o.earlierLines() > 0) {
                sb.append('[').append(o.workerId()).append("] ... ").append(String.format(Locale.ROOT,
                        "%,d earlier %s not shown; the result's %s() has them", o.earlierLines(),
                        o.earlierLines() == 1 ? "line" : "lines", stream == OutputChunk.Stream.STDERR ? "stderr"
                                : "stdout")).append('\n');
            }
            for (String line : o.lines()) {
                sb.append('[').append(o.workerId()).append("] ").append(line).append('\n');
            }
        }
        return sb.length() == 0 ? "" : sb.substring(0, sb.length() - 1);
    }

    /** The output section of the plain text: stdout lines, then stderr lines, or empty. */
    private static String outputText(List<RecentOutput> output) {
        String out = outputLines(output, OutputChunk.Stream.STDOUT);
        String err = outputLines(output, OutputChunk.Stream.STDERR);
        return out.isEmpty() ? err : err.isEmpty() ? out : out + "\n" + err;
    }

    private static List<Map<String, Object>> outputJson(List<RecentOutput> output) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (RecentOutput o : output) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("worker", o.workerId());
            m.put("stream", o.stream() == OutputChunk.Stream.STDERR ? "stderr" : "stdout");
            m.put("lines", o.lines());
            m.put("earlier_lines", o.earlierLines());
            list.add(m);
        }
        return list;
    }

    /** A failure in plain text: its head line and its trace lines, indented. */
    static String failureText(Failure f) {
        StringBuilder sb = new StringBuilder(f.index() >= 0 ? "First error (item " + f.index() + ")" : "Error");
        if (f.worker() != null) {
            sb.append(" on ").append(f.worker());
        }
        sb.append(": ").append(f.type());
        if (f.message() != null && !f.message().isEmpty()) {
            sb.append(": ").append(f.message());
        }
        for (String line : f.lines()) {
            sb.append("\n    ").append(line);
        }
        return sb.toString();
    }

    private static void appendFailure(StringBuilder h, Failure f) {
        if (f == null) {
            return;
        }
        h.append("<div style=\"margin-top:4px\"><span style=\"color:").append(RED).append("\">")
                .append(f.index() >= 0 ? "First error (item " + f.index() + ")" : "Error");
        if (f.worker() != null) {
            h.append(" on ").append(esc(f.worker()));
        }
        h.append(":</span> <b>").append(esc(f.type())).append("</b>");
        if (f.message() != null && !f.message().isEmpty()) {
            h.append(": ").append(esc(f.message()));
        }
        h.append("</div>");
        if (!f.lines().isEmpty()) {
            h.append("<pre style=\"").append(PRE).append("\">").append(esc(String.join("\n", f.lines())))
                    .append("</pre>");
        }
    }

    /** A horizontal bar of {@code total} units: done, failed, running, cancelled, the rest queued (grey). */
    private static String bar(int total, int done, int failed, int running, int cancelled) {
        StringBuilder h = new StringBuilder("<div style=\"display:flex;height:12px;margin:3px 0;background:#e0e0e0;"
                + "border-radius:3px;overflow:hidden;min-width:120px\">");
        segment(h, total, done, GREEN);
        segment(h, total, failed, RED);
        segment(h, total, running, BLUE);
        segment(h, total, cancelled, ORANGE);
        return h.append("</div>").toString();
    }

    private static void segment(StringBuilder h, int total, int n, String colour) {
        if (n > 0 && total > 0) {
            h.append("<div style=\"width:").append(fmt("%.2f", 100.0 * n / total)).append("%;background:")
                    .append(colour).append("\"></div>");
        }
    }

    private static String badge(Progress.State state) {
        String colour = switch (state) {
            case QUEUED -> GREY;
            case RUNNING -> BLUE;
            case DONE -> GREEN;
            case FAILED -> RED;
            case CANCELLED -> ORANGE;
        };
        return "<span style=\"padding:0 6px;border-radius:3px;color:#fff;background:" + colour + "\">"
                + word(state) + "</span>";
    }

    /** Elapsed, rate and ETA in words: {@code 3.1 s elapsed, 3.9 items/s, ETA 2.0 s}, or {@code in 5.1 s, 3.9 items/s}. */
    static String timing(Progress p) {
        double seconds = seconds(p);
        int finished = p.done() + p.failed();
        StringBuilder sb = p.finished() ? new StringBuilder("in ").append(fmt("%.1f s", seconds))
                : new StringBuilder(fmt("%.1f s", seconds)).append(" elapsed");
        if (finished > 0 && seconds > 0) {
            double rate = finished / seconds;
            sb.append(", ").append(fmt(rate >= 10 ? "%.0f" : "%.1f", rate)).append(" items/s");
            if (!p.finished()) {
                sb.append(", ETA ").append(fmt("%.1f s", (p.total() - finished - p.cancelled()) / rate));
            }
        }
        return sb.toString();
    }

    private static Map<String, Object> resultJson(boolean map, Progress p, String worker, Failure failure,
            Preview preview) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("type", map ? "MapResult" : "AsyncResult");
        j.put("state", word(p.state()));
        j.put("total", p.total());
        j.put("done", p.done());
        j.put("failed", p.failed());
        j.put("running", p.running());
        j.put("queued", p.queued());
        j.put("cancelled", p.cancelled());
        j.put("elapsed_seconds", Math.round(seconds(p) * 1000) / 1000.0);
        if (worker != null) {
            j.put("worker", worker);
        }
        Map<String, Object> workers = new LinkedHashMap<>();
        p.workers().forEach((id, c) -> workers.put(id, Map.of("done", c.done(), "failed", c.failed(),
                "running", c.running())));
        j.put("workers", workers);
        if (failure != null) {
            Map<String, Object> e = new LinkedHashMap<>();
            if (failure.index() >= 0) {
                e.put("index", failure.index());
            }
            e.put("type", failure.type());
            e.put("message", failure.message() == null ? "" : failure.message());
            if (failure.worker() != null) {
                e.put("worker", failure.worker());
            }
            e.put("trace", failure.lines());
            j.put("error", e);
        }
        if (preview != null) {
            j.put("preview", preview.text());
        }
        return j;
    }

    // ------------------------------------------------------------------ pools

    /** The bundle of a pool: its workers and counters. */
    static MimeBundle pool(Pool pool) {
        List<PoolWorker> workers = pool.workers();
        PoolStats stats = pool.stats();
        boolean shutdown = pool.isShutdown();
        String plain = pool.toString();
        int ready = 0;
        int leaving = 0;
        for (PoolWorker w : workers) {
            if (w.state() == PoolWorker.State.RETIRING || w.state() == PoolWorker.State.STOPPING) {
                leaving++;
            } else if (!starting(w)) {
                ready++;
            }
        }
        int startingCount = workers.size() - ready - leaving;
        StringBuilder h = new StringBuilder("<div style=\"").append(BOX).append("\">");
        h.append("<div><b>Pool</b> ").append(pool.processes()).append(" workers: ").append(ready).append(" running");
        if (startingCount > 0) {
            h.append(", ").append(startingCount).append(" starting");
        }
        if (leaving > 0) {
            h.append(", ").append(leaving).append(" leaving");
        }
        if (shutdown) {
            h.append(", <span style=\"color:").append(ORANGE).append("\">").append(pool.isTerminated()
                    ? "terminated" : "shut down").append("</span>");
        }
        h.append(", ").append(stats.queued()).append(" queued, ").append(stats.running()).append(" running");
        h.append("</div><table style=\"").append(TABLE).append("\"><tr>");
        for (String head : POOL_COLUMNS) {
            boolean text = List.of("worker", "host", "launcher", "state", "task").contains(head);
            h.append("<th style=\"").append(text ? CELL : NUM).append("\">").append(head).append("</th>");
        }
        h.append("</tr>");
        Instant now = Instant.now();
        for (PoolWorker w : workers) {
            h.append("<tr>");
            td(h, CELL, esc(w.id()));
            td(h, NUM, Integer.toString(w.index()));
            td(h, NUM, w.pid() < 0 ? "" : Long.toString(w.pid()));
            td(h, CELL, esc(w.host()));
            td(h, CELL, esc(w.launcher()));
            td(h, CELL + ";color:" + stateColour(w.state().name()), esc(w.state().name().toLowerCase(Locale.ROOT)));
            td(h, CELL, w.runningSince() == null ? "" : "running " + seconds(Duration.between(w.runningSince(), now)));
            td(h, NUM, Long.toString(w.tasksDone()));
            td(h, NUM, w.tasksFailed() == 0 ? "0" : "<span style=\"color:" + RED + "\">" + w.tasksFailed() + "</span>");
            td(h, NUM, heap(w));
            td(h, NUM, seconds(w.uptime(now)));
            td(h, NUM, Integer.toString(w.restarts()));
            h.append("</tr>");
        }
        h.append("</table><div style=\"color:#666\">").append(esc(statsText(stats))).append("</div></div>");

        Map<String, Object> j = new LinkedHashMap<>();
        j.put("type", "Pool");
        j.put("processes", pool.processes());
        j.put("shutdown", shutdown);
        List<Map<String, Object>> ws = new ArrayList<>();
        for (PoolWorker w : workers) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", w.id());
            m.put("pid", w.pid());
            m.put("state", w.state().name());
            m.put("host", w.host());
            m.put("tasks_done", w.tasksDone());
            m.put("index", w.index());
            m.put("launcher", w.launcher());
            m.put("tasks_failed", w.tasksFailed());
            m.put("running_since", w.runningSince() == null ? null : w.runningSince().toString());
            m.put("heap_used", w.heapUsed());
            m.put("heap_max", w.heapMax());
            m.put("launched_at", w.launchedAt().toString());
            m.put("restarts", w.restarts());
            ws.add(m);
        }
        j.put("workers", ws);
        j.put("queued", stats.queued());
        j.put("running", stats.running());
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("chunks_completed", stats.chunksCompleted());
        s.put("workers_started", stats.workersStarted());
        s.put("workers_lost", stats.workersLost());
        s.put("tasks_retried", stats.tasksRetried());
        s.put("messages_received", stats.messagesReceived());
        s.put("messages_sent", stats.messagesSent());
        s.put("messages_dropped", stats.dropped());
        j.put("stats", s);
        return new MimeBundle().put("text/plain", plain).put("text/html", h.toString()).put("application/json", j);
    }

    private static final List<String> POOL_COLUMNS = List.of("worker", "index", "pid", "host", "launcher", "state",
            "task", "done", "failed", "heap MiB", "uptime", "restarts");

    private static void td(StringBuilder h, String style, String html) {
        h.append("<td style=\"").append(style).append("\">").append(html).append("</td>");
    }

    /** Heap in use of its limit, in MiB ("" before the worker's first heartbeat). */
    private static String heap(PoolWorker w) {
        if (w.heapMax() <= 0) {
            return "";
        }
        return (w.heapUsed() >> 20) + " / " + (w.heapMax() >> 20);
    }

    private static String seconds(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        if (ms < 3_600_000) {
            return String.format(Locale.ROOT, "%d min %d s", ms / 60_000, ms / 1000 % 60);
        }
        return String.format(Locale.ROOT, "%d h %d min", ms / 3_600_000, ms / 60_000 % 60);
    }

    /** Whether a worker is still on its way to taking tasks. */
    static boolean starting(PoolWorker w) {
        return w.state() == PoolWorker.State.STARTING || w.state() == PoolWorker.State.INITIALIZING;
    }

    private static String stateColour(String state) {
        return switch (state) {
            case "READY" -> GREEN;
            case "BUSY" -> "#1e88e5";
            case "STARTING", "INITIALIZING" -> GREY;
            default -> ORANGE;
        };
    }

    private static String statsText(PoolStats s) {
        StringBuilder sb = new StringBuilder().append(s.chunksCompleted()).append(" task chunks completed, ")
                .append(s.workersStarted()).append(" workers started, ").append(s.workersLost()).append(" lost, ")
                .append(s.tasksRetried()).append(" chunks retried");
        if (s.messagesReceived() + s.messagesSent() > 0) {
            sb.append(", messages ").append(s.messagesReceived()).append(" in / ").append(s.messagesSent())
                    .append(" out");
        }
        if (s.dropped() > 0) {
            sb.append(", ").append(s.dropped()).append(" dropped");
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ errors and previews

    /**
     * What a failure says: the task's exception (type, message, the first frames of its remote stack trace
     * outside jpool), or for a lost worker the last lines of its standard error.
     *
     * @param index the failed input element, or -1 for a single task
     * @param worker the worker that ran it, or null when unknown
     */
    record Failure(int index, String worker, String type, String message, List<String> lines) {
    }

    private static Failure firstFailure(AsyncResult<?> r) {
        if (r instanceof MapResult<?> m) {
            SortedMap<Integer, Throwable> failures = m.failures();
            return failures.isEmpty() ? null : failure(failures.firstKey(), failures.get(failures.firstKey()));
        }
        try {
            r.get(0, TimeUnit.NANOSECONDS);
            return null;
        } catch (ExecutionException e) {
            return failure(-1, e);
        } catch (Exception e) { // not final yet, or cancelled meanwhile: the next render shows it
            return null;
        }
    }

    static Failure failure(int index, Throwable failure) {
        Throwable t = failure;
        String worker = null;
        if (t instanceof TaskFailedException tf) {
            worker = tf.workerId();
            if (tf instanceof WorkerLostException lost) {
                List<String> err = lost.lastStderr();
                return new Failure(index, worker, "WorkerLostException", lost.getMessage(),
                        err.subList(Math.max(0, err.size() - TRACE_LINES), err.size()));
            }
            if (tf.getCause() != null) {
                t = tf.getCause();
            }
        } else if (t instanceof ExecutionException && t.getCause() != null) {
            t = t.getCause();
        }
        String type = t.getClass().getName();
        String message = t.getMessage();
        if (t instanceof RemoteTaskException remote) {
            type = remote.remoteClassName();
            String prefix = type + ": ";
            message = message == null || message.equals(type) ? null
                    : message.startsWith(prefix) ? message.substring(prefix.length()) : message;
        }
        return new Failure(index, worker, type, message, traceLines(t));
    }

    /**
     * The stack trace lines of a task's exception as the notebook shows them: its frames down to the task
     * (not the worker that ran it), jpool's own left out, cell frames as {@code In [k] line n}; then each
     * cause with its first frames; at most {@link #TRACE_LINES} lines in all.
     */
    static List<String> traceLines(Throwable t) {
        List<String> lines = new ArrayList<>();
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        int perLevel = TRACE_LINES;
        for (Throwable level = t; level != null && seen.add(level); level = level.getCause()) {
            if (level != t) {
                if (lines.size() >= TRACE_LINES) {
                    break;
                }
                lines.add("Caused by: " + (level instanceof RemoteTaskException rc ? rc.getMessage() : level.toString()));
                perLevel = CAUSE_LINES;
            }
            List<StackTraceElement> frames = CellFrames.shown(level.getStackTrace());
            int shown = 0;
            for (StackTraceElement el : frames) {
                if (shown == perLevel || lines.size() >= TRACE_LINES) {
                    lines.add("... " + (frames.size() - shown) + " more");
                    break;
                }
                lines.add("at " + CellFrames.describe(el));
                shown++;
            }
        }
        return lines;
    }

    /** The first results of a finished result, as text. */
    record Preview(String text) {
    }

    private static Preview preview(AsyncResult<?> r, boolean map) {
        Object value;
        try {
            value = r.get(0, TimeUnit.NANOSECONDS);
        } catch (Exception | LinkageError e) { // a value that cannot be read here shows no preview
            return null;
        }
        try {
            if (map && value instanceof List<?> list) {
                return new Preview(elements(list.iterator(), list.size(), PREVIEW_ITEMS, "results"));
            }
            return new Preview(brief(value, PREVIEW_ITEMS, PREVIEW_CHARS * PREVIEW_ITEMS / 2));
        } catch (RuntimeException | LinkageError e) { // a toString() that throws
            return new Preview(value.getClass().getName() + " (cannot be shown: " + e + ")");
        }
    }

    /**
     * A value as text, in time and length bounded by what is shown, not by the value: at most {@code items}
     * elements of an array, collection or map, each at most {@link #PREVIEW_CHARS} characters, and at most
     * {@code chars} characters of anything else (whose {@code toString()} is called, though).
     */
    static String brief(Object v, int items, int chars) {
        if (v == null) {
            return "null";
        }
        if (v instanceof CharSequence cs) {
            return cs.length() <= chars ? cs.toString() : cs.subSequence(0, Math.max(0, chars - 3)) + "...";
        }
        int nested = Math.max(1, items / 3);
        if (v.getClass().isArray()) {
            int n = Array.getLength(v);
            return elements(new Iterator<Object>() {
                int i;

                @Override
                public boolean hasNext() {
                    return i < n;
                }

                @Override
                public Object next() {
                    return Array.get(v, i++);
                }
            }, n, items, "items");
        }
        if (v instanceof Collection<?> c) {
            return elements(c.iterator(), c.size(), items, "items");
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (i == items) {
                    return sb.append(", ... (").append(m.size()).append(" entries)}").toString();
                }
                sb.append(i++ == 0 ? "" : ", ").append(brief(e.getKey(), nested, PREVIEW_CHARS)).append('=')
                        .append(brief(e.getValue(), nested, PREVIEW_CHARS));
            }
            return sb.append('}').toString();
        }
        return shorten(String.valueOf(v), chars);
    }

    private static String elements(Iterator<?> it, int size, int items, String word) {
        StringBuilder sb = new StringBuilder("[");
        int nested = Math.max(1, items / 3);
        for (int i = 0; it.hasNext(); i++) {
            if (i == items) {
                return sb.append(", ... (").append(size).append(' ').append(word).append(")]").toString();
            }
            sb.append(i == 0 ? "" : ", ").append(brief(it.next(), nested, PREVIEW_CHARS));
        }
        return sb.append(']').toString();
    }

    // ------------------------------------------------------------------ text

    /** HTML-escapes text for element content and double-quoted attributes. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    private static double seconds(Progress p) {
        return p.elapsed().toNanos() / 1e9;
    }

    private static String word(Progress.State state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    private static String fmt(String format, double value) {
        return String.format(Locale.ROOT, format, value);
    }
}
