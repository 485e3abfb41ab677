package jpool.ship;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a worker needs, besides the task bytes, to run a task written in notebook cells: the
 * runtime-defined classes it may load (binary name to content hash), the jars added to the
 * kernel's class path (path and hash), and a snapshot of the static state the task reads (cell
 * variables and the static fields of cell classes whose static initializer is not re-run).
 *
 * <p>Class and jar bytes are not inside: a worker fetches each hash once ({@link CodeCache#missing})
 * and keeps it. The {@link #id() id} is the SHA-256 of the encoded content, so two tasks with the
 * same code and the same variable values share one id, and a worker one class loader.
 *
 * <p>Immutable; {@link #encode()} and {@link #decode(byte[])} give a compact binary form.
 */
public final class Shipment {

    private static final int MAGIC = 0x4A505348; // "JPSH"
    private static final int VERSION = 1;
    private static final HexFormat HEX = HexFormat.of();

    /** A jar (or a folder packed as a jar) added to the kernel's class path at run time. */
    public record JarRef(String path, String hash) {
        public JarRef {
            Objects.requireNonNull(path);
            Objects.requireNonNull(hash);
        }
    }

    /**
     * The shipped static state of one class.
     *
     * @param replacesInitializer whether the class's own static initializer is replaced (not run
     *     on the worker); when false the class had none
     * @param serialVersionUid the kernel-side stream id to pin when the rewritten class would
     *     otherwise compute another one, or null
     * @param values field name to the value encoded with {@link jpool.wire.PayloadCodec#encodeValue}
     */
    public record ClassState(boolean replacesInitializer, Long serialVersionUid, SortedMap<String, byte[]> values) {
        public ClassState {
            values = Collections.unmodifiableSortedMap(new TreeMap<>(values));
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof ClassState other)) {
                return false;
            }
            if (replacesInitializer != other.replacesInitializer
                    || !Objects.equals(serialVersionUid, other.serialVersionUid)
                    || !values.keySet().equals(other.values.keySet())) {
                return false;
            }
            for (var e : values.entrySet()) {
                if (!Arrays.equals(e.getValue(), other.values.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            return Objects.hash(replacesInitializer, serialVersionUid, values.keySet());
        }
    }

    private final SortedMap<String, String> classes;
    private final List<JarRef> jars;
    private final SortedMap<String, ClassState> state;
    private final byte[] body;
    private final String id;

    /**
     * @param classes binary name to lower-case hex SHA-256 of the class file
     * @param jars class-path additions in class-path order
     * @param state static state by class binary name; every class named must be in {@code classes}
     */
    public Shipment(Map<String, String> classes, List<JarRef> jars, Map<String, ClassState> state) {
        this.classes = Collections.unmodifiableSortedMap(new TreeMap<>(classes));
        this.jars = List.copyOf(jars);
        this.state = Collections.unmodifiableSortedMap(new TreeMap<>(state));
        for (String c : this.state.keySet()) {
            if (!this.classes.containsKey(c)) {
                throw new IllegalArgumentException("state for " + c + ", which is not shipped");
            }
        }
        this.body = encodeBody();
        this.id = ClassRegistry.sha256(body);
    }

    /** Hash of all content; equal ids mean equal shipments. */
    public String id() {
        return id;
    }

    /** Binary name to class-file hash, sorted by name. */
    public SortedMap<String, String> classes() {
        return classes;
    }

    /** Added class-path entries, in order. */
    public List<JarRef> jars() {
        return jars;
    }

    /** Static state snapshot by class binary name. */
    public SortedMap<String, ClassState> state() {
        return state;
    }

    /** Every class and jar hash listed, classes first. */
    public Set<String> hashes() {
        Set<String> out = new LinkedHashSet<>(classes.values());
        for (JarRef j : jars) {
            out.add(j.hash());
        }
        return out;
    }

    /** Size of the snapshot values in bytes (what a task pays for the variables it reads). */
    public int stateBytes() {
        int n = 0;
        for (ClassState s : state.values()) {
            for (byte[] v : s.values().values()) {
                n += v.length;
            }
        }
        return n;
    }

    /**
     * The static fields whose values this task shipment carries for classes that are the worker's
     * globals (classes {@code globals}, the pool initializer's shipment, lists with the same bytes;
     * see {@link SnapshotLoader}), where {@code globals} carried another value: the kernel changed
     * them after the pool started. On a worker the task reads the worker's value of such a field, not
     * the one carried here. Fields that {@code globals} carries no value for are not reported (their
     * value at pool start is unknown). Names are as written in cells: a cell variable's name, or
     * {@code Class.field}.
     */
    public List<String> valuesHiddenByWorkerGlobals(Shipment globals) {
        List<String> out = new java.util.ArrayList<>();
        for (var e : state.entrySet()) {
            String name = e.getKey();
            if (!SnapshotLoader.sharedWith(globals, name, classes.get(name))) {
                continue;
            }
            ClassState theirs = globals.state.get(name);
            if (theirs == null) {
                continue;
            }
            for (var v : e.getValue().values().entrySet()) {
                byte[] atStart = theirs.values().get(v.getKey());
                if (atStart != null && !Arrays.equals(atStart, v.getValue())) {
                    String display = CaptureAnalyzer.display(name);
                    out.add("a cell".equals(display) ? v.getKey() : display + "." + v.getKey());
                }
            }
        }
        return out;
    }

    /** The compact binary form: magic, version, id, then the content. */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length + 40);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeByte(VERSION);
            out.write(HEX.parseHex(id));
            out.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes {@link #encode()}'s output, checking the id against the content.
     *
     * @throws IllegalArgumentException if the bytes are not a valid shipment
     */
    public static Shipment decode(byte[] bytes) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a shipment");
            }
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("unsupported shipment version " + version);
            }
            byte[] id = in.readNBytes(32);
            TreeMap<String, String> classes = new TreeMap<>();
            int n = count(in);
            for (int i = 0; i < n; i++) {
                classes.put(in.readUTF(), hash(in));
            }
            n = count(in);
            JarRef[] jars = new JarRef[n];
            for (int i = 0; i < n; i++) {
                jars[i] = new JarRef(in.readUTF(), hash(in));
            }
            TreeMap<String, ClassState> state = new TreeMap<>();
            n = count(in);
            for (int i = 0; i < n; i++) {
                String cls = in.readUTF();
                int flags = in.readUnsignedByte();
                Long suid = (flags & 2) != 0 ? in.readLong() : null;
                TreeMap<String, byte[]> values = new TreeMap<>();
                int m = count(in);
                for (int j = 0; j < m; j++) {
                    String field = in.readUTF();
                    int len = count(in);
                    byte[] v = in.readNBytes(len);
                    if (v.length != len) {
                        throw new IllegalArgumentException("truncated shipment");
                    }
                    values.put(field, v);
                }
                state.put(cls, new ClassState((flags & 1) != 0, suid, values));
            }
            if (in.available() != 0) {
                throw new IllegalArgumentException("trailing bytes after shipment");
            }
            Shipment s = new Shipment(classes, List.of(jars), state);
            if (!s.id.equals(HEX.formatHex(id))) {
                throw new IllegalArgumentException("shipment id does not match its content");
            }
            return s;
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated or malformed shipment", e);
        }
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1 << 28) {
            throw new IllegalArgumentException("bad count " + n);
        }
        return n;
    }

    private static String hash(DataInputStream in) throws IOException {
        byte[] h = in.readNBytes(32);
        if (h.length != 32) {
            throw new IOException("truncated hash");
        }
        return HEX.formatHex(h);
    }

    private byte[] encodeBody() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + classes.size() * 56);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(classes.size());
            for (var e : classes.entrySet()) {
                out.writeUTF(e.getKey());
                out.write(HEX.parseHex(e.getValue()));
            }
            out.writeInt(jars.size());
            for (JarRef j : jars) {
                out.writeUTF(j.path());
                out.write(HEX.parseHex(j.hash()));
            }
            out.writeInt(state.size());
            for (var e : state.entrySet()) {
                ClassState s = e.getValue();
                out.writeUTF(e.getKey());
                out.writeByte((s.replacesInitializer() ? 1 : 0) | (s.serialVersionUid() != null ? 2 : 0));
                if (s.serialVersionUid() != null) {
                    out.writeLong(s.serialVersionUid());
                }
                out.writeInt(s.values().size());
                for (var v : s.values().entrySet()) {
                    out.writeUTF(v.getKey());
                    out.writeInt(v.getValue().length);
                    out.write(v.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shipment s && s.id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "Shipment[" + id.substring(0, 12) + ", " + classes.size() + " classes, " + jars.size() + " jars, "
                + state.size() + " classes with state, " + stateBytes() + " state bytes]";
    }
}
