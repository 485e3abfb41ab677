package jpool.ipc;

import java.io.Serializable;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * A list held by its owner JVM and usable from every process that receives it (Python's
 * {@code Manager().list()}), as a {@link List} view. Each positional operation is one call to the
 * owner and is atomic there; a sequence of them is not (hold a {@link ManagedLock}).
 *
 * <p><b>Elements are copies</b>, serialized on the way in and out: {@code l.get(i).add(x)} changes
 * only your copy; write it back with {@code l.set(i, e)} (as in Python). Null elements are not
 * allowed. {@link #iterator()}, {@code equals}, {@code hashCode} and {@code toString} work on a
 * snapshot taken in one call ({@link #copy()}); that iterator does not remove. The list iterators
 * and {@code indexOf} read one element per call.
 *
 * @param <E> the elements' type
 */
public final class ManagedList<E> extends AbstractList<E> implements Serializable {

    private static final long serialVersionUID = 1L;

    private final transient ManagedHandle h;

    ManagedList(IpcRef ref, ManagedBackend backend) {
        this.h = new ManagedHandle.Plain(ref, backend);
    }

    /** Serialized, a handle is its ref. */
    Object writeReplace() {
        return h.ref;
    }

    private static byte[] element(Object e) {
        return ManagedCodec.encode(e, "list element");
    }

    @SuppressWarnings("unchecked")
    private static <E> E decode(byte[] b) {
        return (E) ManagedCodec.decode(b, "list element");
    }

    /**
     * A copy of the element at {@code index}.
     *
     * @throws IndexOutOfBoundsException if there is no such element
     * @throws IpcOwnerLostException if the owner is gone
     */
    @Override
    public E get(int index) {
        return decode(h.now("get", index).frame());
    }

    /**
     * Replaces the element at {@code index} with a copy of {@code element}.
     *
     * @return the previous element
     * @throws IndexOutOfBoundsException if there is no such element
     * @throws NullPointerException if {@code element} is null
     * @throws IllegalArgumentException if it cannot be serialized
     * @throws IpcOwnerLostException if the owner is gone
     */
    @Override
    public E set(int index, E element) {
        return decode(h.now("set", index, element(element)).frame());
    }

    /**
     * Appends a copy of {@code element} (Python's {@code append}).
     *
     * @return true
     * @throws NullPointerException if {@code element} is null
     * @throws IllegalArgumentException if it cannot be serialized
     * @throws IpcOwnerLostException if the owner is gone
     */
    @Override
    public boolean add(E element) {
        h.now("append", element(element));
        return true;
    }

    /**
     * Inserts a copy of {@code element} at {@code index}.
     *
     * @throws IndexOutOfBoundsException if {@code index} is negative or above the size
     * @throws NullPointerException if {@code element} is null
     * @throws IpcOwnerLostException if the owner is gone
     */
    @Override
    public void add(int index, E element) {
        h.now("insert", index, element(element));
    }

    /**
     * Removes the element at {@code index}.
     *
     * @return the removed element
     * @throws IndexOutOfBoundsException if there is no such element
     * @throws IpcOwnerLostException if the owner is gone
     */
    @Override
    public E remove(int index) {
        return decode(h.now("removeAt", index).frame());
    }

    /**
     * The number of elements.
     *
     * @throws IpcOwnerLostException if the owner is gone
     */
    @Override
    public int size() {
        return (int) h.now("size").n();
    }

    /**
     * Removes every element.
     *
     * @throws IpcOwnerLostException if the owner is gone
     */
    @Override
    public void clear() {
        h.now("clear");
    }

    /**
     * A local copy of all elements, taken in one call (Python's {@code l[:]}).
     *
     * @throws IpcException if an element cannot be deserialized in this JVM
     * @throws IpcOwnerLostException if the owner is gone
     */
    public List<E> copy() {
        List<E> copy = new ArrayList<>();
        for (byte[] b : ManagedStoreCore.unpack(h.now("items").frame())) {
            copy.add(decode(b));
        }
        return copy;
    }

    /** An iterator over a snapshot ({@link #copy()}); it does not support {@code remove}. */
    @Override
    public Iterator<E> iterator() {
        return Collections.unmodifiableList(copy()).iterator();
    }

    @Override
    public String toString() {
        return copy().toString();
    }
}
