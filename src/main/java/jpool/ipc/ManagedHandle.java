package jpool.ipc;

import java.io.Serializable;
import java.util.concurrent.TimeUnit;

/**
 * What every managed object's handle shares: its ref (what it is when serialized) and its backend.
 */
abstract class ManagedHandle implements Serializable {

    private static final long serialVersionUID = 1L;

    final transient IpcRef ref;
    final transient ManagedBackend backend;

    ManagedHandle(IpcRef ref, ManagedBackend backend) {
        this.ref = ref;
        this.backend = backend;
    }

    /** Serialized, a handle is its ref. */
    Object writeReplace() {
        return ref;
    }

    /** An operation that may wait; see {@link ManagedBackend#call}. */
    ManagedBackend.Reply call(String op, long timeoutNanos, String undo, Object... parts) throws InterruptedException {
        return backend.call(op, ManagedCodec.args(parts), timeoutNanos, undo);
    }

    /** An operation that does not wait; an interrupt of a remote call is kept set and reported as an IpcException. */
    ManagedBackend.Reply now(String op, Object... parts) {
        try {
            return backend.call(op, ManagedCodec.args(parts), 0, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IpcException("interrupted while asking the owner " + ref.owner() + " of the managed "
                    + ref.kind() + " for " + op);
        }
    }

    /** Nanoseconds of a timeout: at least 1 if positive. */
    static long nanos(long timeout, TimeUnit unit) {
        return QueueHandle.nanos(timeout, unit);
    }

    /** A handle used by composition, by handles that extend a java.util class. */
    static final class Plain extends ManagedHandle {
        private static final long serialVersionUID = 1L;

        Plain(IpcRef ref, ManagedBackend backend) {
            super(ref, backend);
        }
    }

    @Override
    public String toString() {
        return "managed " + ref.kind() + "[owner " + ref.owner() + ", id " + ref.objectId() + "]";
    }
}
