package jpool.ipc;

import java.io.Serializable;
import java.util.Set;

/**
 * Named attributes held by the owner JVM and usable from every process that receives them (Python's
 * {@code Manager().Namespace()}, where one writes {@code ns.x = 1}): here {@code ns.set("x", 1)} and
 * {@code ns.get("x")}. Values are copies, as in {@link ManagedDict}: {@code ns.get("l").add(y)} does
 * not change the stored value (Python's docs make the same point). Each call is atomic in the owner.
 */
public final class ManagedNamespace implements Serializable {

    private static final long serialVersionUID = 1L;

    private final transient ManagedDict<String, Object> attrs;
    private final transient IpcRef ref;

    ManagedNamespace(IpcRef ref, ManagedBackend backend) {
        this.ref = ref;
        this.attrs = new ManagedDict<>(ref, backend);
    }

    /** Serialized, a handle is its ref. */
    Object writeReplace() {
        return ref;
    }

    private static String check(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a namespace attribute needs a non-empty name");
        }
        return name;
    }

    /**
     * A copy of the attribute's value.
     *
     * @throws java.util.NoSuchElementException if the attribute is not set (Python's AttributeError)
     * @throws IllegalArgumentException if {@code name} is null or empty
     * @throws IpcOwnerLostException if the owner is gone
     */
    @SuppressWarnings("unchecked")
    public <T> T get(String name) {
        Object v = attrs.get(check(name));
        if (v == null) {
            throw new java.util.NoSuchElementException("the managed namespace has no attribute '" + name + "'");
        }
        return (T) v;
    }

    /**
     * A copy of the attribute's value, or {@code otherwise} if it is not set.
     *
     * @throws IllegalArgumentException if {@code name} is null or empty
     * @throws IpcOwnerLostException if the owner is gone
     */
    @SuppressWarnings("unchecked")
    public <T> T get(String name, T otherwise) {
        Object v = attrs.get(check(name));
        return v == null ? otherwise : (T) v;
    }

    /**
     * Sets the attribute to a copy of {@code value}.
     *
     * @throws IllegalArgumentException if {@code name} is null or empty, or {@code value} cannot be serialized
     * @throws NullPointerException if {@code value} is null
     * @throws IpcOwnerLostException if the owner is gone
     */
    public void set(String name, Object value) {
        attrs.put(check(name), value);
    }

    /**
     * Removes the attribute (Python's {@code del ns.x}).
     *
     * @return whether it was set
     * @throws IllegalArgumentException if {@code name} is null or empty
     * @throws IpcOwnerLostException if the owner is gone
     */
    public boolean remove(String name) {
        return attrs.remove(check(name)) != null;
    }

    /**
     * Whether the attribute is set.
     *
     * @throws IllegalArgumentException if {@code name} is null or empty
     * @throws IpcOwnerLostException if the owner is gone
     */
    public boolean has(String name) {
        return attrs.containsKey(check(name));
    }

    /**
     * The names of the attributes set now (a copy).
     *
     * @throws IpcOwnerLostException if the owner is gone
     */
    public Set<String> names() {
        return attrs.copy().keySet();
    }

    /** The attributes as Python prints a namespace: {@code Namespace(x=1, y='a')}, roughly. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Namespace(");
        String sep = "";
        for (var e : attrs.copy().entrySet()) {
            b.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = ", ";
        }
        return b.append(')').toString();
    }
}
