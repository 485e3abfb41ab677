package jpool;

import java.time.Instant;

/**
 * A piece of output printed by a task, delivered while the task runs.
 *
 * @param workerId the worker that printed it
 * @param index the input index of the first element of the chunk that printed it (0 for apply)
 * @param stream which stream
 * @param text the text (never splits a character)
 * @param time when the submitting JVM received it
 */
public record OutputChunk(String workerId, int index, Stream stream, String text, Instant time) {

    /** The output stream a chunk was written to. */
    public enum Stream {
        /** {@code System.out} */
        STDOUT,
        /** {@code System.err} */
        STDERR
    }
}
