package jpool.cluster;

import jpool.wire.Message;
import jpool.wire.Protocol;

/** Sends a message to a worker, by routing identity. Used on the controller's I/O thread only. */
interface Outbox {

    /** Signs and sends; a message to a worker that is gone is dropped silently. */
    void send(byte[] identity, Message message);

    /** Encodes (the one encoder, {@link Protocol#encode}) and sends. */
    default void send(byte[] identity, Protocol.Msg message) {
        send(identity, Protocol.encode(message));
    }
}
