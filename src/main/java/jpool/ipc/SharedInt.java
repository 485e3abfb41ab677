package jpool.ipc;

/**
 * An {@code int} in memory shared by the JVMs of one host (Python's {@code Value('i', n)}), made by
 * {@link Ipc#sharedInt(int)}. Every JVM that receives it (captured by a task, passed to a
 * {@link JProcess}) reads and writes the same memory, with the visibility of a volatile field.
 * {@link #get()}, {@link #set(int)} and the update methods are atomic each; a read followed by a
 * write ({@code v.set(v.get() + 1)}) is not, and loses updates under contention unless it runs under
 * {@link #lock()}.
 *
 * <p>The memory lasts while the JVM that made it runs; a JVM on another host cannot use it.
 */
public final class SharedInt extends SharedHandle {

    private static final long serialVersionUID = 1L;

    SharedInt(SharedMemory memory) {
        super(memory);
    }

    /** The current value. */
    public int get() {
        return memory.getInt(0);
    }

    /** Sets the value. */
    public void set(int value) {
        memory.setInt(0, value);
    }

    /** Atomically adds one and returns the new value. */
    public int incrementAndGet() {
        return memory.getAndAddInt(0, 1) + 1;
    }

    /** Atomically adds {@code delta} and returns the new value. */
    public int addAndGet(int delta) {
        return memory.getAndAddInt(0, delta) + delta;
    }

    /** Atomically adds {@code delta} and returns the previous value. */
    public int getAndAdd(int delta) {
        return memory.getAndAddInt(0, delta);
    }

    /** Atomically sets the value to {@code value} if it is {@code expected}; returns whether it did. */
    public boolean compareAndSet(int expected, int value) {
        return memory.compareAndSetInt(0, expected, value);
    }

    @Override
    boolean scalar() {
        return true;
    }

    @Override
    public String toString() {
        return "SharedInt[" + get() + "]";
    }
}
