package jpool.cluster;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jpool.wire.UnitResult;

/**
 * Decides which worker runs which unit; knows nothing of sockets, processes or threads. The caller tells
 * it about workers (added, ready, closed, lost) and units (queued, finished, given back), and asks it each
 * round which units to send where and which to ask back.
 *
 * <p>Rules. Units placed on any worker wait in one FIFO queue; units pinned to a worker wait in that
 * worker's own FIFO queue and go before shared units. A ready worker holds at most its <em>credit</em> of
 * units: an adaptive prefetch depth (2 before its first result, 1 for units of 5 ms or more, up to 256 for
 * tiny ones) bounded by what maxTasksPerChild leaves it. Each shared unit goes to the least loaded worker
 * with credit left, ties to the larger credit, so a unit never waits behind a running one while another
 * worker sits idle (the invokeAny fix). Work stealing: when the shared queue is empty and a worker is
 * idle, each worker holding two or more units whose first was sent {@link #STEAL_AFTER_NANOS} ago is
 * asked, each round, to give back up to half of what it holds, newest first, skipping units asked for
 * already and never the first; only units placed on any worker are ever asked back. When a worker is
 * lost, its units that never started are queued again at the front, in order; a started one runs again
 * while its attempts are below the retry limit; a pinned unit, started or not, fails instead (so do the
 * units waiting in the lost worker's own queue).
 *
 * <p>Invariants: a unit is in at most one place (the shared queue, one worker's own queue, or one worker's
 * in-flight set); {@code u.worker} is the worker whose in-flight set holds it, else null; a worker's
 * in-flight units are in the order they were sent, which is the order it starts them.
 *
 * <p>Confined to the controller's I/O thread.
 */
final class Scheduler {

    /** How long the oldest unit on a worker must have been there before units behind it are stolen. */
    static final long STEAL_AFTER_NANOS = 5_000_000L;

    /** What one round decided: units to send, and unit ids to ask back, per worker id (in worker order). */
    record Round(Map<String, List<UnitRecord>> sends, Map<String, List<Long>> steals) {
    }

    private static final Round NOTHING = new Round(Map.of(), Map.of());

    /**
     * What became of a lost worker's units that cannot simply run elsewhere.
     *
     * @param diedRunning units that had started, and may not run again (no retries left, or pinned)
     * @param diedWaiting pinned units that had not started (sent or waiting in the worker's own queue),
     *     and units of cancelled jobs
     * @param retried started units queued again for another attempt
     * @param held how many units the worker held when it was lost
     */
    record Loss(List<UnitRecord> diedRunning, List<UnitRecord> diedWaiting, int retried, int held) {
    }

    private final int maxTasksPerChild;
    private final int retries;
    private final Map<String, WorkerSlot> slots = new LinkedHashMap<>();
    private final ArrayDeque<UnitRecord> queue = new ArrayDeque<>();

    /**
     * @param maxTasksPerChild units a worker is sent in its life (0: no limit)
     * @param retries how many more times a started unit may run after its worker was lost
     */
    Scheduler(int maxTasksPerChild, int retries) {
        this.maxTasksPerChild = maxTasksPerChild;
        this.retries = retries;
    }

    // ------------------------------------------------------------------------------------ workers

    /** A new worker, not ready yet; units may already be pinned to it. Workers keep the order added. */
    void addWorker(String id) {
        slots.putIfAbsent(id, new WorkerSlot(id));
    }

    /** The worker accepts units from now on (unless it was closed). */
    void ready(String id) {
        WorkerSlot s = slots.get(id);
        if (s != null && !s.closed) {
            s.ready = true;
        }
    }

    /** The worker accepts no more units (retiring or stopping); what it holds stays until it is lost. */
    void close(String id) {
        WorkerSlot s = slots.get(id);
        if (s != null) {
            s.ready = false;
            s.closed = true;
        }
    }

    /** The workers that can still be sent units, ready or not yet: not closed, not exhausted. */
    List<String> openWorkers() {
        List<String> ids = new ArrayList<>();
        for (WorkerSlot s : slots.values()) {
            if (!s.closed && !s.exhausted(maxTasksPerChild)) {
                ids.add(s.id);
            }
        }
        return ids;
    }

    /** Whether the worker has been sent as many units as maxTasksPerChild allows. */
    boolean exhausted(String id) {
        WorkerSlot s = slots.get(id);
        return s != null && s.exhausted(maxTasksPerChild);
    }

    /** Units the worker holds (0 for an unknown worker). */
    int inFlight(String id) {
        WorkerSlot s = slots.get(id);
        return s == null ? 0 : s.inflight.size();
    }

    /** Units pinned to the worker and waiting to be sent to it (0 for an unknown worker). */
    int waitingFor(String id) {
        WorkerSlot s = slots.get(id);
        return s == null ? 0 : s.own.size();
    }

    /** Units waiting to be sent: in the shared queue and in the workers' own queues. */
    int queuedUnits() {
        int n = queue.size();
        for (WorkerSlot s : slots.values()) {
            n += s.own.size();
        }
        return n;
    }

