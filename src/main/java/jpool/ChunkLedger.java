package jpool;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where every chunk of a result is, and the element counts that follow from it.
 *
 * <p>A job of {@code total} elements is cut into {@code chunks} chunks of {@code chunkSize} elements (the
 * last one may be shorter); chunk {@code c} holds elements {@code [start(c), end(c))}. Each chunk moves
 * through these states, and only forward:
 * <pre>
 *   QUEUED --send(c, w)--&gt; SENT to w --send(c, w2)--&gt; SENT to w2 (stolen back or retried elsewhere)
 *   QUEUED | SENT --resolve(c, ...)--&gt; RESOLVED (a value or a failure for each of its elements)
 * </pre>
 * {@link #cancelUnresolved()} ends the ledger: the elements of chunks not RESOLVED count as cancelled.
 *
 * <p>Invariants, true between any two calls: {@code done + failed + running + queued() + cancelled == total};
 * {@code running} is the size of the SENT chunks (zero once cancelled); the per-worker running counts sum
 * to {@code running} and the per-worker done counts to {@code done}; {@code completionOrder[0,
 * completedChunks)} lists the RESOLVED chunks in the order they were resolved.
 *
 * <p>Not thread-safe: the owning {@link ResultCore} calls it with its own monitor held.
 */
final class ChunkLedger {

    private static final byte QUEUED = 0;
    private static final byte SENT = 1;
    private static final byte RESOLVED = 2;

    private static final int DONE = 0;
    private static final int FAILED = 1;
    private static final int RUNNING = 2;

    final int total;
    final int chunkSize;
    final int chunks;

    private final byte[] state;
    private final String[] sentTo;
    private final int[] completionOrder;
    private int completedChunks;
    private final Map<String, int[]> perWorker = new LinkedHashMap<>(); // {done, failed, running}
    private int done;
    private int failed;
    private int running;
    private int cancelled;
    private boolean sentAny;

    ChunkLedger(int total, int chunkSize) {
        this.total = total;
        this.chunkSize = Math.max(1, chunkSize);
        this.chunks = total == 0 ? 0 : (total + this.chunkSize - 1) / this.chunkSize;
        state = new byte[chunks];
        sentTo = new String[chunks];
        completionOrder = new int[chunks];
    }

    int start(int chunk) {
        return chunk * chunkSize;
    }

    int end(int chunk) {
        return Math.min(total, (chunk + 1) * chunkSize);
    }

    int chunkOf(int index) {
        return index / chunkSize;
    }

    private int size(int chunk) {
        return end(chunk) - start(chunk);
    }

    /**
     * A chunk was handed to a worker (again, if it was stolen back or is retried).
     *
     * @return false if the chunk is resolved already (a late report), else true
     */
    boolean send(int chunk, String worker) {
        if (state[chunk] == RESOLVED) {
            return false;
        }
        sentAny = true;
        int n = size(chunk);
        if (state[chunk] == QUEUED) {
            state[chunk] = SENT;
            running += n;
        } else {
            add(sentTo[chunk], RUNNING, -n);
        }
        sentTo[chunk] = worker;
        add(worker, RUNNING, n);
        return true;
    }

    /**
     * A chunk finished: {@code failedElements} of its elements failed and the others are done.
     *
     * @param worker the worker it finished on; null if unknown (then the worker it was sent to, if any)
     * @return false if the chunk was resolved already, else true
     */
    boolean resolve(int chunk, String worker, int failedElements) {
        if (state[chunk] == RESOLVED) {
            return false;
        }
        int n = size(chunk);
        if (state[chunk] == SENT) {
            running -= n;
            add(sentTo[chunk], RUNNING, -n);
        }
        String where = worker != null ? worker : sentTo[chunk];
        done += n - failedElements;
        failed += failedElements;
        add(where, DONE, n - failedElements);
        add(where, FAILED, failedElements);
        state[chunk] = RESOLVED;
        completionOrder[completedChunks++] = chunk;
        return true;
    }

    /** The elements of every chunk not resolved are cancelled; nothing runs any more. */
    void cancelUnresolved() {
        cancelled = total - done - failed;
        running = 0;
        for (int[] c : perWorker.values()) {
            c[RUNNING] = 0;
        }
    }

    private void add(String worker, int field, int delta) {
        if (worker != null && delta != 0) {
            perWorker.computeIfAbsent(worker, w -> new int[3])[field] += delta;
        }
    }

    boolean resolved(int chunk) {
        return state[chunk] == RESOLVED;
    }

    boolean allResolved() {
        return completedChunks == chunks;
    }

    /** Whether any chunk was ever sent to a worker. */
    boolean sentAny() {
        return sentAny;
    }

    int completedChunks() {
        return completedChunks;
    }

    /** The chunk resolved {@code n}-th, counting from 0; needs {@code n < completedChunks()}. */
    int completedChunk(int n) {
        return completionOrder[n];
    }

    int done() {
        return done;
    }

    int failed() {
        return failed;
    }

    /** The counts as a snapshot in the given state, which the caller knows. */
    Progress snapshot(Progress.State resultState, Duration elapsed) {
        Map<String, Progress.WorkerCounts> workers = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : perWorker.entrySet()) {
            int[] c = e.getValue();
            workers.put(e.getKey(), new Progress.WorkerCounts(c[DONE], c[FAILED], c[RUNNING]));
        }
        int queued = total - done - failed - running - cancelled;
        return new Progress(resultState, total, done, failed, running, queued, cancelled, elapsed, workers);
    }
}
