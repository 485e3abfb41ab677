package jpool.wire;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of one endpoint's traffic, including the messages it dropped. Thread-safe. */
public final class WireStats {
    final AtomicLong received = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong droppedUnsigned = new AtomicLong();
    final AtomicLong droppedMalformed = new AtomicLong();
    final AtomicLong droppedOversized = new AtomicLong();

    /** Creates zeroed counters. */
    public WireStats() {
    }

    /** Messages accepted. */
    public long received() {
        return received.get();
    }

    /** Messages sent. */
    public long sent() {
        return sent.get();
    }

    /** Messages dropped because the signature was missing or wrong. */
    public long droppedUnsigned() {
        return droppedUnsigned.get();
    }

    /** Messages dropped because their frames or header did not follow the protocol. */
    public long droppedMalformed() {
        return droppedMalformed.get();
    }

    /** Messages dropped because they exceeded {@link Limits#maxMessageBytes()}. */
    public long droppedOversized() {
        return droppedOversized.get();
    }

    /** Counts a message dropped by a higher layer as malformed (e.g. unknown type or sender). */
    public void countMalformed() {
        droppedMalformed.incrementAndGet();
    }

    @Override
    public String toString() {
        return "received=" + received() + " sent=" + sent() + " droppedUnsigned=" + droppedUnsigned()
                + " droppedMalformed=" + droppedMalformed() + " droppedOversized=" + droppedOversized();
    }
}