    /** Units sent to workers and not finished (running, or waiting in a worker's prefetch). */
    int heldUnits() {
        int n = 0;
        for (WorkerSlot s : slots.values()) {
            n += s.inflight.size();
        }
        return n;
    }

    /** Units the worker ran to the end (0 for an unknown worker). */
    long completed(String id) {
        WorkerSlot s = slots.get(id);
        return s == null ? 0 : s.completed;
    }

    /** The units the worker holds, oldest first (empty for an unknown worker). */
    Collection<UnitRecord> held(String id) {
        WorkerSlot s = slots.get(id);
        return s == null ? List.of() : s.inflight.values();
    }

    /** The unit with this id if the worker holds it, else null. */
    UnitRecord held(String workerId, long unitId) {
        WorkerSlot s = slots.get(workerId);
        return s == null ? null : s.inflight.get(unitId);
    }

    // ------------------------------------------------------------------------------------ units

    /**
     * Queues a new unit at the back of its queue.
     *
     * @return false, queueing nothing, when the unit is pinned to a worker that is unknown or closed
     */
    boolean enqueue(UnitRecord u) {
        if (u.pinnedTo == null) {
            queue.addLast(u);
            return true;
        }
        WorkerSlot s = slots.get(u.pinnedTo);
        if (s == null || s.closed || s.exhausted(maxTasksPerChild)) {
            return false;
        }
        s.own.addLast(u);
        return true;
    }

    /**
     * Queues units again at the front of their queues, keeping their order.
     *
     * @throws IllegalStateException for a unit pinned to a worker the scheduler does not know (it may run
     *     nowhere else, so it must fail instead)
     */
    void requeueFirst(List<UnitRecord> units) {
        for (int i = units.size() - 1; i >= 0; i--) {
            UnitRecord u = units.get(i);
            if (u.pinnedTo == null) {
                queue.addFirst(u);
            } else {
                WorkerSlot s = slots.get(u.pinnedTo);
                if (s == null) {
                    throw new IllegalStateException(u + " is pinned to a worker that is gone");
                }
                s.own.addFirst(u);
            }
        }
    }

    /** Takes a unit from the worker that holds it (finished, timed out...); null if it does not hold it. */
    UnitRecord take(String workerId, long unitId) {
        WorkerSlot s = slots.get(workerId);
        UnitRecord u = s == null ? null : s.inflight.remove(unitId);
        if (u != null) {
            u.worker = null;
        }
        return u;
    }

    /** A unit taken from a worker came back unstarted (stolen): it no longer counts towards the worker's limit. */
    void givenBack(String workerId) {
        WorkerSlot s = slots.get(workerId);
        if (s != null) {
            s.assigned--;
        }
    }

    /** A unit taken from a worker ran there: updates the worker's completed count and run-time estimate. */
    void ran(String workerId, UnitResult r) {
        WorkerSlot s = slots.get(workerId);
        if (s == null || UnitResult.CANCELLED.equals(r.kind())) {
            return; // a unit cancelled before it started did not run
        }
        if (r.finishedMicros() >= r.startedMicros()) {
            s.ran(r.finishedMicros() - r.startedMicros());
        } else {
            s.completed++; // clocks disagree: counted, but no run time to learn from
        }
    }

    /** Removes and returns the queued units (shared and own queues) of a job. */
    List<UnitRecord> removeQueued(JobTable.Job job) {
        List<UnitRecord> removed = new ArrayList<>();
        removeFrom(queue, job, removed);
        for (WorkerSlot s : slots.values()) {
            removeFrom(s.own, job, removed);
        }
        return removed;
    }

    private static void removeFrom(ArrayDeque<UnitRecord> q, JobTable.Job job, List<UnitRecord> removed) {
        for (Iterator<UnitRecord> it = q.iterator(); it.hasNext();) {
            UnitRecord u = it.next();
            if (u.job == job) {
                it.remove();
                removed.add(u);
            }
        }
    }

    /** Removes and returns every unit: the queued ones first, then each worker's in flight. */
    List<UnitRecord> removeAll() {
        List<UnitRecord> all = new ArrayList<>(queue);
        queue.clear();
        for (WorkerSlot s : slots.values()) {
            all.addAll(s.own);
            s.own.clear();
        }
        for (WorkerSlot s : slots.values()) {
            all.addAll(s.inflight.values());
            s.inflight.clear();
        }
        return all;
    }

