package jpool.wire;

import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How code running in a worker JVM calls a named service of its controller (see
 * {@code jpool.cluster.ControllerService}): the worker installs one when it starts; elsewhere there is
 * none. Thread-safe: any thread of the worker may call, and calls do not wait for each other.
 */
public interface ServiceClient {

    /**
     * Sends a request and waits for its reply.
     *
     * @param service the service's name
     * @param body the request's fields
     * @param frames binary payloads
     * @param timeout how long to wait for the reply
     * @return the reply (a body with {@code error} when the controller has no such service or it failed)
     * @throws TimeoutException if no reply came within {@code timeout}
     * @throws InterruptedException if the calling thread was interrupted while waiting
     */
    Protocol.ServiceCall call(String service, JsonObject body, List<byte[]> frames, Duration timeout)
            throws TimeoutException, InterruptedException;

    /** The client of this JVM's worker, or null when this JVM is not a worker. */
    static ServiceClient current() {
        return Holder.CURRENT.get();
    }

    /** Installs the worker's client (done once by the worker). */
    static void install(ServiceClient client) {
        Holder.CURRENT.set(client);
    }
}

/** Holds the installed client (an interface cannot have a private field). */
final class Holder {
    static final AtomicReference<ServiceClient> CURRENT = new AtomicReference<>();

    private Holder() {
    }
}
