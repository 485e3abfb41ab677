package jpool.cluster;

import java.io.IOException;
import java.util.Objects;

/**
 * Starts worker processes for a controller. The controller decides when a worker is needed and what it
 * is called; the launcher decides where and how it runs, and how the start-up facts reach it: the key
 * that signs its messages, the liveness of its parent (a worker exits when its parent is gone), and the
 * record of which unit it started last (read by the controller after a death, to tell which units ran).
 *
 * <p>{@link #local()} starts child JVMs on this host. A launcher for another host, or one that starts a
 * single process rather than a pool's worker, supplies its own handle with the same guarantees.
 * Implementations are called on the controller's I/O thread and must not block for long.
 */
public interface WorkerLauncher {

    /**
     * Starts one worker.
     *
     * @return its handle; the process may still be starting
     * @throws IOException if it cannot be started (the pool reports it as a start failure)
     */
    WorkerHandle launch(Launch launch) throws IOException;

    /**
     * A short name for where this launcher starts workers, shown beside each worker (e.g. {@code local});
     * the default is the class's simple name.
     */
    default String name() {
        return getClass().getSimpleName();
    }

    /**
     * What a worker needs to start.
     *
     * @param routingId the id the worker says hello with ({@code w3.<token>})
     * @param endpoint where it connects ({@code tcp://127.0.0.1:40123})
     * @param key the signing key; must reach the worker by a channel no other user can read
     * @param config the pool's settings (java command, class path, JVM options)
     */
    record Launch(String routingId, String endpoint, byte[] key, ClusterConfig config) {
        public Launch {
            Objects.requireNonNull(routingId, "routingId");
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(config, "config");
        }
    }

    /** Child JVMs of this JVM, on this host (the default). */
    static WorkerLauncher local() {
        return LocalLauncher.INSTANCE;
    }
}
