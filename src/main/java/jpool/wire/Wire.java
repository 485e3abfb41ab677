package jpool.wire;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.zeromq.ZMQ;

/**
 * Sends and receives signed jpool messages on a ZeroMQ socket.
 *
 * <p>On the wire a message is the multipart sequence {@code [identity] signature header payload*}: the
 * identity frame only on a ROUTER socket, the signature as produced by {@link Signer}, the header as
 * UTF-8 JSON. Receiving never throws on bad input: unsigned, malformed and oversized messages are
 * dropped and counted in {@link #stats()}. An instance belongs to the one thread that owns the socket.
 */
public final class Wire {

    /** Protocol version carried in every header as {@code v}. */
    public static final int VERSION = 1;

    private final Signer signer;
    private final Limits limits;
    private final WireStats stats;

    /** Creates a wire endpoint with the shared key, limits and counters. */
    public Wire(byte[] key, Limits limits, WireStats stats) {
        this.signer = new Signer(key);
        this.limits = limits;
        this.stats = stats;
    }

    /** The counters of this endpoint. */
    public WireStats stats() {
        return stats;
    }

    /** The limits of this endpoint. */
    public Limits limits() {
        return limits;
    }

    /**
     * Signs and sends a message. {@code identity} is the routing id on a ROUTER socket, null on DEALER.
     *
     * @return whether the socket accepted the message
     */
    public boolean send(ZMQ.Socket socket, byte[] identity, Message message) {
        byte[] header = message.header().toString().getBytes(StandardCharsets.UTF_8);
        List<byte[]> frames = message.frames();
        byte[] signature = signer.sign(header, frames);
        boolean ok = true;
        if (identity != null) {
            ok = socket.send(identity, ZMQ.SNDMORE);
        }
        ok &= socket.send(signature, ZMQ.SNDMORE);
        ok &= socket.send(header, frames.isEmpty() ? 0 : ZMQ.SNDMORE);
        for (int i = 0; i < frames.size(); i++) {
            ok &= socket.send(frames.get(i), i == frames.size() - 1 ? 0 : ZMQ.SNDMORE);
        }
        stats.sent.incrementAndGet();
        return ok;
    }

    /** A received message with the identity of its sender (null on a DEALER socket). */
    public record Received(byte[] identity, Message message) {
        /** Whether this stands for a message that was dropped (see {@link Wire#DROPPED}). */
        public boolean dropped() {
            return message == null;
        }
    }

    /** Returned by {@link #receive} for a message that arrived but was dropped; keep reading. */
    public static final Received DROPPED = new Received(null, null);

    /**
     * Receives one multipart message without blocking.
     *
     * @param router whether the socket is a ROUTER (first frame is the sender's identity)
     * @return the message, {@link #DROPPED} when a message arrived but was dropped (and counted), or
     *     null when nothing was waiting
     */
    public Received receive(ZMQ.Socket socket, boolean router) {
        byte[] first = socket.recv(ZMQ.DONTWAIT);
        if (first == null) {
            return null;
        }
        List<byte[]> parts = new ArrayList<>(4);
        parts.add(first);
        long total = first.length;
        boolean oversized = false;
        while (socket.hasReceiveMore()) {
            byte[] part = socket.recv(0);
            if (part == null) {
                break;
            }
            total += part.length;
            if (total > limits.maxMessageBytes()) {
                oversized = true;
                parts.clear(); // keep draining the multipart message, but hold nothing
            } else if (!oversized) {
                parts.add(part);
            }
        }
        if (oversized) {
            stats.droppedOversized.incrementAndGet();
            return DROPPED;
        }
        int base = router ? 1 : 0;
        if (parts.size() < base + 2) {
            stats.droppedMalformed.incrementAndGet();
            return DROPPED;
        }
        byte[] identity = router ? parts.get(0) : null;
        byte[] signature = parts.get(base);
        byte[] headerBytes = parts.get(base + 1);
        List<byte[]> payload = new ArrayList<>(parts.subList(base + 2, parts.size()));
        if (signature.length != 64 || !signer.verify(signature, headerBytes, payload)) {
            stats.droppedUnsigned.incrementAndGet();
            return DROPPED;
        }
        JsonObject header;
        try {
            JsonElement parsed = JsonParser.parseString(new String(headerBytes, StandardCharsets.UTF_8));
            if (!parsed.isJsonObject()) {
                throw new MalformedMessageException("header is not a JSON object");
            }
            header = parsed.getAsJsonObject();
            if (!header.has("v") || header.get("v").getAsInt() != VERSION || !header.has("type")
                    || !header.get("type").isJsonPrimitive()) {
                throw new MalformedMessageException("header lacks version or type");
            }
        } catch (RuntimeException e) {
            stats.droppedMalformed.incrementAndGet();
            return DROPPED;
        }
        stats.received.incrementAndGet();
        return new Received(identity, new Message(header, payload, true));
    }
}
