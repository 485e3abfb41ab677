package jpool.kernel;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jpool.CallScope;
import jpool.OutputChunk;

/**
 * The scope a {@code %%px} run is submitted in: it keeps what each worker printed, per worker and stream, for
 * showing it grouped by worker ({@link #replay}) once the run is over and again for {@code %pxresult}, and,
 * when asked to, also passes each piece on at once to the cell's scope (output as it arrives, labelled by the
 * cell's scope, for {@code --group-outputs order} and {@code --noblock}). Interrupt registrations go to the
 * cell's scope, so an interrupt of the cell cancels the run.
 *
 * <p>Bounded: at most {@value #KEPT_CHARS} characters per run are kept; the rest is counted per worker and
 * stream, and the replay says how much was not kept (the result's {@code stdout()}/{@code stderr()} keep more).
 * Thread-safe.
 */
final class PxScope implements CallScope {

    /** Characters of output a run keeps for replay, all workers and both streams together. */
    static final int KEPT_CHARS = 1 << 20;

    private final CallScope cell;
    // guarded by this
    private CallScope forwardTo;
    private final Map<String, StringBuilder> kept = new LinkedHashMap<>(); // by worker and stream
    private final Map<String, Long> dropped = new LinkedHashMap<>();
    private int keptChars;

    /**
     * @param cell the scope of the submitting cell, or null
     * @param forward whether output also goes to the cell's scope as it arrives (while that scope takes it)
     */
    PxScope(CallScope cell, boolean forward) {
        this.cell = cell;
        this.forwardTo = forward ? cell : null;
    }

    @Override
    public synchronized boolean taskOutput(String workerId, OutputChunk.Stream stream, String text) {
        String key = key(workerId, stream);
        int room = Math.min(text.length(), KEPT_CHARS - keptChars);
        if (room > 0 && room < text.length() && Character.isHighSurrogate(text.charAt(room - 1))) {
            room--;
        }
        if (room > 0) {
            kept.computeIfAbsent(key, k -> new StringBuilder()).append(text, 0, room);
            keptChars += room;
        }
        if (room < text.length()) {
            dropped.merge(key, (long) (text.length() - room), Long::sum);
        }
        if (forwardTo != null) {
            try {
                if (!forwardTo.taskOutput(workerId, stream, text)) {
                    forwardTo = null;
                }
            } catch (RuntimeException e) {
                forwardTo = null;
            }
        }
        return true;
    }

    @Override
    public CallScope.Registration onInterrupt(Runnable cancel) {
        return cell == null ? () -> { } : cell.onInterrupt(cancel);
    }

    @Override
    public void cancelled(String what) {
        if (cell != null) {
            cell.cancelled(what);
        }
    }

    /** Whether any worker printed anything. */
    synchronized boolean hasOutput() {
        return !kept.isEmpty() || !dropped.isEmpty();
    }

    /**
     * Hands what the workers printed so far to {@code target}, worker by worker in the order given (workers not
     * listed follow), stdout before stderr, each ending with a line break: the cell's scope labels each line
     * with its worker. A worker whose output was not all kept gets a last line saying how much is missing.
     */
    void replay(CallScope target, List<String> workerOrder) {
        Map<String, String> texts = new LinkedHashMap<>();
        Map<String, Long> missing;
        Set<String> workers = new LinkedHashSet<>(workerOrder);
        synchronized (this) {
            kept.forEach((k, v) -> texts.put(k, v.toString()));
            missing = new LinkedHashMap<>(dropped);
            for (String key : kept.keySet()) {
                workers.add(worker(key));
            }
            for (String key : dropped.keySet()) {
                workers.add(worker(key));
            }
        }
        for (String w : workers) {
            for (OutputChunk.Stream s : OutputChunk.Stream.values()) {
                String key = key(w, s);
                String text = texts.getOrDefault(key, "");
                if (!text.isEmpty() && !text.endsWith("\n")) {
                    text += "\n";
                }
                Long lost = missing.get(key);
                if (lost != null) {
                    text += String.format(Locale.ROOT, "... %,d more characters not kept; the result's %s() has them%n",
                            lost, s == OutputChunk.Stream.STDERR ? "stderr" : "stdout");
                }
                if (!text.isEmpty()) {
                    target.taskOutput(w, s, text);
                }
            }
        }
    }

    private static String key(String worker, OutputChunk.Stream stream) {
        return worker + (stream == OutputChunk.Stream.STDERR ? " err" : " out");
    }

    private static String worker(String key) {
        return key.substring(0, key.length() - 4);
    }
}
