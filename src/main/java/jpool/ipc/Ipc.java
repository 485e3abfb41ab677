package jpool.ipc;

/**
 * Factories of the objects that let processes communicate, in the manner of Python's
 * {@code multiprocessing}: {@code var q = Ipc.queue(10);} where Python writes
 * {@code q = multiprocessing.Queue(10)}.
 *
 * <p>Every object made here belongs to the JVM that made it (its owner), which holds its state;
 * serialized and sent to another JVM (captured by a pool task's lambda, passed as an argument, shipped
 * with a notebook cell), it arrives as a handle that calls the owner over a signed ZeroMQ connection
 * on 127.0.0.1. Unlike Python's plain {@code Queue}, every one of them may be passed to pool tasks.
 * The first object made or received in a JVM starts that JVM's IPC hub (one socket and one thread).
 * See {@code docs/IPC.md} for the design, the guarantees when a process dies and what the key protects.
 */
public final class Ipc {

    private Ipc() {
    }

    /** An unbounded queue (Python's {@code multiprocessing.Queue()}). */
    public static <E> IpcQueue<E> queue() {
        return newQueue(IpcKinds.QUEUE, Integer.MAX_VALUE, false);
    }

    /**
     * A queue that holds at most {@code capacity} elements (Python's {@code Queue(maxsize)}).
     *
     * @throws IllegalArgumentException if {@code capacity} is less than 1 (use {@link #queue()} for an
     *     unbounded queue, where Python takes 0)
     */
    public static <E> IpcQueue<E> queue(int capacity) {
        return newQueue(IpcKinds.QUEUE, checkCapacity(capacity), false);
    }

    /** An unbounded queue with only put and get (Python's {@code SimpleQueue()}). */
    public static <E> SimpleIpcQueue<E> simpleQueue() {
        return newQueue(IpcKinds.SIMPLE_QUEUE, Integer.MAX_VALUE, false);
    }

    /** An unbounded joinable queue (Python's {@code JoinableQueue()}). */
    public static <E> JoinableIpcQueue<E> joinableQueue() {
        return (JoinableIpcQueue<E>) IpcQueue.class.cast(newQueue(IpcKinds.JOINABLE_QUEUE, Integer.MAX_VALUE, true));
    }

    /**
     * A joinable queue of at most {@code capacity} elements (Python's {@code JoinableQueue(maxsize)}).
     *
     * @throws IllegalArgumentException if {@code capacity} is less than 1
     */
    public static <E> JoinableIpcQueue<E> joinableQueue(int capacity) {
        return (JoinableIpcQueue<E>) IpcQueue.class.cast(newQueue(IpcKinds.JOINABLE_QUEUE, checkCapacity(capacity), true));
    }

    /** A duplex pipe: both ends send and receive (Python's {@code Pipe()}). */
    public static IpcPipe pipe() {
        return pipe(true);
    }

    /**
     * A pipe, duplex or one-way (Python's {@code Pipe(duplex)}). One-way, the first end only receives
     * and the second only sends.
     */
    public static IpcPipe pipe(boolean duplex) {
        Hub hub = Hub.get();
        PipeCore core = new PipeCore(duplex);
        long id = hub.register(core);
        PipeHandle[] ends = new PipeHandle[2];
        for (int end = 0; end < 2; end++) {
            ends[end] = new PipeHandle(hub.ref(id, end, IpcKinds.PIPE, duplex ? 1 : 0), new LocalPipe(core, end));
            hub.registerLocalHandle(id, end, ends[end]);
        }
        return new IpcPipe(ends[0], ends[1]);
    }

    /**
     * An {@code int} in shared memory (Python's {@code Value('i', initial)}): every JVM of this host that
     * receives it reads and writes the same memory, with no call to the JVM that made it.
     */
    public static SharedInt sharedInt(int initial) {
        SharedInt v = new SharedInt(SharedMemory.create(SharedMemory.INT, 1));
        v.set(initial);
        return v;
    }

    /** A {@code double} in shared memory (Python's {@code Value('d', initial)}). */
    public static SharedDouble sharedDouble(double initial) {
        SharedDouble v = new SharedDouble(SharedMemory.create(SharedMemory.DOUBLE, 1));
        v.set(initial);
        return v;
    }

    /**
     * An array of {@code length} zeros in shared memory (Python's {@code Array('i', length)}).
     *
     * @throws IllegalArgumentException if {@code length} is negative
     */
    public static SharedIntArray sharedIntArray(int length) {
        return new SharedIntArray(SharedMemory.create(SharedMemory.INT, length));
    }

    /** An array in shared memory holding a copy of {@code values} (Python's {@code Array('i', values)}). */
    public static SharedIntArray sharedIntArrayOf(int... values) {
        SharedIntArray a = sharedIntArray(values.length);
        for (int i = 0; i < values.length; i++) {
            a.set(i, values[i]);
        }
        return a;
    }

    /**
     * An array of {@code length} zeros in shared memory (Python's {@code Array('d', length)}).
     *
     * @throws IllegalArgumentException if {@code length} is negative
     */
    public static SharedDoubleArray sharedDoubleArray(int length) {
        return new SharedDoubleArray(SharedMemory.create(SharedMemory.DOUBLE, length));
    }

    /** An array in shared memory holding a copy of {@code values} (Python's {@code Array('d', values)}). */
    public static SharedDoubleArray sharedDoubleArrayOf(double... values) {
        SharedDoubleArray a = sharedDoubleArray(values.length);
        for (int i = 0; i < values.length; i++) {
            a.set(i, values[i]);
        }
        return a;
    }

    /**
     * A manager of shared locks, semaphores, events, barriers, dicts, lists and namespaces held by this
     * JVM (Python's {@code multiprocessing.Manager()}); see {@link IpcManager}.
     */
    public static IpcManager manager() {
        return new IpcManager();
    }

    private static int checkCapacity(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a queue's capacity must be at least 1, not " + capacity
                    + "; for an unbounded queue call queue() (Python's maxsize=0)");
        }
        return capacity;
    }

    private static <E> QueueHandle<E> newQueue(String kind, int capacity, boolean joinable) {
        Hub hub = Hub.get();
        QueueCore core = new QueueCore(capacity);
        long id = hub.register(core);
        IpcRef ref = hub.ref(id, 0, kind, capacity);
        QueueHandle<E> h = joinable ? new JoinableQueueHandle<>(ref, core) : new QueueHandle<>(ref, core);
        hub.registerLocalHandle(id, 0, h);
        return h;
    }
}
