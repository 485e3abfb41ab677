package jpool.cluster;

import java.util.List;
import java.util.function.Function;

/**
 * Code a job needs that workers may not have yet: a manifest that travels with the job's function
 * to every worker that runs the job, and content-addressed blobs (class files, jars) that travel to
 * each worker at most once, however many jobs list them.
 *
 * <p>On the wire the manifest is the first extra frame of the unit that carries the function,
 * followed by a pair of frames (hash as UTF-8, bytes) for each blob the worker lacks.
 *
 * @param manifest opaque to the controller; the worker's class-loading hook reads it
 * @param blobHashes the content hashes the job needs, in the order they should be sent
 * @param blobs gives the bytes of a listed hash; called on the controller's I/O thread
 */
public record CodeAttachment(byte[] manifest, List<String> blobHashes, Function<String, byte[]> blobs) {

    /** Copies the hash list. */
    public CodeAttachment {
        blobHashes = List.copyOf(blobHashes);
    }
}
