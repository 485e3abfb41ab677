package jpool.ipc;

import java.util.Arrays;

/**
 * A fixed-length array of {@code int}s in memory shared by the JVMs of one host (Python's
 * {@code Array('i', ...)}), made by {@link Ipc#sharedIntArray(int)} or {@link Ipc#sharedIntArrayOf}.
 * Each element access is atomic and volatile; a loop over the elements is not one step, so a reader
 * may see some elements before and some after a writer's loop unless both hold {@link #lock()}.
 *
 * @see SharedInt for the lifetime of the memory
 */
public final class SharedIntArray extends SharedHandle {

    private static final long serialVersionUID = 1L;

    SharedIntArray(SharedMemory memory) {
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
    public int get(int index) {
        return memory.getInt(index);
    }

    /**
     * Sets the element at {@code index}.
     *
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     */
    public void set(int index, int value) {
        memory.setInt(index, value);
    }

    /**
     * Atomically adds {@code delta} to the element at {@code index} and returns its new value.
     *
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     */
    public int addAndGet(int index, int delta) {
        return memory.getAndAddInt(index, delta) + delta;
    }

    /**
     * Atomically sets the element at {@code index} to {@code value} if it is {@code expected}.
     *
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     */
    public boolean compareAndSet(int index, int expected, int value) {
        return memory.compareAndSetInt(index, expected, value);
    }

    /** A copy of the elements, read one after the other (hold {@link #lock()} for a consistent copy). */
    public int[] toArray() {
        int[] a = new int[memory.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = memory.getInt(i);
        }
        return a;
    }

    @Override
    boolean scalar() {
        return false;
    }

    @Override
    public String toString() {
        return "SharedIntArray" + Arrays.toString(toArray());
    }
}
