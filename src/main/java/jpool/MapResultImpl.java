package jpool;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/** The result of a map or starmap. */
final class MapResultImpl<R> extends BaseResult<List<R>> implements MapResult<R> {

    MapResultImpl(Executor callbacks, ClassLoader loader, int total, int chunkSize) {
        super(callbacks, loader, total, chunkSize);
    }

    @Override
    @SuppressWarnings("unchecked")
    List<R> assemble() throws ExecutionException {
        for (Throwable t : errors) {
            if (t != null) {
                throw SingleResult.asExecutionException(t);
            }
        }
        List<R> list = new ArrayList<>(total);
        for (Object v : values) {
            list.add((R) v);
        }
        return Collections.unmodifiableList(list);
    }

    @Override
    public int total() {
        return total;
    }

    @Override
    public int done() {
        return doneCount();
    }

    @Override
    public int failed() {
        return failedCount();
    }

    @Override
    public int running() {
        return runningCount();
    }

    @Override
    public int queued() {
        return queuedCount();
    }

    private void decodeResolved() {
        for (int c = 0; c < chunks; c++) {
            if (chunkResolved(c)) {
                decode(c);
            }
        }
    }

    @Override
    public SortedMap<Integer, Throwable> failures() {
        decodeResolved();
        TreeMap<Integer, Throwable> map = new TreeMap<>();
        synchronized (this) {
            for (int i = 0; i < total; i++) {
                if (errors[i] != null) {
                    map.put(i, errors[i]);
                }
            }
        }
        return Collections.unmodifiableSortedMap(map);
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<R> partialResults() {
        decodeResolved();
        List<R> list = new ArrayList<>(total);
        synchronized (this) {
            for (int i = 0; i < total; i++) {
                list.add(errors[i] == null ? (R) values[i] : null);
            }
        }
        return Collections.unmodifiableList(list);
    }
}
