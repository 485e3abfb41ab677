package jpool.ipc;

import java.util.function.BiFunction;

/**
 * Makes shared objects in the manner of Python's {@code multiprocessing.Manager()}: locks,
 * semaphores, events, barriers, dicts, lists and namespaces whose state lives in this JVM (the
 * owner) and whose handles work in every JVM they are sent to (captured by a pool task, passed as an
 * argument). Every operation of a handle in another JVM is a call to the owner over its IPC hub; a
 * wait (a lock, an event) waits in the owner, which answers when it can, so no thread of any hub is
 * blocked by it.
 *
 * <pre>{@code
 * IpcManager m = Ipc.manager();
 * ManagedDict<String, Integer> d = m.dict();
 * ManagedLock lock = m.lock();
 * pool.map(i -> { try (ManagedHold h = lock.hold()) { d.merge("n", 1, Integer::sum); } return i; }, inputs);
 * }</pre>
 *
 * <p>Unlike Python there is no separate manager process: the objects live as long as the JVM that
 * made them, and an owner that dies takes them with it ({@link IpcOwnerLostException} in the others).
 * Values are copied in and out (serialized): see {@link ManagedDict}.
 */
public final class IpcManager {

    IpcManager() {
    }

    private static <H> H make(String kind, int param, ManagedCore core, BiFunction<IpcRef, ManagedBackend, H> handle) {
        Hub hub = Hub.get();
        long id = hub.register(core);
        IpcRef ref = hub.ref(id, 0, kind, param);
        H h = handle.apply(ref, core);
        hub.registerLocalHandle(id, 0, h);
        return h;
    }

    private static int positive(int n, String what) {
        if (n < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, not " + n);
        }
        return n;
    }

    /** A new unlocked, non-reentrant lock (Python's {@code Manager().Lock()}). */
    public ManagedLock lock() {
        return make(IpcKinds.MANAGED_LOCK, 1, new ManagedLockCore("lock", false, 1, 1), ManagedLock::new);
    }

    /** A new unlocked reentrant lock (Python's {@code Manager().RLock()}). */
    public ManagedRLock rLock() {
        return make(IpcKinds.MANAGED_RLOCK, 1, new ManagedLockCore("reentrant lock", true, 0, 1), ManagedRLock::new);
    }

    /**
     * A new semaphore with {@code permits} free permits (Python's {@code Manager().Semaphore(n)}).
     *
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public ManagedSemaphore semaphore(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("a semaphore's initial permits must not be negative, not " + permits);
        }
        return make(IpcKinds.MANAGED_SEMAPHORE, permits,
                new ManagedLockCore("semaphore", false, permits, Integer.MAX_VALUE), ManagedSemaphore::new);
    }

    /**
     * A new bounded semaphore (Python's {@code Manager().BoundedSemaphore(n)}): a release that would
     * make more than {@code permits} free throws {@link IllegalStateException}.
     *
     * @throws IllegalArgumentException if {@code permits} is less than 1
     */
    public ManagedSemaphore boundedSemaphore(int permits) {
        positive(permits, "a bounded semaphore's permits");
        return make(IpcKinds.MANAGED_SEMAPHORE, permits,
                new ManagedLockCore("bounded semaphore", false, permits, permits), ManagedSemaphore::new);
    }

    /** A new event, not set (Python's {@code Manager().Event()}). */
    public ManagedEvent event() {
        return make(IpcKinds.MANAGED_EVENT, 0, new ManagedEventCore(), ManagedEvent::new);
    }

    /**
     * A new barrier for {@code parties} parties (Python's {@code Manager().Barrier(parties)}).
     *
     * @throws IllegalArgumentException if {@code parties} is less than 1
     */
    public ManagedBarrier barrier(int parties) {
        positive(parties, "a barrier's parties");
        return make(IpcKinds.MANAGED_BARRIER, parties, new ManagedBarrierCore(parties), ManagedBarrier::new);
    }

    /** A new empty dict (Python's {@code Manager().dict()}); see {@link ManagedDict} on copies and keys. */
    public <K, V> ManagedDict<K, V> dict() {
        return make(IpcKinds.MANAGED_DICT, 0, new ManagedStoreCore("dict", false), ManagedDict::new);
    }

    /** A new empty list (Python's {@code Manager().list()}); see {@link ManagedList} on copies. */
    public <E> ManagedList<E> list() {
        return make(IpcKinds.MANAGED_LIST, 0, new ManagedStoreCore("list", true), ManagedList::new);
    }

    /** A new namespace with no attributes (Python's {@code Manager().Namespace()}). */
    public ManagedNamespace namespace() {
        return make(IpcKinds.MANAGED_NAMESPACE, 0, new ManagedStoreCore("namespace", false), ManagedNamespace::new);
    }

    /**
     * A new dict holding copies of {@code initial}'s entries (Python's {@code Manager().dict(d)}).
     *
     * @throws NullPointerException if {@code initial} holds a null key or value
     * @throws IllegalArgumentException if a key or value cannot be serialized
     */
    public <K, V> ManagedDict<K, V> dict(java.util.Map<? extends K, ? extends V> initial) {
        ManagedDict<K, V> d = dict();
        d.putAll(initial);
        return d;
    }

    /**
     * A new list holding copies of {@code initial}'s elements, in order (Python's {@code Manager().list(xs)}).
     *
     * @throws NullPointerException if {@code initial} holds a null
     * @throws IllegalArgumentException if an element cannot be serialized
     */
    public <E> ManagedList<E> list(java.util.Collection<? extends E> initial) {
        ManagedList<E> l = list();
        for (E e : initial) {
            l.add(e);
        }
        return l;
    }

    /**
     * An unbounded queue owned by this JVM (Python's {@code Manager().Queue()}): the same object as
     * {@link Ipc#queue()}, which any process may already use.
     */
    public <E> IpcQueue<E> queue() {
        return Ipc.queue();
    }

    /**
     * A queue of at most {@code capacity} elements (Python's {@code Manager().Queue(maxsize)}); see
     * {@link Ipc#queue(int)}.
     *
     * @throws IllegalArgumentException if {@code capacity} is less than 1
     */
    public <E> IpcQueue<E> queue(int capacity) {
        return Ipc.queue(capacity);
    }

    /** An unbounded joinable queue (Python's {@code Manager().JoinableQueue()}); see {@link Ipc#joinableQueue()}. */
    public <E> JoinableIpcQueue<E> joinableQueue() {
        return Ipc.joinableQueue();
    }

    /**
     * An {@code int} value every process of this host can read and change (Python's
     * {@code Manager().Value('i', initial)}): the shared-memory {@link Ipc#sharedInt(int)}, whose lock
     * is {@link SharedInt#lock()}.
     */
    public SharedInt value(int initial) {
        return Ipc.sharedInt(initial);
    }

    /** A {@code double} value of this host's processes (Python's {@code Manager().Value('d', initial)}); see {@link Ipc#sharedDouble(double)}. */
    public SharedDouble value(double initial) {
        return Ipc.sharedDouble(initial);
    }

    /** An {@code int} array holding a copy of {@code values} (Python's {@code Manager().Array('i', values)}); see {@link Ipc#sharedIntArrayOf(int...)}. */
    public SharedIntArray intArray(int... values) {
        return Ipc.sharedIntArrayOf(values);
    }

    /** A {@code double} array holding a copy of {@code values} (Python's {@code Manager().Array('d', values)}); see {@link Ipc#sharedDoubleArrayOf(double...)}. */
    public SharedDoubleArray doubleArray(double... values) {
        return Ipc.sharedDoubleArrayOf(values);
    }
}
