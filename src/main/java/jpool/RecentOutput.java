package jpool;

import java.util.List;
import java.util.Objects;

/**
 * The last lines one worker printed on one stream for a result ({@link AsyncResult#recentOutput()}): what a
 * display shows of a task's output once the code that submitted it has moved on.
 *
 * @param workerId the worker that printed them, e.g. {@code w1}
 * @param stream the stream they were printed on
 * @param lines at most {@link #LINES} lines, oldest first, each cut at {@link #LINE_CHARS} characters (a cut
 *     line ends with {@code ...}); the last one may be incomplete (printed without a line break yet)
 * @param earlierLines complete lines printed before these, not kept here ({@link AsyncResult#stdout()} and
 *     {@link AsyncResult#stderr()} keep them, up to their own limit)
 */
public record RecentOutput(String workerId, OutputChunk.Stream stream, List<String> lines, long earlierLines) {

    /** Lines kept per worker and stream. */
    public static final int LINES = 10;
    /** Characters kept of one line. */
    public static final int LINE_CHARS = 200;
    /** Worker and stream pairs a result keeps lines of: those that printed most recently. */
    public static final int STREAMS = 32;

    /**
     * Copies the lines.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code earlierLines} is negative
     */
    public RecentOutput {
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(stream, "stream");
        lines = List.copyOf(lines);
        if (earlierLines < 0) {
            throw new IllegalArgumentException("negative earlierLines: " + earlierLines);
        }
    }
}
