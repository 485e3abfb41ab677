package jpool.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import jpool.wire.UnitResult;

/**
 * The jobs and units the controller has accepted and not yet resolved, and the only place that calls
 * their {@link JobListener}s.
 *
 * <p>Invariants: a job is in the table while it has unresolved units ({@code unresolved} counts them), a
 * unit while it is unresolved; resolving a unit twice has no effect; once a job is cancelled its listener
 * gets no further event. When a job's last unit is resolved the job leaves the table and the
 * {@code finished} hook is told its id (so that workers can forget its function).
 *
 * <p>A listener that throws does not disturb the table: the exception is reported on standard error with
 * the job id and the event counts as delivered. Only a {@link VirtualMachineError} propagates.
 *
 * <p>Confined to the controller's I/O thread.
 */
final class JobTable {

    /** One accepted job. */
    static final class Job {
        final long id;
        final byte[] function;
        final CodeAttachment code;
        final JobListener listener;
        /** Units not yet resolved. */
        int unresolved;
        boolean cancelled;

        Job(long id, byte[] function, CodeAttachment code, JobListener listener) {
            this.id = id;
            this.function = function;
            this.code = code;
            this.listener = listener;
        }
    }

    private final Map<Long, Job> jobs = new HashMap<>();
    private final Map<Long, UnitRecord> units = new HashMap<>();
    private final LongConsumer finished;
    private long nextUnitId = 1;

    /** @param finished told the id of each job whose last unit was resolved */
    JobTable(LongConsumer finished) {
        this.finished = finished;
    }

    /**
     * Accepts a job and makes its units: one per submitted unit, or for {@link Placement.OnEveryWorker}
     * one per submitted unit and worker of {@code everyWorker} (the listener hears {@link
     * JobListener#copied} for each submitted unit first). A job with no units to run is not kept.
     *
     * @param everyWorker the current workers, used only for {@link Placement.OnEveryWorker}
     * @return the new units, in submission order (for copies: by unit, then in the order of {@code
     *     everyWorker})
     */
    List<UnitRecord> add(long jobId, JobSubmission submission, List<String> everyWorker) {
        Job job = new Job(jobId, submission.function(), submission.code(), submission.listener());
        List<UnitRecord> made = new ArrayList<>();
        Placement placement = submission.placement();
        for (JobSubmission.Unit su : submission.units()) {
            if (placement instanceof Placement.OnWorker on) {
                made.add(unit(job, su, on.workerId()));
            } else if (placement instanceof Placement.OnEveryWorker) {
                copied(job, su.index(), everyWorker);
                for (String worker : everyWorker) {
                    made.add(unit(job, su, worker));
                }
            } else {
                made.add(unit(job, su, null));
            }
        }
        job.unresolved = made.size();
        if (!made.isEmpty()) {
            jobs.put(jobId, job);
            for (UnitRecord u : made) {
                units.put(u.id, u);
            }
        }
        return made;
    }

    private UnitRecord unit(Job job, JobSubmission.Unit su, String pinnedTo) {
        return new UnitRecord(nextUnitId++, job, su.index(), su.count(), su.arguments(), pinnedTo);
    }

    /** An unresolved unit by id, or null. */
    UnitRecord unit(long unitId) {
        return units.get(unitId);
    }

    /** The unresolved units of a job that some worker holds. */
    List<UnitRecord> held(Job job) {
        List<UnitRecord> list = new ArrayList<>();
        for (UnitRecord u : units.values()) {
            if (u.job == job && u.worker != null) {
                list.add(u);
            }
        }
        return list;
    }

    /** Whether no job is unresolved. */
    boolean isEmpty() {
        return jobs.isEmpty();
    }

    /**
     * Marks a job cancelled; its listener hears nothing more.
     *
     * @return the job, or null when it is unknown (finished) or already cancelled
     */
    Job cancel(long jobId) {
        Job job = jobs.get(jobId);
        if (job == null || job.cancelled) {
            return null;
        }
        job.cancelled = true;
        return job;
    }

    /**
     * Resolves a unit without an event.
     *
     * @return false when it was resolved already
     */
    boolean resolve(UnitRecord u) {
        if (units.remove(u.id) == null) {
            return false;
        }
        Job job = u.job;
        if (--job.unresolved == 0) {
            jobs.remove(job.id);
            finished.accept(job.id);
        }
        return true;
    }

    /**
     * Fails a unit (the listener hears it unless the job is cancelled or the unit resolved) and resolves
     * it. A copy pinned to a worker reports that worker in the failure.
     */
    void fail(UnitRecord u, UnitFailure failure) {
        if (!u.job.cancelled && units.containsKey(u.id)) {
            UnitFailure f = failure;
            if (u.pinnedTo != null && !u.pinnedTo.equals(f.workerId())) {
                f = new UnitFailure(f.kind(), u.pinnedTo, f.exitCode(), f.stderrTail(), f.message(), f.remote());
            }
            try {
                u.job.listener.failed(u.index, f);
            } catch (Throwable t) {
                listenerThrew(u.job, "failed", t);
            }
        }
        resolve(u);
    }

    /**
     * Delivers a finished unit's result (unless the job is cancelled) and resolves the unit.
     *
     * @return whether the listener was told
     */
    boolean complete(UnitRecord u, String workerId, UnitResult result) {
        boolean tell = !u.job.cancelled && units.containsKey(u.id);
        if (tell) {
            try {
                u.job.listener.completed(u.index, workerId, result);
            } catch (Throwable t) {
                listenerThrew(u.job, "completed", t);
            }
        }
        resolve(u);
        return tell;
    }

    /** Tells the listener the unit was sent to a worker (unless the job is cancelled). */
    void dispatched(UnitRecord u, String workerId) {
        if (!u.job.cancelled) {
            try {
                u.job.listener.dispatched(u.index, workerId);
            } catch (Throwable t) {
                listenerThrew(u.job, "dispatched", t);
            }
        }
    }

    /** Tells the listener the unit is running (unless the job is cancelled). */
    void started(UnitRecord u, String workerId, long startedMicros) {
        if (!u.job.cancelled) {
            try {
                u.job.listener.started(u.index, workerId, startedMicros);
            } catch (Throwable t) {
                listenerThrew(u.job, "started", t);
            }
        }
    }

    /** Passes output on to the listener (unless the job is cancelled). */
    void output(UnitRecord u, String workerId, int stream, byte[] utf8) {
        if (!u.job.cancelled) {
            try {
                u.job.listener.output(u.index, workerId, stream, utf8);
            } catch (Throwable t) {
                listenerThrew(u.job, "output", t);
            }
        }
    }

    /** Fails every unit of a job that is not accepted (the pool is broken or terminated). */
    static void refuse(long jobId, JobSubmission submission, UnitFailure failure) {
        Job job = new Job(jobId, submission.function(), submission.code(), submission.listener());
        for (JobSubmission.Unit su : submission.units()) {
            try {
                job.listener.failed(su.index(), failure);
            } catch (Throwable t) {
                listenerThrew(job, "failed", t);
            }
        }
    }

    private static void copied(Job job, int index, List<String> workers) {
        try {
            job.listener.copied(index, List.copyOf(workers));
        } catch (Throwable t) {
            listenerThrew(job, "copied", t);
        }
    }

    private static void listenerThrew(Job job, String event, Throwable t) {
        if (t instanceof VirtualMachineError e) {
            throw e;
        }
        System.err.println("jpool controller: the listener of job " + job.id + " threw on '" + event
                + "'; the controller carries on: " + t);
        t.printStackTrace();
    }
}
