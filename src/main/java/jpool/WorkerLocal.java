package jpool;

import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A variable with one value per worker, kept between the tasks that run on that worker: what
 * {@link ThreadLocal} is to threads, this is to the workers of a pool. Create it where the tasks are
 * written (in a notebook cell, or a field of a plain program), let the tasks capture it, and each task
 * reads and changes its own worker's value:
 *
 * <pre>{@code
 * WorkerLocal<AtomicInteger> count = WorkerLocal.withInitial(AtomicInteger::new);
 * pool.map(x -> count.get().incrementAndGet(), items);
 * Map<String, Integer> perWorker = pool.onEachWorker(() -> count.get().get());
 * }</pre>
 *
 * <p><b>Where the value lives.</b> In a worker JVM: one value per holder for the whole JVM, shared by every
 * task that runs there and by the threads those tasks start, created by the initial supplier the first
 * time that worker asks for it, and gone when the worker exits; a replacement worker starts afresh. On a
 * {@link Pool#threads(int) thread pool}: one value per pool thread, gone when the thread ends. Anywhere
 * else (the submitting JVM's own threads): one value for that JVM, as in a worker JVM. Values never
 * travel: the submitting JVM cannot read a worker's value except by asking a task for it (as with
 * {@link Pool#onEachWorker(Task)} above).
 *
 * <p><b>Identity.</b> A holder is serializable and travels with each task that captures it; every copy
 * has the id given when the holder was created, and copies with the same id share the value. So a
 * holder written in a notebook cell is the same variable on a worker for every task that captures it,
 * whichever cell submitted the task; a new holder (a cell run again) is a new variable.
 *
 * <p><b>Thread-safety.</b> {@link #get()}, {@link #set} and {@link #remove()} are atomic and may be
 * called from any thread; the initial value is made at most once per worker while no other value has
 * been set. The holder only guards which object is the value: the object itself is shared by all the
 * worker's tasks and their threads, so when tasks start threads or use a thread pool's concurrency, use a
 * thread-safe value (an {@code AtomicInteger}, a {@code ConcurrentHashMap}). A worker JVM runs one task
 * at a time, so a plain value is safe for tasks that start no threads.
 *
 * <p>A value of a class written in a notebook cell is an object of the class as the submitting task's
 * cells defined it; a task shipped with other cell code may see it as a different class. Keep such
 * values to JDK and library types, or reach the cell class from the pool's initializer (which makes it a
 * worker global, one class for all tasks).
 *
 * @param <T> the type of the value
 */
public final class WorkerLocal<T> implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The initial value, made on a worker; serializable so that it travels with the holder. */
    @FunctionalInterface
    public interface Initial<T> extends Supplier<T>, Serializable {
    }

    /** Stands for null in the maps, which cannot hold it. */
    private static final Object NULL = new Object();

    /** This JVM's values, by holder id. */
    private static final ConcurrentHashMap<String, Object> JVM_VALUES = new ConcurrentHashMap<>();

    /** One lock per holder id, for making initial values once. */
    private static final ConcurrentHashMap<String, Object> LOCKS = new ConcurrentHashMap<>();

    /** The values of a thread pool's thread, set for its whole life. */
    private static final ThreadLocal<ConcurrentHashMap<String, Object>> THREAD_VALUES = new ThreadLocal<>();

    private final String id;
    private final Initial<? extends T> initial;

    private WorkerLocal(Initial<? extends T> initial) {
        this.id = UUID.randomUUID().toString();
        this.initial = initial;
    }

    /**
     * A new holder whose value on each worker starts as {@code initial.get()}, called there on first use.
     * If the supplier throws, the exception propagates from {@link #get()} and the next call tries again.
     */
    public static <T> WorkerLocal<T> withInitial(Initial<? extends T> initial) {
        return new WorkerLocal<>(Objects.requireNonNull(initial, "initial"));
    }

    /** A new holder whose value on each worker starts as null. */
    public static <T> WorkerLocal<T> create() {
        return new WorkerLocal<>(() -> null);
    }

    /** Makes the calling thread (a thread pool's thread) keep its own values from now on. */
    static void useThreadValues() {
        THREAD_VALUES.set(new ConcurrentHashMap<>());
    }

    private static ConcurrentHashMap<String, Object> values() {
        ConcurrentHashMap<String, Object> own = THREAD_VALUES.get();
        return own != null ? own : JVM_VALUES;
    }

    /** This worker's value, made by the initial supplier if there is none yet. */
    @SuppressWarnings("unchecked")
    public T get() {
        ConcurrentHashMap<String, Object> values = values();
        Object v = values.get(id);
        if (v == null) {
            // Not computeIfAbsent: an initial supplier may itself use other holders of the same map.
            synchronized (LOCKS.computeIfAbsent(id, k -> new Object())) {
                v = values.get(id);
                if (v == null) {
                    T made = initial.get();
                    Object raced = values.putIfAbsent(id, made == null ? NULL : made);
                    v = raced != null ? raced : values.get(id);
                }
            }
        }
        return v == NULL ? null : (T) v;
    }

    /** Sets this worker's value (null allowed); later tasks on this worker see it. */
    public void set(T value) {
        values().put(id, value == null ? NULL : value);
    }

    /** Forgets this worker's value: the next {@link #get()} makes a new one with the initial supplier. */
    public void remove() {
        values().remove(id);
    }

    /** Holders are equal when they are copies of one holder (the same id). */
    @Override
    public boolean equals(Object o) {
        return o instanceof WorkerLocal<?> other && id.equals(other.id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    /** {@code WorkerLocal[<id>]}; the value is not shown, as it differs from worker to worker. */
    @Override
    public String toString() {
        return "WorkerLocal[" + id + "]";
    }
}
