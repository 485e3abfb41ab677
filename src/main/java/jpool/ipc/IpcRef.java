package jpool.ipc;

import java.io.ObjectStreamException;
import java.io.Serializable;

/**
 * What travels when an IPC object is serialized: where its owner's hub listens, the key that hub
 * signs with, the hub's id and process id, and which object (and part, e.g. the end of a pipe) of
 * which kind. Deserialized, it resolves to the owner's own handle in the owner's JVM and to a remote
 * handle elsewhere ({@link Hub#resolve}).
 *
 * <p>The key is in here on purpose: holding a serialized ref is what lets a process use the object.
 */
record IpcRef(String endpoint, String keyHex, String hubId, long ownerPid, long objectId, int part, String kind,
        int capacity) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Resolves to the handle of this JVM. */
    private Object readResolve() throws ObjectStreamException {
        return Hub.get().resolve(this);
    }

    /** How error messages name the owner. */
    String owner() {
        return "pid " + ownerPid + " (" + endpoint + ")";
    }
}
