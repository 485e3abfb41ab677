package jpool.jupyter;

import com.google.gson.JsonObject;

/** Handles one type of request arriving on shell or control. */
@FunctionalInterface
public interface RequestHandler {

    /**
     * Handles a request. The server publishes busy before and idle after, and sends the returned
     * content as the reply ({@code foo_request} is answered by {@code foo_reply}); a missing
     * {@code status} becomes {@code "ok"}. An exception becomes an error reply.
     *
     * @return the reply content, or {@code null} when the message takes no reply (e.g. comm_msg)
     */
    JsonObject handle(Request request) throws Exception;
}
