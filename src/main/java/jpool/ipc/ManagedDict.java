package jpool.ipc;

import java.io.Serializable;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A map held by its owner JVM and usable from every process that receives it (Python's
 * {@code Manager().dict()}), as a {@link Map} view. Each single-key operation is one call to the owner
 * and is atomic there; a sequence of them ({@code put(k, get(k) + 1)}) is not: hold a
 * {@link ManagedLock}, or use {@link #replace(Object, Object, Object)} in a retry loop.
 *
 * <p><b>Values are copies.</b> Keys and values are serialized on the way in and deserialized on the
 * way out, so changing a value you got does not change the stored one:
 * {@code d.get(k).add(x)} changes only your copy; write it back with {@code d.put(k, v)}. The same
 * holds in Python, where a mutable value in a managed dict is not updated in place.
 *
 * <p><b>Keys are compared by their serialized bytes</b> in the owner, which never deserializes them
 * (it may lack a task's classes). Strings, boxed primitives, enums and records or lists of those
 * serialize the same way whenever they are equal; a key whose serialized form depends on more than
 * its value (a {@code HashSet} whose iteration order differs, a class with a transient cache) may
 * not be found again. The expected values of {@link #replace(Object, Object, Object)} and
 * {@link #remove(Object, Object)} are compared the same way. Null keys and values are not allowed.
 *
 * <p>{@link #entrySet()}, {@link #keySet()}, {@link #values()}, iteration, {@code equals},
 * {@code hashCode} and {@code toString} work on a snapshot taken in one call; removing through
 * the snapshot's iterator or setting an entry's value writes through to the owner.
 *
 * @param <K> the keys' type
 * @param <V> the values' type
 */
public final class ManagedDict<K, V> extends AbstractMap<K, V> implements Serializable {

    private static final long serialVersionUID = 1L;

    private final transient ManagedHandle h;

    ManagedDict(IpcRef ref, ManagedBackend backend) {
        this.h = new ManagedHandle.Plain(ref, backend);
    }

    /** Serialized, a handle is its ref. */
    Object writeReplace() {
        return h.ref;
    }

    private static byte[] key(Object k) {
        return ManagedCodec.encode(k, "dict key");
    }

    private static byte[] value(Object v) {
        return ManagedCodec.encode(v, "dict value");
    }

    @SuppressWarnings("unchecked")
    private V valueOf(ManagedBackend.Reply r) {
        return r.frame() == null ? null : (V) ManagedCodec.decode(r.frame(), "dict value");
    }

    /**
     * A copy of the value for {@code key}, or null if there is none.
     *
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if {@code key} cannot be serialized
     * @throws IpcOwnerLostException if the owner is gone
     */
    @Override
    public V get(Object key) {
        return valueOf(h.now("get", key(key)));
    }

    /**
     * Stores a copy of {@code value} for {@code key}.
     *
     * @return the previous value, or null
     * @throws NullPointerException if {@code key} or {@code value} is null
     * @throws IllegalArgumentException if either cannot be serialized
     * @throws IpcOwnerLostException if the owner is gone
     */
    @Override
    public V put(K key, V value) {
        return valueOf(h.now("put", key(key), value(value)));
    }

    /**
     * Stores {@code value} if {@code key} has no value, atomically in the owner.
     *
     * @return the value already there, or null if {@code value} was stored
     * @throws NullPointerException if {@code key} or {@code value} is null
     * @throws IpcOwnerLostException if the owner is gone
     */
    @Override
    public V putIfAbsent(K key, V value) {
        return valueOf(h.now("putIfAbsent", key(key), value(value)));
    }

    /**
     * Replaces the value of {@code key} if it has one, atomically in the owner.
     *
     * @return the previous value, or null if there was none (nothing stored)
     * @throws NullPointerException if {@code key} or {@code value} is null
     * @throws IpcOwnerLostException if the owner is gone
     */
    @Override
    public V replace(K key, V value) {
        return valueOf(h.now("replace", key(key), value(value)));
    }

    /**
     * Replaces the value of {@code key} if it is (serialized, byte for byte) {@code oldValue},
     * atomically in the owner: a compare-and-set that makes lock-free updates possible.
     *
     * @return whether the value was replaced
     * @throws NullPointerException if an argument is null
     * @throws IpcOwnerLostException if the owner is gone
     */
    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        return h.now("cas", key(key), value(oldValue), value(newValue)).yes();
    }

    /**
     * Removes the value of {@code key}.
     *
     * @return the removed value, or null
     * @throws NullPointerException if {@code key} is null
     * @throws IpcOwnerLostException if the owner is gone
     */
    @Override
    public V remove(Object key) {
        return valueOf(h.now("remove", key(key)));
    }

    /**
     * Removes {@code key} if its value is (serialized, byte for byte) {@code value}, atomically.
     *
     * @return whether it was removed
     * @throws NullPointerException if an argument is null
     * @throws IpcOwnerLostException if the owner is gone
     */
    @Override
    public boolean remove(Object key, Object value) {
        return h.now("removeIfEq", key(key), value(value)).yes();
    }

    /**
     * Whether {@code key} has a value.
     *
     * @throws NullPointerException if {@code key} is null
     * @throws IpcOwnerLostException if the owner is gone
     */
    @Override
    public boolean containsKey(Object key) {
        return h.now("has", key(key)).yes();
    }

    /**
     * The number of keys.
     *
     * @throws IpcOwnerLostException if the owner is gone
     */
    @Override
    public int size() {
        return (int) h.now("size").n();
    }

    /**
     * Removes every key.
     *
     * @throws IpcOwnerLostException if the owner is gone
     */
    @Override
    public void clear() {
        h.now("clear");
    }

    /**
     * A local copy of all keys and values, taken in one call (Python's {@code d.copy()}), in the
     * order the keys were first stored.
     *
     * @throws IpcException if a key or value cannot be deserialized in this JVM
     * @throws IpcOwnerLostException if the owner is gone
     */
    @SuppressWarnings("unchecked")
    public Map<K, V> copy() {
        List<byte[]> parts = ManagedStoreCore.unpack(h.now("items").frame());
        Map<K, V> copy = new LinkedHashMap<>();
        for (int i = 0; i < parts.size(); i += 2) {
            copy.put((K) ManagedCodec.decode(parts.get(i), "dict key"),
                    (V) ManagedCodec.decode(parts.get(i + 1), "dict value"));
        }
        return copy;
    }

    /**
     * The entries of a snapshot ({@link #copy()}); its iterator's {@code remove} and its entries'
     * {@code setValue} write through to the owner.
     *
     * @throws IpcOwnerLostException if the owner is gone (when iterated)
     */
    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<K, V>> iterator() {
                Iterator<Map.Entry<K, V>> it = copy().entrySet().iterator();
                return new Iterator<>() {
                    private K last;

                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Map.Entry<K, V> next() {
                        Map.Entry<K, V> e = it.next();
                        last = e.getKey();
                        return new SimpleEntry<>(e) {
                            private static final long serialVersionUID = 1L;

                            @Override
                            public V setValue(V v) {
                                super.setValue(v);
                                return put(getKey(), v);
                            }
                        };
                    }

                    @Override
                    public void remove() {
                        if (last == null) {
                            throw new IllegalStateException("next() has not been called");
                        }
                        ManagedDict.this.remove(last);
                        last = null;
                    }
                };
            }

            @Override
            public int size() {
                return ManagedDict.this.size();
            }
        };
    }

    @Override
    public String toString() {
        return copy().toString();
    }
}
