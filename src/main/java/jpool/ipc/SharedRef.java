package jpool.ipc;

import java.io.ObjectStreamException;
import java.io.Serializable;

/**
 * What travels when a shared value or array is serialized: the file of its memory, its type, the
 * pid of the JVM that made it and the host it is valid on. Deserialized, it maps the same memory.
 */
record SharedRef(String path, int kind, int length, long ownerPid, String host, boolean scalar)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** How error messages name what this stands for. */
    String what() {
        return scalar ? "value" : "array";
    }

    private Object readResolve() throws ObjectStreamException {
        SharedMemory m = SharedMemory.open(this);
        if (scalar) {
            return m.kind == SharedMemory.INT ? new SharedInt(m) : new SharedDouble(m);
        }
        return m.kind == SharedMemory.INT ? new SharedIntArray(m) : new SharedDoubleArray(m);
    }
}
