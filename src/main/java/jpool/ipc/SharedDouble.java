package jpool.ipc;

/**
 * A {@code double} in memory shared by the JVMs of one host (Python's {@code Value('d', x)}), made by
 * {@link Ipc#sharedDouble(double)}. As for {@link SharedInt}: each method is atomic, a read followed
 * by a write is not unless it runs under {@link #lock()}; the memory lasts while the JVM that made it
 * runs, on its host only.
 */
public final class SharedDouble extends SharedHandle {

    private static final long serialVersionUID = 1L;

    SharedDouble(SharedMemory memory) {
        super(memory);
    }

    /** The current value. */
    public double get() {
        return memory.getDouble(0);
    }

    /** Sets the value. */
    public void set(double value) {
        memory.setDouble(0, value);
    }

    /** Atomically adds {@code delta} and returns the new value. */
    public double addAndGet(double delta) {
        return memory.addAndGetDouble(0, delta);
    }

    /**
     * Atomically sets the value to {@code value} if it is bit for bit {@code expected} (as
     * {@link Double#doubleToRawLongBits} compares); returns whether it did.
     */
    public boolean compareAndSet(double expected, double value) {
        return memory.compareAndSetLong(0, Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(value));
    }

    @Override
    boolean scalar() {
        return true;
    }

    @Override
    public String toString() {
        return "SharedDouble[" + get() + "]";
    }
}
