package jpool;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * What a result's tasks printed, kept for {@link AsyncResult#stdout()} and {@link AsyncResult#stderr()}
 * and passed on to output listeners on the callback executor.
 *
 * <p>Invariants: {@code out} and {@code err} hold everything appended so far, in arrival order, up to
 * {@link #KEPT_CHARS} characters each (the rest is counted, and the text read says how much was not kept,
 * so that a task printing without end cannot exhaust the submitting JVM's memory); every
 * chunk appended after a listener was added is delivered to it once, in order (the callback executor
 * runs one task at a time); what was appended before is replayed to it first, as one chunk per stream.
 *
 * <p>It also keeps, per worker and stream, the last {@link RecentOutput#LINES} lines (each cut at
 * {@link RecentOutput#LINE_CHARS} characters) and the count of the lines before them, for
 * {@link AsyncResult#recentOutput()}, for the {@link RecentOutput#STREAMS} worker and stream pairs that printed
 * most recently; a pair that printed less recently than those is forgotten there (not in {@code out} and
 * {@code err}). Keeping them costs two scans of each piece and a string for at most the last lines of it.
 *
 * <p>Output also goes, at once and in order, to the {@link CallScope} the result was submitted in, if any,
 * until the scope says it has ended; from then on it only stays here (so a notebook cell that has returned
 * never receives output of its tasks, and no later cell does either).
 *
 * <p>Not thread-safe: the owning {@link ResultCore} calls it with its monitor held; deliveries are handed
 * to the executor and run without the lock.
 */
final class OutputLog {

    /** Characters of each stream a result keeps at most: 16 Mi (a million lines of 16 characters). */
    static final int KEPT_CHARS = 16 * 1024 * 1024;

    private final Executor callbacks;
    private final StringBuilder out = new StringBuilder();
    private final StringBuilder err = new StringBuilder();
    private long outDropped;
    private long errDropped;
    private String lastWorker; // the worker whose output arrived last
    private List<Consumer<? super OutputChunk>> listeners = List.of(); // copy on write
    private CallScope scope; // the submitter's scope while it takes output; null after it ended
    /** By worker and stream, least recently printed first. */
    private final Map<String, Tail> tails = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Tail> eldest) {
            return size() > RecentOutput.STREAMS;
        }
    };

    /** The last lines of one worker and stream. */
    private static final class Tail {
        final String worker;
        final OutputChunk.Stream stream;
        final ArrayDeque<String> lines = new ArrayDeque<>(RecentOutput.LINES + 1);
        final StringBuilder partial = new StringBuilder();
        boolean partialCut;
        long complete;

        Tail(String worker, OutputChunk.Stream stream) {
            this.worker = worker;
            this.stream = stream;
        }

        void add(String text) {
            int newlines = 0;
            for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) {
                newlines++;
            }
            int from = 0;
            int seen = 0;
            for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
                seen++;
                if (newlines - seen < RecentOutput.LINES) { // only the last lines of a piece are kept
                    appendPartial(text, from, nl);
                    lines.addLast(partialCut ? partial + "..." : partial.toString());
                    if (lines.size() > RecentOutput.LINES) {
                        lines.removeFirst();
                    }
                }
                partial.setLength(0);
                partialCut = false;
                complete++;
                from = nl + 1;
            }
            appendPartial(text, from, text.length());
        }

        private void appendPartial(String text, int from, int to) {
            int room = RecentOutput.LINE_CHARS - partial.length();
            if (to - from > room) {
                partial.append(text, from, from + Math.max(0, room));
                partialCut = true;
            } else {
                partial.append(text, from, to);
            }
        }

        RecentOutput view() {
            List<String> kept = new ArrayList<>(lines);
            if (partial.length() > 0) {
                kept.add(partialCut ? partial + "..." : partial.toString());
            }
            return new RecentOutput(worker, stream, kept, complete - lines.size());
        }
    }

    /**
     * @param callbacks runs listener deliveries
     * @param scope the scope of the submitting thread, or null
     */
    OutputLog(Executor callbacks, CallScope scope) {
        this.callbacks = callbacks;
        this.scope = scope;
    }

    /** Appends a piece of output and schedules its delivery to the listeners. */
    void append(String worker, int index, OutputChunk.Stream stream, String text) {
        boolean isOut = stream == OutputChunk.Stream.STDOUT;
        StringBuilder kept = isOut ? out : err;
        int room = Math.min(text.length(), KEPT_CHARS - kept.length());
        if (room > 0 && room < text.length() && Character.isHighSurrogate(text.charAt(room - 1))) {
            room--; // never keep half a character
        }
        if (room > 0) {
            kept.append(text, 0, room);
        }
        if (room < text.length()) {
            if (isOut) {
                outDropped += text.length() - room;
            } else {
                errDropped += text.length() - room;
            }
        }
        lastWorker = worker;
        String key = worker + (isOut ? " out" : " err");
        Tail tail = tails.get(key);
        if (tail == null) {
            tail = new Tail(worker, stream);
            tails.put(key, tail);
        }
        tail.add(text);
        if (scope != null) {
            try {
                if (!scope.taskOutput(worker, stream, text)) {
                    scope = null;
                }
            } catch (RuntimeException e) {
                scope = null; // a broken host loses the output, the result keeps it
            }
        }
        if (listeners.isEmpty()) {
            return;
        }
        List<Consumer<? super OutputChunk>> targets = listeners;
        OutputChunk c = new OutputChunk(worker, index, stream, text, Instant.now());
        callbacks.execute(() -> deliver(targets, c));
    }

    /**
     * Adds a listener and schedules the replay of earlier output to it, under {@code worker} if known,
     * else under the worker that printed last.
     */
    void addListener(Consumer<? super OutputChunk> listener, String worker) {
        List<Consumer<? super OutputChunk>> list = new ArrayList<>(listeners);
        list.add(listener);
        listeners = List.copyOf(list);
        String who = worker != null ? worker : lastWorker;
        List<OutputChunk> earlier = new ArrayList<>(2);
        if (out.length() > 0) {
            earlier.add(new OutputChunk(who, 0, OutputChunk.Stream.STDOUT, out.toString(), Instant.now()));
        }
        if (err.length() > 0) {
            earlier.add(new OutputChunk(who, 0, OutputChunk.Stream.STDERR, err.toString(), Instant.now()));
        }
        if (!earlier.isEmpty()) {
            List<Consumer<? super OutputChunk>> target = List.of(listener);
            callbacks.execute(() -> earlier.forEach(c -> deliver(target, c)));
        }
    }

    /** The last lines per worker and stream, least recently printed first. */
    List<RecentOutput> recent() {
        List<RecentOutput> list = new ArrayList<>(tails.size());
        for (Tail t : tails.values()) {
            list.add(t.view());
        }
        return list;
    }

    String stdout() {
        return text(out, outDropped);
    }

    String stderr() {
        return text(err, errDropped);
    }

    private static String text(StringBuilder kept, long dropped) {
        if (dropped == 0) {
            return kept.toString();
        }
        return kept + String.format(java.util.Locale.ROOT,
                "%n[jpool: %,d more characters not kept; a result keeps the first %,d of each stream]%n", dropped,
                KEPT_CHARS);
    }

    private static void deliver(List<Consumer<? super OutputChunk>> targets, OutputChunk c) {
        for (Consumer<? super OutputChunk> l : targets) {
            try {
                l.accept(c);
            } catch (RuntimeException e) {
                e.printStackTrace();
            }
        }
    }
}
