package jpool.cluster;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;

/**
 * The {@link Scheduler}'s view of one worker: whether it accepts units, the units it holds (in the order
 * sent, which is the order it starts them), the units waiting for it alone, and what its credit is made
 * of.
 *
 * <p>Credit, the units a worker may be sent now: 0 unless ready; else an adaptive prefetch depth (2 before
 * its first result, 1 for units of 5 ms or more, else {@code 1 + ceil(2000 / average µs)} within 2..256)
 * less what it holds, and never more than maxTasksPerChild leaves it.
 *
 * <p>Confined to the controller's I/O thread.
 */
final class WorkerSlot {

    final String id;
    /** Accepts units (the worker said ready and has not been closed). */
    boolean ready;
    /** Will never accept units again (retiring or stopping). */
    boolean closed;
    final LinkedHashMap<Long, UnitRecord> inflight = new LinkedHashMap<>();
    /** Units pinned to this worker, waiting to be sent. */
    final ArrayDeque<UnitRecord> own = new ArrayDeque<>();
    /** Units sent in its life, less those given back unstarted. */
    int assigned;
    /** Units it ran to the end. */
    long completed;
    /** Smoothed run time of its units, or -1 before the first result. */
    double avgRunMicros = -1;

    WorkerSlot(String id) {
        this.id = id;
    }

    /** Whether it has been sent as many units as maxTasksPerChild allows (never when 0). */
    boolean exhausted(int maxTasksPerChild) {
        return maxTasksPerChild > 0 && assigned >= maxTasksPerChild;
    }

    /** How many more units it may be sent now. */
    int credit(int maxTasksPerChild) {
        if (!ready) {
            return 0;
        }
        int limit;
        if (avgRunMicros < 0) {
            limit = 2;
        } else if (avgRunMicros >= 5000) {
            limit = 1;
        } else {
            limit = (int) Math.min(256, Math.max(2, 1 + Math.ceil(2000 / Math.max(avgRunMicros, 1))));
        }
        int free = limit - inflight.size();
        if (maxTasksPerChild > 0) {
            free = Math.min(free, maxTasksPerChild - assigned);
        }
        return Math.max(0, free);
    }

    /** A unit ran here for this long: the estimate follows with weight 0.3. */
    void ran(double runMicros) {
        completed++;
        avgRunMicros = avgRunMicros < 0 ? runMicros : 0.7 * avgRunMicros + 0.3 * runMicros;
    }

    /** Whether it holds a unit placed on any worker behind the one it runs first (one that could be stolen). */
    boolean holdsStealable() {
        boolean first = true;
        for (UnitRecord u : inflight.values()) {
            if (!first && u.pinnedTo == null) {
                return true;
            }
            first = false;
        }
        return false;
    }
}
