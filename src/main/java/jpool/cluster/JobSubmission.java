package jpool.cluster;

import java.util.List;
import java.util.Objects;

/**
 * A job handed to the controller: one function applied to the input elements of its units.
 *
 * @param function the serialized {@link jpool.wire.Invocable}
 * @param units the units (chunks), in input order
 * @param listener receives the units' events
 * @param code classes and jars the workers need for this job beyond their class path, or null
 * @param placement where the units may run
 */
public record JobSubmission(byte[] function, List<Unit> units, JobListener listener, CodeAttachment code,
        Placement placement) {

    /** A job whose code is all on the workers' class path, on any worker. */
    public JobSubmission(byte[] function, List<Unit> units, JobListener listener) {
        this(function, units, listener, null, Placement.any());
    }

    /** A job on any worker. */
    public JobSubmission(byte[] function, List<Unit> units, JobListener listener, CodeAttachment code) {
        this(function, units, listener, code, Placement.any());
    }

    /**
     * One chunk of input elements.
     *
     * @param index position of the unit within the job
     * @param count number of elements
     * @param arguments the serialized {@code Object[]} of elements
     */
    public record Unit(int index, int count, byte[] arguments) {
    }

    /** Copies the unit list and requires a placement. */
    public JobSubmission {
        units = List.copyOf(units);
        Objects.requireNonNull(placement, "placement");
    }
}
