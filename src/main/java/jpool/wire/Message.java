package jpool.wire;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One jpool protocol message: a JSON header (always holding {@code v} and {@code type}) and binary
 * payload frames. The routing identity and the signature are added and removed by {@link Wire}.
 */
public final class Message {

    private final JsonObject header;
    private final List<byte[]> frames;

    /** Creates a message; the header's {@code v} and {@code type} fields are set here. */
    public Message(String type, JsonObject header, List<byte[]> frames) {
        this.header = header == null ? new JsonObject() : header;
        this.header.addProperty("v", Wire.VERSION);
        this.header.addProperty("type", type);
        this.frames = frames == null ? new ArrayList<>() : frames;
    }

    /** Wraps an already validated, received header. */
    Message(JsonObject header, List<byte[]> frames, boolean received) {
        this.header = header;
        this.frames = frames;
    }

    /** A message with no payload. */
    public static Message of(String type) {
        return new Message(type, new JsonObject(), new ArrayList<>());
    }

    /** The message type, e.g. {@code task}, {@code result}, {@code hb}. */
    public String type() {
        return header.get("type").getAsString();
    }

    /** The header, mutable until sent. */
    public JsonObject header() {
        return header;
    }

    /** The payload frames, mutable until sent. */
    public List<byte[]> frames() {
        return frames;
    }

    /** Adds a payload frame and returns its index. */
    public int addFrame(byte[] frame) {
        frames.add(frame);
        return frames.size() - 1;
    }

    /** A payload frame by index, checked. */
    public byte[] frame(int index) {
        if (index < 0 || index >= frames.size()) {
            throw new MalformedMessageException("frame index " + index + " out of range");
        }
        return frames.get(index);
    }

    @Override
    public String toString() {
        return "Message" + header + "+" + frames.size() + " frames";
    }
}
