package jpool.ipc;

/**
 * The owner's side of an IPC object: what the hub calls, on its I/O thread, for requests from other
 * JVMs. Implementations never block: a request that has to wait is answered later through its
 * {@link Call}.
 */
interface Served {

    /** Handles one request. */
    void serve(Call call);

    /** A peer JVM is gone: drop what it was waiting for, close what it held. Called on the I/O thread. */
    void peerLost(String peer);
}
