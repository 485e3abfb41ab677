package jpool.ipc;

import java.util.Map;
import java.util.function.BiFunction;

/**
 * The registry of IPC object kinds: for each kind name carried by an {@link IpcRef}, how a JVM that
 * does not own such an object makes its handle. A new kind (a process, a manager, a shared value)
 * is one more entry here plus its {@link Served} state in the owner.
 */
final class IpcKinds {

    static final String QUEUE = "queue";
    static final String SIMPLE_QUEUE = "simple queue";
    static final String JOINABLE_QUEUE = "joinable queue";
    static final String PIPE = "pipe";
    static final String MANAGED_LOCK = "managed lock";
    static final String MANAGED_RLOCK = "managed reentrant lock";
    static final String MANAGED_SEMAPHORE = "managed semaphore";
    static final String MANAGED_EVENT = "managed event";
    static final String MANAGED_BARRIER = "managed barrier";
    static final String MANAGED_DICT = "managed dict";
    static final String MANAGED_LIST = "managed list";
    static final String MANAGED_NAMESPACE = "managed namespace";

    private static final Map<String, BiFunction<IpcRef, Link, Object>> REMOTE = Map.ofEntries(
            Map.entry(QUEUE, (r, l) -> new QueueHandle<>(r, new RemoteQueue(r, l))),
            Map.entry(SIMPLE_QUEUE, (r, l) -> new QueueHandle<>(r, new RemoteQueue(r, l))),
            Map.entry(JOINABLE_QUEUE, (r, l) -> new JoinableQueueHandle<>(r, new RemoteQueue(r, l))),
            Map.entry(PIPE, (r, l) -> new PipeHandle(r, new RemotePipe(r, l))),
            Map.entry(MANAGED_LOCK, (r, l) -> new ManagedLock(r, new ManagedRemote(r, l))),
            Map.entry(MANAGED_RLOCK, (r, l) -> new ManagedRLock(r, new ManagedRemote(r, l))),
            Map.entry(MANAGED_SEMAPHORE, (r, l) -> new ManagedSemaphore(r, new ManagedRemote(r, l))),
            Map.entry(MANAGED_EVENT, (r, l) -> new ManagedEvent(r, new ManagedRemote(r, l))),
            Map.entry(MANAGED_BARRIER, (r, l) -> new ManagedBarrier(r, new ManagedRemote(r, l))),
            Map.entry(MANAGED_DICT, (r, l) -> new ManagedDict<>(r, new ManagedRemote(r, l))),
            Map.entry(MANAGED_LIST, (r, l) -> new ManagedList<>(r, new ManagedRemote(r, l))),
            Map.entry(MANAGED_NAMESPACE, (r, l) -> new ManagedNamespace(r, new ManagedRemote(r, l))));

    private IpcKinds() {
    }

    /** The handle, in this JVM, of another JVM's object. */
    static Object remote(IpcRef ref, Link link) {
        BiFunction<IpcRef, Link, Object> f = REMOTE.get(ref.kind());
        if (f == null) {
            throw new IpcException("an IPC object of kind '" + ref.kind() + "' arrived, which this jpool version "
                    + "does not know; use the same jpool version in every JVM");
        }
        return f.apply(ref, link);
    }
}
