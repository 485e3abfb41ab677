package jpool.cluster;

import jpool.wire.Protocol;

/**
 * A named service of the controller that workers call with {@code svc} messages: the home of
 * cross-process queues, pipes and managers. A service sees requests; it never sees the task path.
 *
 * <p>Called on the controller's I/O thread, one request at a time: it must answer quickly and never
 * block (hand long work to another thread and reply later through the {@link Replies} it was given).
 */
@FunctionalInterface
public interface ControllerService {

    /**
     * Handles one request from a worker.
     *
     * @param workerId the worker that sent it ({@code w3})
     * @param request the request; its {@link Protocol.ServiceCall#callId()} goes into the reply
     * @param replies sends replies to that worker (now or later, from any thread)
     */
    void handle(String workerId, Protocol.ServiceCall request, Replies replies);

    /** Sends a service's replies to a worker. Thread-safe. */
    @FunctionalInterface
    interface Replies {
        /** Sends {@code reply} to the worker; dropped if the worker is gone. */
        void send(Protocol.ServiceCall reply);
    }
}
