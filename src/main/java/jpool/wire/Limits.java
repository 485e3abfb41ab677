package jpool.wire;

import java.io.ObjectInputFilter;

/**
 * Size and depth limits applied to everything received from another process: the one set of limits
 * of the jpool wire protocol and of every payload in it (tasks, arguments, results, failures, values
 * of shipped cell variables).
 *
 * <p>A message whose frames add up to more than {@link #maxMessageBytes()} is dropped and counted.
 * Java deserialization of payloads goes through {@link #filter()}, an {@link ObjectInputFilter} that
 * rejects object graphs deeper than {@link #maxDepth()}, with more than {@link #maxRefs()} references,
 * arrays longer than {@link #maxArrayLength()} or streams longer than {@link #maxMessageBytes()}.
 *
 * @param maxMessageBytes largest accepted message, all frames together
 * @param maxDepth deepest accepted object graph
 * @param maxRefs most object references in one payload
 * @param maxArrayLength longest accepted array
 */
public record Limits(long maxMessageBytes, long maxDepth, long maxRefs, long maxArrayLength) {

    /**
     * Defaults: 1 GiB messages, object graphs 5,000 deep with 100 million references, arrays up to
     * 2^30 elements. (They are the more generous of the two sets that task payloads and shipped
     * values had before they were one, so nothing accepted then is refused now.)
     */
    public static final Limits DEFAULT = new Limits(1L << 30, 5_000, 100_000_000, 1L << 30);

    /** Validates the limits. */
    public Limits {
        if (maxMessageBytes <= 0 || maxDepth <= 0 || maxRefs <= 0 || maxArrayLength <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /** The deserialization filter for these limits. */
    public ObjectInputFilter filter() {
        long maxDepth = this.maxDepth, maxRefs = this.maxRefs, maxArray = this.maxArrayLength,
                maxBytes = this.maxMessageBytes;
        return info -> {
            if (info.depth() > maxDepth || info.references() > maxRefs
                    || info.arrayLength() > maxArray || info.streamBytes() > maxBytes) {
                return ObjectInputFilter.Status.REJECTED;
            }
            return ObjectInputFilter.Status.UNDECIDED;
        };
    }
}
