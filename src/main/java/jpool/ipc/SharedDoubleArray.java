package jpool.ipc;

import java.util.Arrays;

/**
 * A fixed-length array of {@code double}s in memory shared by the JVMs of one host (Python's
 * {@code Array('d', ...)}), made by {@link Ipc#sharedDoubleArray(int)} or {@link Ipc#sharedDoubleArrayOf}.
 * Each element access is atomic and volatile; a loop over the elements is not one step, so a reader
 * may see some elements before and some after a writer's loop unless both hold {@link #lock()}.
 *
 * @see SharedInt for the lifetime of the memory
 */
public final class SharedDoubleArray extends SharedHandle {

    private static final long serialVersionUID = 1L;

    SharedDoubleArray(SharedMemory memory) {
        super(memory);
    }

    /** The number of elements, fixed when the array was made. */
    public int length() {
        return memory.length;
    }

    /**
     * The element at {@code index}.
     *
     * @throws IndexOutOfBoundsException if {@code index} is negative or not less than {@link #length()}
     */
    public double get(int index) {
        return memory.getDouble(index);
    }

    /**
     * Sets the element at {@code index}.
     *
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     */
    public void set(int index, double value) {
        memory.setDouble(index, value);
    }

    /**
     * Atomically adds {@code delta} to the element at {@code index} and returns its new value.
     *
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     */
    public double addAndGet(int index, double delta) {
        return memory.addAndGetDouble(index, delta);
    }

    /** A copy of the elements, read one after the other (hold {@link #lock()} for a consistent copy). */
    public double[] toArray() {
        double[] a = new double[memory.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = memory.getDouble(i);
        }
        return a;
    }

    @Override
    boolean scalar() {
        return false;
    }

    @Override
    public String toString() {
        return "SharedDoubleArray" + Arrays.toString(toArray());
    }
}
