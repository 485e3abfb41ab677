package jpool.cluster;

import jpool.wire.Message;

/**
 * What the {@link WorkerSupervisor} knows about one worker process: its identity, process and lifecycle
 * state, and when it was last heard from. (What it holds is the {@link Scheduler}'s business, what code it
 * has the {@link CodeDistribution}'s.)
 *
 * <p>Confined to the controller's I/O thread, except that the fields set at launch are not changed later.
 */
final class WorkerRecord {

    /** The id users see, e.g. {@code w3}. */
    final String id;
    /** The routing id on the ROUTER socket: the id and the controller's random token. */
    final byte[] identity;
    /** The routing id as a string, the key of the supervisor's registry. */
    final String routingId;
    final long startedAt = System.nanoTime();
    /** Its place in the pool, 0 to processes - 1, taken over from the worker it replaces (see TaskContext). */
    final int index;

    /** The process, as its launcher started it. */
    WorkerHandle handle;
    long pid = -1;
    WorkerInfo.State state = WorkerInfo.State.STARTING;
    /** What it was sent on its hello, again if it says hello again while initializing; null once ready. */
    Message welcome;
    long lastHeard = System.nanoTime();
    /** When a stopping or retiring worker is killed (System.nanoTime). */
    long killAt = Long.MAX_VALUE;
    /** Why it was asked or forced to stop (the first reason), or null. */
    String stopReason;
    /** The unit its last heartbeat said it runs (0: none), and since when (System.nanoTime). */
    long runningUnit;
    long runningSince;
    /** Whether it counts towards the pool size (false once it is being replaced). */
    boolean counted;
    /**
     * Retired because the pool shrank ({@link WorkerSupervisor#retire}): it is told to shut down once it
     * holds no unit.
     */
    boolean shutdownWhenIdle;
    /** Where it runs, as its handle (or its hello) says, and the name of the launcher that started it. */
    String host = "";
    String launcher = "";
    /** Heap in use and its limit in bytes, from its last heartbeat; -1 before the first. */
    long heapUsed = -1;
    long heapMax = -1;
    /** Units that ended with at least one failed element. */
    long unitsFailed;
    /** How many workers held its place before it (replacements after deaths and retirements). */
    int restarts;

    WorkerRecord(String id, String token, int index) {
        this.id = id;
        this.index = index;
        this.routingId = id + "." + token;
        this.identity = routingId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
