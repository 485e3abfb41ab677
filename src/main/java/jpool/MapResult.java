package jpool;

import java.util.List;
import java.util.SortedMap;

/**
 * The pending result of a {@code mapAsync} or {@code starmapAsync}: the list of results in input
 * order, plus progress counts. If any element fails, {@link #get()} throws the failure of the
 * lowest-index failed element and {@link #failures()} has all of them. Counts are of input elements;
 * each count is read from a new {@link #progress()} snapshot, so counts read one after the other may be of
 * different moments: take one snapshot to have counts that add up to {@link #total()}.
 *
 * @param <R> the element result type
 */
public interface MapResult<R> extends AsyncResult<List<R>> {

    /** Number of input elements. */
    int total();

    /** Elements completed successfully. */
    int done();

    /** Elements that failed. */
    int failed();

    /**
     * Elements sent to a worker and not finished (including ones waiting in the worker's prefetch); 0 once
     * the map is complete.
     */
    int running();

    /** Elements waiting to be sent to a worker; 0 once the map is complete. */
    int queued();

    /**
     * The failures so far by input index ({@link TaskFailedException} or {@link WorkerLostException}).
     */
    SortedMap<Integer, Throwable> failures();

    /**
     * The results so far, in input order, with null for elements that failed or are not finished.
     */
    List<R> partialResults();
}
