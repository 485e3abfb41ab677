package jpool.wire;

/**
 * A piece of a task's captured output.
 *
 * @param unitId the unit that printed it
 * @param stream {@link #STDOUT} or {@link #STDERR}
 * @param bytes UTF-8 text; never splits a character
 */
public record OutputPiece(long unitId, int stream, byte[] bytes) {
    /** Standard output. */
    public static final int STDOUT = 1;
    /** Standard error. */
    public static final int STDERR = 2;
}
