package jpool.wire;

import java.util.List;

/**
 * One unit of work as carried by a {@code task} message: a chunk of {@code count} input elements of one
 * job, all run with the job's function.
 *
 * @param unitId controller-wide unit id
 * @param jobId id of the job (one API call); the function is sent once per job and worker
 * @param count number of elements in the chunk
 * @param function the serialized {@link Invocable}, or null when the worker already holds it for the job
 * @param arguments the serialized {@code Object[]} of elements
 * @param extra additional frames, reserved for extensions such as shipped classes (may be empty)
 * @param attempt 1 for the unit's first run, one more for each time it runs again after its worker was lost
 */
public record UnitWire(long unitId, long jobId, int count, byte[] function, byte[] arguments, List<byte[]> extra,
        int attempt) {

    /** Normalizes a null extra list to empty and checks the attempt. */
    public UnitWire {
        extra = extra == null ? List.of() : extra;
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1: " + attempt);
        }
    }

    /** A unit on its first attempt. */
    public UnitWire(long unitId, long jobId, int count, byte[] function, byte[] arguments, List<byte[]> extra) {
        this(unitId, jobId, count, function, arguments, extra, 1);
    }
}
