package jpool.ship;

import java.util.List;

/**
 * The result of {@link CaptureAnalyzer#capture} or of a {@link CodeShipper.Submission}: the code a
 * submission needs on a worker and, from {@code capture}, its encoded task and arguments.
 *
 * @param shipment the code and static state the task needs (send its {@link Shipment#encode()
 *     encoding}, and the bytes of each hash the worker lacks, from {@link CaptureAnalyzer#bytes})
 * @param task the task encoded with {@link jpool.wire.PayloadCodec#encodeValue}; null from a
 *     {@link CodeShipper.Submission}, whose caller encoded the task itself
 * @param args each argument encoded with {@link jpool.wire.PayloadCodec#encodeValue}, in order;
 *     empty from a {@link CodeShipper.Submission}
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
