package jpool.cluster;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A worker process as its {@link WorkerLauncher} started it. Thread-safe.
 *
 * <p>Invariants: {@link #onExit()} completes exactly once, after the process has ended, whatever ended
 * it; after that {@link #outputTail} holds all the output that was kept and {@link #lastStartedUnit}
 * no longer changes. {@link #release()} and {@link #kill()} may be called any number of times, also
 * after the exit.
 */
public interface WorkerHandle {

    /** The worker's process id, or -1 where the launcher cannot know it. */
    long pid();

    /**
     * The host the worker runs on, as users name it (the default: this machine's host name, for handles of
     * processes on this host).
     */
    default String host() {
        return LocalHost.name();
    }

    /** Completes with the exit code when the process has ended. */
    CompletableFuture<Integer> onExit();

    /**
     * The last lines the worker wrote to its standard output and error (merged), oldest first, at most
     * a few dozen. After an exit, waits up to {@code waitMs} for the last of them to arrive.
     */
    List<String> outputTail(long waitMs);

    /**
     * Ends the worker's sign that its parent is alive, so that a healthy worker exits by itself (a local
     * child's standard input closes).
     */
    void release();

    /** Ends the process at once. */
    void kill();

    /**
     * The last unit the worker recorded as started, or 0 for none; meaningful after an exit, when it
     * tells a unit that was running from one that was only queued.
     */
    long lastStartedUnit();

    /** Frees what the launch left behind (the start record); call once, after the exit. */
    void discard();
}
