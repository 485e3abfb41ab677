package jpool.ship;

import java.util.List;

/**
 * The result of {@link CaptureAnalyzer#capture}: everything the pool sends for one submission.
 *
 * @param shipment the code and static state the task needs (send its {@link Shipment#encode()
 *     encoding}, and the bytes of each hash the worker lacks, from {@link CaptureAnalyzer#bytes})
 * @param task the task encoded with {@link jpool.wire.PayloadCodec#encodeValue}
 * @param args each argument encoded with {@link jpool.wire.PayloadCodec#encodeValue}, in order
 * @param reads the variables and static fields whose values are in the snapshot, as the user
 *     would name them ({@code n}, {@code Noisy.count})
 * @param warnings things the user may want to know (a static initializer that does re-run)
 */
public record Capture(Shipment shipment, byte[] task, List<byte[]> args, List<String> reads, List<String> warnings) {
    public Capture {
        args = List.copyOf(args);
        reads = List.copyOf(reads);
        warnings = List.copyOf(warnings);
    }
}
