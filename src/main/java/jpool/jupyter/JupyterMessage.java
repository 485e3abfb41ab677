package jpool.jupyter;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.UUID;

/**
 * One Jupyter message: routing identities, header, parent header, metadata, content and binary buffers.
 * The JSON parts are Gson trees; treat a received message as read-only.
 */
public final class JupyterMessage {

    /** The protocol version this kernel speaks. */
    public static final String PROTOCOL_VERSION = "5.3";

    private final List<byte[]> identities;
    private final JsonObject header;
    private final JsonObject parentHeader;
    private final JsonObject metadata;
    private final JsonObject content;
    private final List<byte[]> buffers;

    /** Creates a message from its parts; nulls become empty objects and lists. */
    public JupyterMessage(List<byte[]> identities, JsonObject header, JsonObject parentHeader, JsonObject metadata,
                   JsonObject content, List<byte[]> buffers) {
        this.identities = identities == null ? List.of() : List.copyOf(identities);
        this.header = header == null ? new JsonObject() : header;
        this.parentHeader = parentHeader == null ? new JsonObject() : parentHeader;
        this.metadata = metadata == null ? new JsonObject() : metadata;
        this.content = content == null ? new JsonObject() : content;
        this.buffers = buffers == null ? List.of() : List.copyOf(buffers);
    }

    /** A fresh header for a message of the given type. */
    public static JsonObject newHeader(String msgType, String session, String username) {
        JsonObject h = new JsonObject();
        h.addProperty("msg_id", UUID.randomUUID().toString());
        h.addProperty("session", session);
        h.addProperty("username", username);
        h.addProperty("date", Timestamps.now());
        h.addProperty("msg_type", msgType);
        h.addProperty("version", PROTOCOL_VERSION);
        return h;
    }

    public List<byte[]> identities() {
        return identities;
    }

    public JsonObject header() {
        return header;
    }

    public JsonObject parentHeader() {
        return parentHeader;
    }

    public JsonObject metadata() {
        return metadata;
    }

    public JsonObject content() {
        return content;
    }

    public List<byte[]> buffers() {
        return buffers;
    }

    /** The header's msg_type, or the empty string. */
    public String msgType() {
        return string(header, "msg_type");
    }

    /** The header's msg_id, or the empty string. */
    public String msgId() {
        return string(header, "msg_id");
    }

    /** The header's session, or the empty string. */
    public String session() {
        return string(header, "session");
    }

    /** A string member of the content, or {@code fallback}. */
    public String contentString(String name, String fallback) {
        JsonElement e = content.get(name);
        return e == null || e.isJsonNull() ? fallback : e.getAsString();
    }

    /** A boolean member of the content, or {@code fallback}. */
    public boolean contentBoolean(String name, boolean fallback) {
        JsonElement e = content.get(name);
        return e == null || e.isJsonNull() ? fallback : e.getAsBoolean();
    }

    /** An int member of the content, or {@code fallback}. */
    public int contentInt(String name, int fallback) {
        JsonElement e = content.get(name);
        return e == null || e.isJsonNull() ? fallback : e.getAsInt();
    }

    private static String string(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? "" : e.getAsString();
    }

    @Override
    public String toString() {
        return msgType() + " " + msgId();
    }
}
