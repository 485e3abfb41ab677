package jpool;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/** A run on each worker: element (and chunk) {@code i} is the run on {@code workerIds.get(i)}. */
final class PerWorkerResultImpl<R> extends BaseResult<Map<String, R>> implements PerWorkerResult<R> {

    private final List<String> workerIds;

    PerWorkerResultImpl(Executor callbacks, ClassLoader loader, List<String> workerIds) {
        super(callbacks, loader, workerIds.size(), 1);
        this.workerIds = List.copyOf(workerIds);
    }

    @Override
    @SuppressWarnings("unchecked")
    Map<String, R> assemble() throws ExecutionException {
        int first = elements.firstError();
        if (first >= 0) {
            throw SingleResult.asExecutionException(elements.error(first));
        }
        Map<String, R> map = new LinkedHashMap<>();
        for (int i = 0; i < total; i++) {
            map.put(workerIds.get(i), (R) elements.value(i));
        }
        return Collections.unmodifiableMap(map);
    }

    @Override
    public List<String> workerIds() {
        return workerIds;
    }

    private void decodeResolved() {
        for (int c = 0; c < chunks; c++) {
            if (chunkResolved(c)) {
                decode(c);
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, R> values() {
        decodeResolved();
        Map<String, R> map = new LinkedHashMap<>();
        synchronized (this) {
            for (int i = 0; i < total; i++) {
                if (chunkResolved(i) && elements.encoded(i) == null && elements.error(i) == null) {
                    map.put(workerIds.get(i), (R) elements.value(i));
                }
            }
        }
        return Collections.unmodifiableMap(map);
    }

    @Override
    public Map<String, Throwable> failures() {
        decodeResolved();
        Map<String, Throwable> map = new LinkedHashMap<>();
        synchronized (this) {
            for (int i = 0; i < total; i++) {
                Throwable t = elements.error(i);
                if (t != null) {
                    map.put(workerIds.get(i), t);
                }
            }
        }
        return Collections.unmodifiableMap(map);
    }

    /** For example {@code PerWorkerResult on w1, w2: running, 1/2 done, 0 failed, 1 on workers, ...}. */
    @Override
    public String toString() {
        Progress p;
        boolean hasStarted;
        synchronized (this) {
            p = progress();
            hasStarted = started().isPresent();
        }
        String text = ResultText.describe(true, p, null, hasStarted);
        return "PerWorkerResult on " + (workerIds.isEmpty() ? "no worker" : String.join(", ", workerIds)) + ": "
                + text.substring(text.indexOf(": ") + 2);
    }
}
