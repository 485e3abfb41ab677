package jpool;

import java.io.IOException;
import java.util.Arrays;
import jpool.wire.Limits;
import jpool.wire.RemoteFailure;
import jpool.wire.TaskCodec;
import jpool.wire.UnitResult;

/**
 * The value or failure of every element of a result, by input index.
 *
 * <p>A chunk that finished on a worker JVM arrives encoded and stays encoded until someone asks for its
 * elements: decoding runs on the asking thread, never on the controller's I/O thread. Per chunk, the
 * store is in one of three states, in this order:
 * <pre>
 *   empty --putEncoded--&gt; encoded --install(decode())--&gt; decoded
 *   empty --putDecoded | failAll--&gt; decoded
 * </pre>
 * An element's entries are meaningful only once its chunk is decoded: then exactly one of
 * {@link #value} (possibly null) and {@link #error} (non-null) is its outcome.
 *
 * <p>Not thread-safe: the owning {@link ResultCore} calls it with its monitor held, except
 * {@link Encoded#decode}, which touches no shared state and runs without the lock.
 */
final class ElementStore {

    /** A chunk's encoded values and the worker that sent them. */
    record Encoded(int chunk, int base, int count, String worker, UnitResult result) {

        /**
         * Decodes the values; a value that cannot be read here (a missing class, say) fails the whole
         * chunk, as the worker's bytes cannot be split.
         */
        Decoded decode(ClassLoader loader) {
            Object[] values = new Object[count];
            Throwable[] failures = new Throwable[count];
            try {
                Object[] raw = TaskCodec.decodeValues(result, loader, Limits.DEFAULT);
                if (raw.length != count) {
                    throw new IOException("expected " + count + " values, got " + raw.length);
                }
                for (int i = 0; i < count; i++) {
                    if (raw[i] instanceof RemoteFailure f) {
                        failures[i] = Failures.taskFailed(f, loader, worker);
                    } else {
                        values[i] = raw[i];
                    }
                }
            } catch (Exception | LinkageError e) {
                TaskFailedException f = new TaskFailedException("the result sent by worker " + worker
                        + " cannot be read here: " + e, e, worker);
                Arrays.fill(values, null);
                Arrays.fill(failures, f);
            }
            return new Decoded(values, failures);
        }
    }

    /** A chunk's outcomes, index {@code i} for element {@code base + i}. */
    record Decoded(Object[] values, Throwable[] failures) {
    }

    private final Object[] values;
    private final Throwable[] errors;
    private final Encoded[] encoded;

    ElementStore(int total, int chunks) {
        values = new Object[total];
        errors = new Throwable[total];
        encoded = new Encoded[chunks];
    }

    void putEncoded(int chunk, int base, int count, String worker, UnitResult result) {
        encoded[chunk] = new Encoded(chunk, base, count, worker, result);
    }

    /** Stores decoded outcomes from index {@code base} on; returns how many are failures. */
    int putDecoded(int base, Object[] chunkValues, Throwable[] chunkErrors) {
        System.arraycopy(chunkValues, 0, values, base, chunkValues.length);
        System.arraycopy(chunkErrors, 0, errors, base, chunkErrors.length);
        int failures = 0;
        for (Throwable t : chunkErrors) {
            if (t != null) {
                failures++;
            }
        }
        return failures;
    }

    void failAll(int from, int to, Throwable failure) {
        Arrays.fill(errors, from, to, failure);
    }

    /** The chunk's encoded values if it has not been decoded yet, else null. */
    Encoded encoded(int chunk) {
        return encoded[chunk];
    }

    /**
     * Installs what {@link Encoded#decode} made of {@code e}, unless another thread installed its own
     * decoding first (both decoded the same bytes; the first one wins).
     */
    void install(Encoded e, Decoded d) {
        if (encoded[e.chunk()] == e) {
            encoded[e.chunk()] = null;
            putDecoded(e.base(), d.values(), d.failures());
        }
    }

    Object value(int index) {
        return values[index];
    }

    Throwable error(int index) {
        return errors[index];
    }

    /** The lowest index with a failure among decoded chunks, or -1. */
    int firstError() {
        for (int i = 0; i < errors.length; i++) {
            if (errors[i] != null) {
                return i;
            }
        }
        return -1;
    }
}
