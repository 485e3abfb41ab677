package jpool;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/** The result of a map or starmap; its counters are read from {@link #progress()} snapshots. */
final class MapResultImpl<R> extends BaseResult<List<R>> implements MapResult<R> {

    MapResultImpl(Executor callbacks, ClassLoader loader, int total, int chunkSize) {
        super(callbacks, loader, total, chunkSize);
    }

    @Override
    @SuppressWarnings("unchecked")
    List<R> assemble() throws ExecutionException {
        int first = elements.firstError();
        if (first >= 0) {
            throw SingleResult.asExecutionException(elements.error(first));
        }
        List<R> list = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            list.add((R) elements.value(i));
        }
        return Collections.unmodifiableList(list);
    }

    @Override
    public int total() {
        return total;
    }

    @Override
    public int done() {
        return progress().done();
    }

    @Override
    public int failed() {
        return progress().failed();
    }

    @Override
    public int running() {
        return progress().running();
    }

    @Override
    public int queued() {
        return progress().queued();
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
                Throwable t = elements.error(i);
                if (t != null) {
                    map.put(i, t);
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
                list.add(elements.error(i) == null ? (R) elements.value(i) : null);
            }
        }
        return Collections.unmodifiableList(list);
    }
}
