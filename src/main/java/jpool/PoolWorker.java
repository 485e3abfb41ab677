package jpool;

/**
 * A snapshot of one worker of a pool.
 *
 * @param id the worker id (as in {@link AsyncResult#workerId()})
 * @param pid the worker's process id (this JVM's pid for thread pools)
 * @param state {@code STARTING}, {@code INITIALIZING}, {@code READY}, {@code RETIRING} or {@code STOPPING}
 * @param tasksDone task chunks it finished
 */
public record PoolWorker(String id, long pid, String state, long tasksDone) {
}
