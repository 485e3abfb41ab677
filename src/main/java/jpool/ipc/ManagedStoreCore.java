package jpool.ipc;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The owner's state of a managed dict or namespace: serialized keys mapped to serialized values, in
 * insertion order. The owner never deserializes them (it may lack a task's classes): keys are equal
 * when their serialized bytes are; so are the expected values of {@code replace(k, old, new)} and
 * {@code remove(k, v)}. A managed list is the same with positions for keys.
 */
final class ManagedStoreCore extends ManagedCore {

    /** Serialized bytes as a hash key. */
    private record Key(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    private final String kind;
    private final Map<Key, byte[]> map; // dict, namespace
    private final List<byte[]> list; // list

    ManagedStoreCore(String kind, boolean isList) {
        this.kind = kind;
        this.map = isList ? null : new LinkedHashMap<>();
        this.list = isList ? new ArrayList<>() : null;
    }

    private static Object orFalse(byte[] v) {
        return v == null ? Boolean.FALSE : v;
    }

    @Override
    Waiter invoke(String peer, String op, ManagedCodec.In a, boolean wait) {
        return Waiter.done(list == null ? dict(op, a) : list(op, a));
    }

    private Object dict(String op, ManagedCodec.In a) {
        switch (op) {
            case "get" -> {
                return orFalse(map.get(new Key(a.b())));
            }
            case "put" -> {
                Key k = new Key(a.b());
                return orFalse(map.put(k, a.b()));
            }
            case "putIfAbsent" -> {
                Key k = new Key(a.b());
                return orFalse(map.putIfAbsent(k, a.b()));
            }
            case "replace" -> {
                Key k = new Key(a.b());
                byte[] v = a.b();
                return map.containsKey(k) ? map.put(k, v) : Boolean.FALSE;
            }
            case "cas" -> {
                Key k = new Key(a.b());
                byte[] expected = a.b();
                byte[] v = a.b();
                byte[] now = map.get(k);
                if (now != null && Arrays.equals(now, expected)) {
                    map.put(k, v);
                    return Boolean.TRUE;
                }
                return Boolean.FALSE;
            }
            case "remove" -> {
                return orFalse(map.remove(new Key(a.b())));
            }
            case "removeIfEq" -> {
                Key k = new Key(a.b());
                byte[] expected = a.b();
                if (Arrays.equals(map.get(k), expected)) {
                    map.remove(k);
                    return Boolean.TRUE;
                }
                return Boolean.FALSE;
            }
            case "has" -> {
                return map.containsKey(new Key(a.b()));
            }
            case "size" -> {
                return (long) map.size();
            }
            case "clear" -> {
                map.clear();
                return Boolean.TRUE;
            }
            case "items" -> {
                List<byte[]> parts = new ArrayList<>(2 * map.size());
                map.forEach((k, v) -> {
                    parts.add(k.bytes());
                    parts.add(v);
                });
                return pack(parts);
            }
            default -> throw noOp(kind, op);
        }
    }

    private Object list(String op, ManagedCodec.In a) {
        switch (op) {
            case "get" -> {
                return list.get(a.i());
            }
            case "set" -> {
                int i = a.i();
                return list.set(i, a.b());
            }
            case "insert" -> {
                int i = a.i();
                list.add(i, a.b());
                return Boolean.TRUE;
            }
            case "append" -> {
                list.add(a.b());
                return Boolean.TRUE;
            }
            case "removeAt" -> {
                return list.remove(a.i());
            }
            case "size" -> {
                return (long) list.size();
            }
            case "clear" -> {
                list.clear();
                return Boolean.TRUE;
            }
            case "items" -> {
                return pack(list);
            }
            default -> throw noOp(kind, op);
        }
    }

    /** A count and length-prefixed byte strings. */
    static byte[] pack(Collection<byte[]> parts) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(parts.size());
            for (byte[] p : parts) {
                out.writeInt(p.length);
                out.write(p);
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@link #pack} wrote. */
    static List<byte[]> unpack(byte[] packed) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(packed);
        int n = b.getInt();
        List<byte[]> parts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] p = new byte[b.getInt()];
            b.get(p);
            parts.add(p);
        }
        return parts;
    }

    @Override
    boolean cancel(Waiter w) {
        return false; // nothing here waits
    }

    @Override
    void lost(String peer) {
        // nothing here is held by a process
    }
}