    /** Whether no unit is queued and no worker holds one. */
    boolean idle() {
        if (!queue.isEmpty()) {
            return false;
        }
        for (WorkerSlot s : slots.values()) {
            if (!s.own.isEmpty() || !s.inflight.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Forgets a worker that is gone; returns the units it held, oldest first, then those pinned to it. */
    List<UnitRecord> forget(String workerId) {
        WorkerSlot s = slots.remove(workerId);
        if (s == null) {
            return List.of();
        }
        List<UnitRecord> units = new ArrayList<>(s.inflight.values());
        units.addAll(s.own);
        units.forEach(u -> u.worker = null);
        return units;
    }

    /**
     * Forgets a worker that is gone and settles its units (see the class comment).
     *
     * @param started how many of its in-flight units, oldest first, had started
     */
    Loss lost(String workerId, int started) {
        int held = inFlight(workerId);
        List<UnitRecord> units = forget(workerId);
        List<UnitRecord> diedRunning = new ArrayList<>();
        List<UnitRecord> diedWaiting = new ArrayList<>();
        List<UnitRecord> requeue = new ArrayList<>();
        int retried = 0;
        for (int position = 0; position < units.size(); position++) {
            UnitRecord u = units.get(position);
            boolean wasStarted = position < Math.min(started, held);
            if (u.job.cancelled) {
                diedWaiting.add(u); // resolved without an event
            } else if (u.pinnedTo != null) {
                (wasStarted ? diedRunning : diedWaiting).add(u);
            } else if (!wasStarted) {
                requeue.add(u);
            } else if (u.attempts < retries) {
                u.attempts++;
                retried++;
                requeue.add(u);
            } else {
                diedRunning.add(u);
            }
        }
        requeueFirst(requeue);
        return new Loss(diedRunning, diedWaiting, retried, held);
    }

    // ------------------------------------------------------------------------------------ rounds

    /**
     * Plans and commits one round: assigns queued units to ready workers (recording them in flight), and
     * when the shared queue was empty at the start, picks units to ask back for idle workers.
     *
     * @param now System.nanoTime
     */
    Round next(long now) {
        boolean sharedWasEmpty = queue.isEmpty();
        Map<String, List<UnitRecord>> sends = assign(now);
        Map<String, List<Long>> steals = sharedWasEmpty ? steal(now) : Map.of();
        return sends.isEmpty() && steals.isEmpty() ? NOTHING : new Round(sends, steals);
    }

    private Map<String, List<UnitRecord>> assign(long now) {
        if (queue.isEmpty() && !anyOwnWaiting()) {
            return Map.of(); // the common case in the I/O loop: allocate nothing
        }
        Map<WorkerSlot, List<UnitRecord>> batches = new LinkedHashMap<>();
        List<WorkerSlot> ready = new ArrayList<>();
        for (WorkerSlot s : slots.values()) {
            int c = s.credit(maxTasksPerChild);
            if (c > 0) {
                ready.add(s);
                for (int i = 0; i < c && !s.own.isEmpty(); i++) {
                    batches.computeIfAbsent(s, k -> new ArrayList<>()).add(s.own.pollFirst());
                }
            }
        }
        while (!queue.isEmpty() && !ready.isEmpty()) {
            WorkerSlot best = null;
            int bestCredit = 0;
            int bestLoad = Integer.MAX_VALUE;
            for (WorkerSlot s : ready) {
                int planned = batches.getOrDefault(s, List.of()).size();
                int c = s.credit(maxTasksPerChild) - planned;
                int load = s.inflight.size() + planned;
                if (c > 0 && (load < bestLoad || (load == bestLoad && c > bestCredit))) {
                    best = s;
                    bestCredit = c;
                    bestLoad = load;
                }
            }
            if (best == null) {
                break;
            }
            batches.computeIfAbsent(best, k -> new ArrayList<>()).add(queue.pollFirst());
        }
        Map<String, List<UnitRecord>> sends = new LinkedHashMap<>();
        for (Map.Entry<WorkerSlot, List<UnitRecord>> e : batches.entrySet()) {
            WorkerSlot s = e.getKey();
            for (UnitRecord u : e.getValue()) {
                u.worker = s.id;
                u.sentAt = now;
                u.stealRequested = false;
                s.inflight.put(u.id, u);
                s.assigned++;
            }
            sends.put(s.id, e.getValue());
        }
        return sends;
    }

    private boolean anyOwnWaiting() {
        for (WorkerSlot s : slots.values()) {
            if (!s.own.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Whether an idle worker waits while units another worker could give back sit in its prefetch queue. */
    boolean stealable() {
        boolean idle = false;
        boolean loaded = false;
        for (WorkerSlot s : slots.values()) {
            if (s.ready) {
                if (s.inflight.isEmpty() && s.credit(maxTasksPerChild) > 0) {
                    idle = true;
                } else if (s.inflight.size() >= 2 && s.holdsStealable()) {
                    loaded = true;
                }
            }
        }
        return idle && loaded;
    }

    private Map<String, List<Long>> steal(long now) {
        if (!stealable()) {
            return Map.of();
        }
        Map<String, List<Long>> steals = new LinkedHashMap<>();
        for (WorkerSlot s : slots.values()) {
            if (!s.ready || s.inflight.size() < 2) {
                continue;
            }
            List<UnitRecord> held = new ArrayList<>(s.inflight.values());
            if (now - held.get(0).sentAt < STEAL_AFTER_NANOS) {
                continue;
            }
            int take = held.size() / 2;
            List<Long> ids = new ArrayList<>();
            for (int i = held.size() - 1; i >= 1 && ids.size() < take; i--) {
                UnitRecord u = held.get(i);
                if (!u.stealRequested && !u.job.cancelled && u.pinnedTo == null) {
                    u.stealRequested = true;
                    ids.add(u.id);
                }
            }
            if (!ids.isEmpty()) {
                steals.put(s.id, ids);
            }
        }
        return steals;
    }
}
