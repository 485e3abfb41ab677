package jpool.cluster;

import java.util.List;

/**
 * A job handed to the controller: one function applied to the input elements of its units.
 *
 * @param function the serialized {@link jpool.wire.Invocable}
 * @param units the units (chunks), in input order
 * @param listener receives the units' events
 */
public record JobSubmission(byte[] function, List<Unit> units, JobListener listener) {

    /**
     * One chunk of input elements.
     *
     * @param index position of the unit within the job
     * @param count number of elements
     * @param arguments the serialized {@code Object[]} of elements
     */
    public record Unit(int index, int count, byte[] arguments) {
    }

    /** Copies the unit list. */
    public JobSubmission {
        units = List.copyOf(units);
    }
}
