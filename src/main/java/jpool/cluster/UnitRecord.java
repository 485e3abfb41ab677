package jpool.cluster;

/**
 * One unit as the controller tracks it, from submission until the {@link JobTable} resolves it: queued in
 * the {@link Scheduler}, then held by one worker (in flight), then resolved, or queued again after a steal
 * or a lost worker. A copy of a unit placed on every worker is a unit of its own.
 *
 * <p>Confined to the controller's I/O thread, like everything it refers to.
 */
final class UnitRecord {

    /** Unique per controller, never 0 (0 means "no unit" in heartbeats). */
    final long id;
    final JobTable.Job job;
    /** Position within the job, as submitted; the copies of one unit share it. */
    final int index;
    /** Number of input elements. */
    final int count;
    final byte[] arguments;
    /** The only worker this unit may run on, or null when any worker may run it. */
    final String pinnedTo;

    /** Runs after a lost worker, counted against the retry limit. */
    int attempts;
    /** The worker that holds the unit now, or null while it is queued. */
    String worker;
    /** When it was last sent (System.nanoTime). */
    long sentAt;
    /** Whether its worker was asked to give it back and has not answered yet. */
    boolean stealRequested;
    /** When a cancelled, running unit must have stopped (System.nanoTime), or 0. */
    long cancelDeadline;

    UnitRecord(long id, JobTable.Job job, int index, int count, byte[] arguments, String pinnedTo) {
        this.id = id;
        this.job = job;
        this.index = index;
        this.count = count;
        this.arguments = arguments;
        this.pinnedTo = pinnedTo;
    }

    @Override
    public String toString() {
        return "unit " + id + " (job " + job.id + ", index " + index + (pinnedTo == null ? "" : ", on " + pinnedTo)
                + ")";
    }
}
