package jpool.wire;

/**
 * The outcome of one unit, carried by a {@code result} message.
 *
 * @param unitId the unit
 * @param kind {@link #VALUES}, {@link #RAW}, {@link #CANCELLED} or {@link #RETURNED}
 * @param startedMicros epoch microseconds when the worker started the unit (0 if never started)
 * @param finishedMicros epoch microseconds when it finished
 * @param errorIndices indices (within the chunk) of elements that failed
 * @param payload serialized {@code Object[]} of per-element values ({@link RemoteFailure} for failed
 *     elements) for VALUES; the byte array itself for RAW; empty for CANCELLED
 */
public record UnitResult(long unitId, String kind, long startedMicros, long finishedMicros, int[] errorIndices,
        byte[] payload) {

    /** Payload is a serialized {@code Object[]} with one entry per element. */
    public static final String VALUES = "values";
    /** Payload is the result itself, a {@code byte[]} of a one-element unit, sent without serialization. */
    public static final String RAW = "raw";
    /** The unit was dropped from the worker's queue by a cancel request and never ran. */
    public static final String CANCELLED = "cancelled";
    /** The unit was taken back from the worker's queue (to run elsewhere) and never ran here. */
    public static final String RETURNED = "returned";
}
