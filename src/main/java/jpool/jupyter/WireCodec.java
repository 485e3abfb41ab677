package jpool.jupyter;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns messages into ZeroMQ frames and back:
 * {@code [identities..., "<IDS|MSG>", signature, header, parent_header, metadata, content, buffers...]}.
 */
public final class WireCodec {

    /** The delimiter between routing identities and the message proper. */
    public static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);

    /** Gson configured for the wire: nulls kept, no HTML escaping, NaN allowed. */
    public static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping()
            .serializeSpecialFloatingPointValues().create();

    private final JupyterSigner signer;

    public WireCodec(JupyterSigner signer) {
        this.signer = signer;
    }

    public JupyterSigner signer() {
        return signer;
    }

    /** Encodes a message, signing it. */
    public List<byte[]> encode(JupyterMessage m) {
        byte[] header = json(m.header());
        byte[] parent = json(m.parentHeader());
        byte[] metadata = json(m.metadata());
        byte[] content = json(m.content());
        List<byte[]> frames = new ArrayList<>(m.identities().size() + 6 + m.buffers().size());
        frames.addAll(m.identities());
        frames.add(DELIMITER);
        frames.add(signer.sign(header, parent, metadata, content).getBytes(StandardCharsets.US_ASCII));
        frames.add(header);
        frames.add(parent);
        frames.add(metadata);
        frames.add(content);
        frames.addAll(m.buffers());
        return frames;
    }

    /**
     * Decodes and verifies received frames.
     *
     * @throws BadMessageException when the delimiter is missing, a part is not a JSON object, or the signature is wrong
     */
    public JupyterMessage decode(List<byte[]> frames) throws BadMessageException {
        int delim = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (Arrays.equals(frames.get(i), DELIMITER)) {
                delim = i;
                break;
            }
        }
        if (delim < 0 || frames.size() < delim + 6) {
            throw new BadMessageException("malformed message: " + frames.size() + " frames, delimiter at " + delim);
        }
        String signature = new String(frames.get(delim + 1), StandardCharsets.US_ASCII);
        byte[] header = frames.get(delim + 2);
        byte[] parent = frames.get(delim + 3);
        byte[] metadata = frames.get(delim + 4);
        byte[] content = frames.get(delim + 5);
        if (!signer.verify(signature, header, parent, metadata, content)) {
            throw new BadMessageException("invalid signature");
        }
        return new JupyterMessage(frames.subList(0, delim), object(header, "header"), object(parent, "parent_header"),
                object(metadata, "metadata"), object(content, "content"), frames.subList(delim + 6, frames.size()));
    }

    private static byte[] json(JsonElement e) {
        return GSON.toJson(e).getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObject object(byte[] bytes, String what) throws BadMessageException {
        try {
            JsonElement e = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
            if (e.isJsonNull()) {
                return new JsonObject();
            }
            if (!e.isJsonObject()) {
                throw new BadMessageException(what + " is not a JSON object");
            }
            return e.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new BadMessageException(what + " is not JSON: " + e.getMessage());
        }
    }

    /** A received message that cannot be accepted. */
    public static final class BadMessageException extends Exception {
        public BadMessageException(String message) {
            super(message);
        }
    }
}
