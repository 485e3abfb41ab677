package jpool.cluster;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import jpool.wire.Protocol;

/**
 * The controller's services by name, and the routing of {@code svc} requests to them. A request for a
 * service that is not registered is answered with {@code {"error": "..."}} so the caller does not wait
 * for nothing; a service that throws gets the same kind of answer, and the I/O loop carries on.
 *
 * <p>Registration is thread-safe; {@link #call} runs on the controller's I/O thread.
 */
final class ServiceDirectory {

    private final Map<String, ControllerService> services = new ConcurrentHashMap<>();
    /** Sends a reply to a worker by id (posts to the I/O thread when called from another thread). */
    private final BiConsumer<String, Protocol.ServiceCall> send;

    ServiceDirectory(BiConsumer<String, Protocol.ServiceCall> send) {
        this.send = send;
    }

    /**
     * Registers a service.
     *
     * @throws IllegalStateException if a service of that name is registered already
     */
    void register(String name, ControllerService service) {
        if (services.putIfAbsent(name, service) != null) {
            throw new IllegalStateException("a service named " + name + " is registered already");
        }
    }

    /** Routes a request from a worker. */
    void call(String workerId, Protocol.ServiceCall request) {
        ControllerService service = services.get(request.service());
        if (service == null) {
            send.accept(workerId, error(request, "no service named " + request.service() + " in this pool"));
            return;
        }
        try {
            service.handle(workerId, request, reply -> send.accept(workerId, reply));
        } catch (RuntimeException e) {
            System.err.println("jpool controller: service " + request.service() + " failed on a request from "
                    + workerId + ": " + e);
            send.accept(workerId, error(request, "service " + request.service() + " failed: " + e));
        }
    }

    static Protocol.ServiceCall error(Protocol.ServiceCall request, String message) {
        JsonObject body = new JsonObject();
        body.addProperty("error", message);
        return new Protocol.ServiceCall(request.service(), request.callId(), body, List.of());
    }
}
