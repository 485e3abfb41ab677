package jpool.jupyter;

import com.google.gson.JsonObject;

/**
 * A request being handled: the message, the channel it came on, and publishing under it as parent.
 *
 * @param message the request
 * @param channel {@link Channel#SHELL} or {@link Channel#CONTROL}
 * @param server the server that received it
 */
public record Request(JupyterMessage message, Channel channel, JupyterServer server) {

    /** The request's content. */
    public JsonObject content() {
        return message.content();
    }

    /** Publishes on iopub with this request as parent. */
    public void publish(String msgType, JsonObject content) {
        server.publish(message, msgType, content, null);
    }
}
