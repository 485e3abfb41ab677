package jpool.ipc;

import java.io.ObjectStreamException;
import java.io.Serializable;

/** What every shared value and array has: its memory, its lock, and how it travels. */
abstract class SharedHandle implements Serializable {

    private static final long serialVersionUID = 1L;

    final transient SharedMemory memory;

    SharedHandle(SharedMemory memory) {
        this.memory = memory;
    }

    /**
     * The lock that guards compound updates (Python's {@code get_lock()}): one process at a time between
     * {@code lock()} and {@code unlock()}. The single operations of the handle are atomic without it.
     */
    public SharedLock lock() {
        return memory.lock;
    }

    abstract boolean scalar();

    /** Serialized, a shared value or array travels as a reference to its memory, not as a copy. */
    Object writeReplace() throws ObjectStreamException {
        return memory.ref(scalar());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SharedHandle h && h.getClass() == getClass() && h.memory == memory;
    }

    @Override
    public int hashCode() {
        return memory.path.hashCode();
    }
}
