package jpool.worker;

import java.util.List;
import jpool.wire.Limits;
import jpool.wire.UnitWire;

/**
 * Chooses the class loader that a unit's function, arguments and results are resolved through. This
 * is the worker's hook for shipped code: the default uses the worker's class path (which is the
 * submitting JVM's class path); an implementation that defines shipped classes per content hash reads
 * them from {@link UnitWire#extra()}.
 */
public interface TaskClassLoaders {

    /**
     * Sees a unit as it arrives, before it is queued (called on the worker's I/O thread, so it must
     * be quick): the place to take in code frames that travel with it.
     */
    default void received(UnitWire unit) {
    }

    /**
     * The loader the pool initializer is read and run with, given the code frames that came with it
     * in {@code welcome} (empty when it needs nothing beyond the class path). Called once, on the
     * task thread, before any {@link #forUnit}; an exception fails the initializer.
     */
    default ClassLoader forInitializer(List<byte[]> code) {
        return TaskClassLoaders.class.getClassLoader();
    }

    /** The loader for a unit. Called on the task thread before the unit's payloads are read. */
    ClassLoader forUnit(UnitWire unit);

    /** The limits for decoding shipped values, as the controller sent them (called before any task). */
    default void limits(Limits limits) {
    }

    /** Tells the hook that a job finished and its unit-specific state may be released. */
    default void jobDropped(long jobId) {
    }

    /** Code shipped from notebook cells, per job, falling back to the worker's class path. */
    static TaskClassLoaders shipped() {
        return new ShippedClassLoaders();
    }
}
