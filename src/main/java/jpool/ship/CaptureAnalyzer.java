package jpool.ship;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import jpool.ship.ClassFacts.FieldRef;
import jpool.ship.ClassFacts.MethodFacts;
import jpool.ship.ClassFacts.MethodRef;
import jpool.ship.ClassFacts.StaticField;
import jpool.wire.PayloadCodec;

/**
 * Submitting side of code shipping: works out what a task written in notebook cells needs on a
 * worker, and encodes it.
 *
 * <p>For a task (a serializable lambda, or any serializable object whose class may be defined in
 * a cell) and its arguments, {@link #capture} serializes them, then computes
 * <ul>
 *   <li>the runtime-defined classes needed: the transitive closure over class references in the
 *       bytecode (constant pool, hence supertypes, descriptors, nest and inner classes), starting at
 *       the lambda's implementation method and the classes of captured values and arguments, kept
 *       to classes in the {@link ClassRegistry};</li>
 *   <li>the static state read: code reachable from the implementation method through calls into
 *       registry classes (and every instance method of registry classes that are instantiated or
 *       arrive as values) is scanned for static field reads of registry classes. Those fields'
 *       current values are read by reflection and encoded. Classes with a static initializer
 *       (other than enums and synthetic classes) contribute all their static fields, because the
 *       worker replaces the initializer by one that sets the snapshot.</li>
 * </ul>
 *
 * <p>Cost: class summaries are cached by content hash and closures by their roots (normally the
 * implementation method), so a repeated submission costs the serialization of the task and of the
 * values it reads. Thread-safe.
 */
public final class CaptureAnalyzer implements CodeShipper {

    private static final Pattern WRAPPER = Pattern.compile("REPL\\.\\$JShell\\$\\d+");
    private static final Pattern CELL_PREFIX = Pattern.compile("REPL\\.\\$JShell\\$\\d+\\$");
    /** The stop-check holder (JDK 22+) and the exit guard: their state is per JVM, never shipped. */
    private static final String CANCEL = StopCheckClass.NAME;

    private final ClassRegistry registry;
    private final JarSet jars;
    private final Map<String, ClassFacts> facts = new ConcurrentHashMap<>();
    private final Map<List<String>, Closure> closures = new ConcurrentHashMap<>();
    private final Map<FieldRef, Field> fields = new ConcurrentHashMap<>();

    /** @param registry where the kernel's execution engine records cell classes and jars */
    public CaptureAnalyzer(ClassRegistry registry) {
        this.registry = registry;
        this.jars = new JarSet();
    }

    /** The registry this analyzer reads. */
    public ClassRegistry registry() {
        return registry;
    }

    /**
     * Serializes a task and its arguments and computes its {@link Shipment}.
     *
     * @param task the function to run remotely; must be serializable
     * @param args arguments, each encoded on its own (so the pool can chunk them)
     * @throws NotShippableException with a message naming the value that cannot be sent
     */
    public Capture capture(Object task, List<?> args) {
        checkTaskType(task);
        Roots roots = new Roots();
        byte[] taskBytes;
        try {
            taskBytes = encode(task, roots);
        } catch (NotSerializableException e) {
            throw capturedValueError(task, e);
        } catch (IOException e) {
            throw new NotShippableException("The task could not be serialized: " + e, e);
        }
        List<byte[]> argBytes = new ArrayList<>(args.size());
        for (int i = 0; i < args.size(); i++) {
            Object arg = args.get(i);
            try {
                argBytes.add(encode(arg, roots));
            } catch (NotSerializableException e) {
                throw new NotShippableException("Argument " + (i + 1) + " of the task is of type " + typeName(arg)
                        + notSerializableTail(arg, e) + " Pass Serializable values (records and collections of "
                        + "them work), or build the value inside the task.", e);
            } catch (IOException e) {
                throw new NotShippableException("Argument " + (i + 1) + " could not be serialized: " + e, e);
            }
        }
        return analyse(roots, taskBytes, argBytes);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The submission's {@link Submission#finish()} gives a {@link Capture} without task and
     * argument bytes (the caller has encoded those itself).
     */
    @Override
    public Submission begin() {
        return new Roots();
    }

    private Capture analyse(Roots roots, byte[] taskBytes, List<byte[]> argBytes) {
        Set<String> keep = new TreeSet<>();
        List<String> warnings = new ArrayList<>();
        Map<FieldRef, byte[]> values = new HashMap<>();
        Closure closure;
        while (true) {
            int rootCount = roots.size();
            int keepCount = keep.size();
            closure = closure(roots.keys(), keep);
            for (FieldRef f : closure.reads) {
                if (values.containsKey(f)) {
                    continue;
                }
                Object value = readStatic(f);
                try {
                    values.put(f, encode(value, roots));
                } catch (IOException e) {
                    if (closure.stateClasses.contains(f.owner()) && !WRAPPER.matcher(f.owner()).matches()) {
                        keep.add(f.owner());
                        warnings.add("The static initializer of " + display(f.owner()) + " runs again on workers"
                                + " because its field " + f.name() + " holds a " + typeName(value)
                                + ", which is not Serializable.");
                        values.keySet().removeIf(k -> k.owner().equals(f.owner()));
                        break;
                    }
                    throw variableError(f, value, e);
                }
            }
            if (roots.size() == rootCount && keep.size() == keepCount) {
                break;
            }
        }

        Map<String, String> classes = new TreeMap<>();
        for (String c : closure.classes) {
            classes.put(c, registry.find(c).orElseThrow().hash());
        }
        Map<String, Shipment.ClassState> state = new TreeMap<>();
        List<String> reads = new ArrayList<>();
        for (String c : closure.stateClasses) {
            state.put(c, new Shipment.ClassState(true, null, new TreeMap<>()));
        }
        List<FieldRef> sortedReads = new ArrayList<>(closure.reads);
        sortedReads.sort(java.util.Comparator.comparing(FieldRef::owner).thenComparing(FieldRef::name));
        for (FieldRef f : sortedReads) {
            byte[] v = values.get(f);
            Shipment.ClassState s = state.get(f.owner());
            TreeMap<String, byte[]> map = s == null ? new TreeMap<>() : new TreeMap<>(s.values());
            map.put(f.name(), v);
            state.put(f.owner(), new Shipment.ClassState(s != null && s.replacesInitializer(), null, map));
            reads.add(WRAPPER.matcher(f.owner()).matches() ? f.name() : display(f.owner()) + "." + f.name());
        }
        // A class that gains a static initializer gets another default serialVersionUID: pin the kernel's.
        for (var e : state.entrySet()) {
            if (!e.getValue().replacesInitializer()) {
                Long suid = pinnedSuid(e.getKey());
                if (suid != null) {
                    e.setValue(new Shipment.ClassState(false, suid, e.getValue().values()));
                }
            }
        }
        threadOnlyWarnings(roots, sortedReads, warnings);
        Shipment shipment = new Shipment(classes, jars.refs(registry.classPathEntries()), state);
        return new Capture(shipment, taskBytes, argBytes, reads, warnings);
    }

    /**
     * Warns of each thread-only concurrency object the task carries (a copy on every worker): named
     * after the cell variable or static field it was read from where there is one.
     */
    private void threadOnlyWarnings(Roots roots, List<FieldRef> reads, List<String> warnings) {
        Set<Class<?>> unnamed = new LinkedHashSet<>(roots.threadOnly);
        int before = warnings.size();
        for (FieldRef f : reads) {
            Object value = readStatic(f);
            String advice = value == null ? null : ThreadOnlyValues.advice(value.getClass());
            if (advice != null) {
                unnamed.remove(value.getClass());
                String what = WRAPPER.matcher(f.owner()).matches() ? "Cell variable `" + f.name() + "`"
                        : "The static field " + display(f.owner()) + "." + f.name();
                warnings.add(ThreadOnlyValues.warning(what, value.getClass(), advice));
            }
        }
        // Queues and concurrent maps serialize their own locks and counters (a LinkedBlockingQueue holds an
        // AtomicInteger): beside a named value or a container, those are most likely its parts.
        if (warnings.size() > before || unnamed.isEmpty()) {
            return;
        }
        int lowest = unnamed.stream().mapToInt(ThreadOnlyValues::rank).min().orElseThrow();
        for (Class<?> c : unnamed) {
            if (ThreadOnlyValues.rank(c) == lowest) {
                warnings.add(ThreadOnlyValues.warning("A value the task captures", c, ThreadOnlyValues.advice(c)));
            }
        }
    }

    /** {@link #capture(Object, List)} with the arguments given inline. */
    public Capture capture(Object task, Object... args) {
        return capture(task, List.of(args));
    }

    /**
     * The bytes of a class or jar listed in a shipment this analyzer produced, by hash.
     *
     * @throws IllegalArgumentException if the hash is unknown
     */
    @Override
    public byte[] bytes(String hash) {
        var record = registry.findByHash(hash);
        if (record.isPresent()) {
            return record.get().bytes().clone();
        }
        byte[] jar = jars.bytes(hash);
        if (jar != null) {
            return jar;
        }
        throw new IllegalArgumentException("no class or jar with hash " + hash);
    }

    // ---------------------------------------------------------------- serialization

    /** The roots of a closure: cell classes of values, serialized lambdas, seen while encoding. */
    private final class Roots implements Submission {
        final Set<String> keys = new LinkedHashSet<>();
        final Set<Class<?>> threadOnly = new LinkedHashSet<>();

        @Override
        public Capture finish() {
            return analyse(this, null, List.of());
        }

        int size() {
            return keys.size();
        }

        List<String> keys() {
            List<String> sorted = new ArrayList<>(keys);
            sorted.sort(null);
            return sorted;
        }

        @Override
        public void classWritten(Class<?> c) {
            if (ThreadOnlyValues.advice(c) != null) {
                threadOnly.add(c);
            }
            while (c.isArray()) {
                c = c.getComponentType();
            }
            if (registry.contains(c.getName())) {
                keys.add("L " + c.getName());
            }
        }

        @Override
        public void lambdaWritten(SerializedLambda sl) {
            String owner = sl.getImplClass().replace('/', '.');
            keys.add("C " + sl.getCapturingClass().replace('/', '.'));
            keys.add("M " + owner + " " + sl.getImplMethodName() + " " + sl.getImplMethodSignature());
            if (sl.getImplMethodKind() == MethodHandleInfo.REF_newInvokeSpecial) {
                keys.add("L " + owner);
            }
        }
    }

    private byte[] encode(Object value, Roots roots) throws IOException {
        return PayloadCodec.encodeValue(value, roots);
    }

    // ---------------------------------------------------------------- errors

    private static boolean isLambda(Class<?> c) {
        return c.isSynthetic() && c.getName().contains("$$Lambda");
    }

    private void checkTaskType(Object task) {
        if (task == null) {
            throw new NotShippableException("The task is null.");
        }
        Class<?> c = task.getClass();
        if (task instanceof Serializable) {
            return;
        }
        if (isLambda(c)) {
            String iface = c.getInterfaces().length > 0 ? c.getInterfaces()[0].getName() : "its interface";
            throw new NotShippableException("The task is a lambda of type " + iface + ", which is not Serializable,"
                    + " so it cannot be sent to a worker. Declare it with one of the pool's function types (they are"
                    + " Serializable), or cast it: (" + iface + " & java.io.Serializable) x -> ...");
        }
        throw new NotShippableException("The task is of type " + display(c.getName()) + ", which is not Serializable,"
                + " so it cannot be sent to a worker. Implement java.io.Serializable, or submit a lambda typed as one"
                + " of the pool's function types.");
    }

    private NotShippableException capturedValueError(Object task, NotSerializableException e) {
        SerializedLambda sl = serializedLambda(task);
        if (sl != null) {
            for (int i = 0; i < sl.getCapturedArgCount(); i++) {
                Object v = sl.getCapturedArg(i);
                try {
                    PayloadCodec.encodeValue(v);
                } catch (IOException inner) {
                    String what = i == 0 && sl.getImplMethodKind() != MethodHandleInfo.REF_invokeStatic
                            && sl.getImplMethodKind() != MethodHandleInfo.REF_newInvokeSpecial
                            && !sl.getImplMethodName().startsWith("lambda$")
                            ? "is a method reference bound to a value" : "captures a value";
                    return new NotShippableException("The task " + what + " of type " + typeName(v)
                            + notSerializableTail(v, inner) + " Make that type Serializable, or create the value"
                            + " inside the task instead of capturing it.", e);
                }
            }
        }
        return new NotShippableException("The task (of type " + display(task.getClass().getName()) + ") holds a "
                + display(e.getMessage()) + ", which is not Serializable. Make that type Serializable, or create the"
                + " value inside the task instead of capturing it.", e);
    }

    private NotShippableException variableError(FieldRef f, Object value, IOException e) {
        String what = WRAPPER.matcher(f.owner()).matches()
                ? "cell variable `" + f.name() + "`"
                : "static field `" + display(f.owner()) + "." + f.name() + "`";
        if (e instanceof NotSerializableException) {
            return new NotShippableException("The task reads " + what + " of type " + typeName(value)
                    + notSerializableTail(value, e) + " Make the value Serializable, or create it inside the task.", e);
        }
        return new NotShippableException("The task reads " + what + " of type " + typeName(value)
                + ", which could not be serialized: " + e, e);
    }

    private static String notSerializableTail(Object value, IOException e) {
        String bad = e instanceof NotSerializableException ? e.getMessage() : null;
        if (bad == null || value == null || bad.equals(value.getClass().getName())) {
            return ", which is not Serializable.";
        }
        return ", which contains a " + display(bad) + ", which is not Serializable.";
    }

    private static String typeName(Object value) {
        return value == null ? "null" : display(value.getClass().getName());
    }

    /** A class name as the user wrote it: {@code REPL.$JShell$12$Point} becomes {@code Point}. */
    static String display(String binaryName) {
        if (binaryName == null) {
            return "?";
        }
        String s = CELL_PREFIX.matcher(binaryName).replaceFirst("");
        return WRAPPER.matcher(s).matches() ? "a cell" : s.replace('$', '.');
    }

    static SerializedLambda serializedLambda(Object task) {
        if (!(task instanceof Serializable)) {
            return null;
        }
        try {
            Method m = task.getClass().getDeclaredMethod("writeReplace");
            m.setAccessible(true);
            return m.invoke(task) instanceof SerializedLambda sl ? sl : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- static values

    private Object readStatic(FieldRef f) {
        Field field = fields.computeIfAbsent(f, k -> {
            var record = registry.find(k.owner()).orElseThrow();
            try {
                Class<?> c = Class.forName(k.owner(), true, record.loader());
                Field fld = c.getDeclaredField(k.name());
                fld.setAccessible(true);
                return fld;
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                throw new NotShippableException("Cannot read " + display(k.owner()) + "." + k.name()
                        + " to send it to workers: " + e, e);
            }
        });
        try {
            return field.get(null);
        } catch (IllegalAccessException e) {
            throw new NotShippableException("Cannot read " + display(f.owner()) + "." + f.name() + ": " + e, e);
        }
    }

    private Long pinnedSuid(String className) {
        ClassFacts cf = facts(className);
        if (cf.declaresSerialVersionUid) {
            return null;
        }
        try {
            Class<?> c = Class.forName(className, false, registry.find(className).orElseThrow().loader());
            if (!Serializable.class.isAssignableFrom(c) || c.isRecord() || c.isEnum()) {
                return null;
            }
            ObjectStreamClass osc = ObjectStreamClass.lookup(c);
            return osc == null ? null : osc.getSerialVersionUID();
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- closure

    private ClassFacts facts(String name) {
        var record = registry.find(name).orElseThrow();
        return facts.computeIfAbsent(record.hash(), h -> ClassFacts.of(record.bytes(), h));
    }

    /** The result of a walk: classes to ship, fields to snapshot, classes whose initializer is replaced. */
    private record Closure(Set<String> classes, Set<FieldRef> reads, Set<String> stateClasses) {
    }

    private Closure closure(List<String> roots, Set<String> keep) {
        List<String> key = new ArrayList<>(roots);
        for (String k : keep) {
            key.add("K " + k);
        }
        Closure cached = closures.get(key);
        if (cached != null) {
            return cached;
        }
        Walk w = new Walk(keep);
        for (String r : roots) {
            String[] p = r.split(" ");
            switch (p[0]) {
                case "C" -> w.cls(p[1]);
                case "L" -> w.live(p[1]);
                case "M" -> w.call(new MethodRef(p[1].replace('/', '.'), p[2], p[3]));
                default -> throw new IllegalStateException(r);
            }
        }
        w.drain();
        Closure c = new Closure(Set.copyOf(w.classes), Set.copyOf(w.reads), Set.copyOf(w.stateClasses));
        if (closures.size() > 10_000) {
            closures.clear();
        }
        closures.put(List.copyOf(key), c);
        return c;
    }

    /** One reachability walk; see the class comment for the rules. */
    private final class Walk {
        final Set<String> keep;
        final Set<String> classes = new TreeSet<>();
        final Set<String> live = new HashSet<>();
        final Set<String> touched = new HashSet<>();
        final Set<String> visited = new HashSet<>();
        final Set<FieldRef> reads = new LinkedHashSet<>();
        final Set<String> stateClasses = new TreeSet<>();
        final ArrayDeque<Runnable> work = new ArrayDeque<>();

        Walk(Set<String> keep) {
            this.keep = keep;
        }

        void drain() {
            Runnable r;
            while ((r = work.poll()) != null) {
                r.run();
            }
        }

        boolean keepsInitializer(ClassFacts f) {
            return f.isEnum() || f.isSynthetic() || keep.contains(f.name) || f.name.equals(CANCEL)
                    || f.name.equals(ExitGuardClass.NAME);
        }

        void cls(String n) {
            if (!registry.contains(n) || !classes.add(n)) {
                return;
            }
            for (String r : facts(n).referenced) {
                if (registry.contains(r) && !classes.contains(r)) {
                    work.add(() -> cls(r));
                }
            }
        }

        void live(String n) {
            if (!registry.contains(n) || !live.add(n)) {
                return;
            }
            cls(n);
            touch(n);
            ClassFacts f = facts(n);
            for (MethodFacts m : f.methods.values()) {
                if (!m.isStatic() && !m.isAbstract()) {
                    method(n, m);
                }
            }
            for (String s : f.supertypes()) {
                work.add(() -> live(s));
            }
        }

        void touch(String n) {
            if (!registry.contains(n) || !touched.add(n)) {
                return;
            }
            cls(n);
            ClassFacts f = facts(n);
            if (f.hasStaticInitializer()) {
                if (keepsInitializer(f)) {
                    method(n, f.method("<clinit>", "()V"));
                } else {
                    stateClasses.add(n);
                    for (StaticField sf : f.staticFields.values()) {
                        if (!sf.constant()) {
                            reads.add(new FieldRef(n, sf.name()));
                        }
                    }
                }
            }
            for (String s : f.supertypes()) {
                work.add(() -> touch(s));
            }
        }

        void call(MethodRef ref) {
            String owner = declaringClass(ref.owner(), ref.key(), new HashSet<>());
            if (owner != null) {
                method(owner, facts(owner).methods.get(ref.key()));
            }
        }

        private String declaringClass(String c, String key, Set<String> seen) {
            if (c == null || !registry.contains(c) || !seen.add(c)) {
                return null;
            }
            ClassFacts f = facts(c);
            if (f.methods.containsKey(key)) {
                return c;
            }
            for (String s : f.supertypes()) {
                String d = declaringClass(s, key, seen);
                if (d != null) {
                    return d;
                }
            }
            return null;
        }

        private String fieldDeclaringClass(String c, String name, Set<String> seen) {
            if (c == null || !registry.contains(c) || !seen.add(c)) {
                return null;
            }
            ClassFacts f = facts(c);
            if (f.staticFields.containsKey(name)) {
                return c;
            }
            for (String s : f.supertypes()) {
                String d = fieldDeclaringClass(s, name, seen);
                if (d != null) {
                    return d;
                }
            }
            return null;
        }

        void method(String owner, MethodFacts m) {
            if (m == null || !visited.add(owner + "." + m.name + m.desc)) {
                return;
            }
            cls(owner);
            for (FieldRef r : m.reads) {
                work.add(() -> read(r));
            }
            for (MethodRef c : m.calls) {
                if (registry.contains(c.owner())) {
                    work.add(() -> call(c));
                }
            }
            for (String n : m.instantiates) {
                if (registry.contains(n)) {
                    work.add(() -> live(n));
                }
            }
            for (String n : m.initializes) {
                if (registry.contains(n)) {
                    work.add(() -> touch(n));
                }
            }
        }

        void read(FieldRef r) {
            String decl = fieldDeclaringClass(r.owner(), r.name(), new HashSet<>());
            if (decl == null) {
                return;
            }
            touch(decl);
            ClassFacts f = facts(decl);
            if (keepsInitializer(f)) {
                return;
            }
            StaticField sf = f.staticFields.get(r.name());
            if (sf == null || sf.constant()) {
                return;
            }
            reads.add(new FieldRef(decl, r.name()));
        }
    }

    // ---------------------------------------------------------------- jars

    /** Hashes of class-path additions, cached by path, size and modification time. */
    private static final class JarSet {
        private record Stamp(long size, long modified, String hash) {
        }

        private final Map<String, Stamp> stamps = new ConcurrentHashMap<>();
        private final Map<String, java.nio.file.Path> byHash = new ConcurrentHashMap<>();
        private final Map<String, byte[]> packed = new ConcurrentHashMap<>();

        List<Shipment.JarRef> refs(List<java.nio.file.Path> entries) {
            List<Shipment.JarRef> out = new ArrayList<>(entries.size());
            for (java.nio.file.Path p : entries) {
                try {
                    if (java.nio.file.Files.isRegularFile(p)) {
                        long size = java.nio.file.Files.size(p);
                        long mod = java.nio.file.Files.getLastModifiedTime(p).toMillis();
                        Stamp s = stamps.get(p.toString());
                        if (s == null || s.size != size || s.modified != mod) {
                            s = new Stamp(size, mod, ClassRegistry.sha256(java.nio.file.Files.readAllBytes(p)));
                            stamps.put(p.toString(), s);
                        }
                        byHash.put(s.hash, p);
                        out.add(new Shipment.JarRef(p.toString(), s.hash));
                    } else if (java.nio.file.Files.isDirectory(p)) {
                        byte[] jar = JarPacker.pack(p);
                        String h = ClassRegistry.sha256(jar);
                        packed.putIfAbsent(h, jar);
                        out.add(new Shipment.JarRef(p.toString(), h));
                    }
                } catch (IOException e) {
                    throw new NotShippableException("Cannot read class-path entry " + p + " to send it to workers: "
                            + e, e);
                }
            }
            return out;
        }

        byte[] bytes(String hash) {
            byte[] p = packed.get(hash);
            if (p != null) {
                return p.clone();
            }
            java.nio.file.Path path = byHash.get(hash);
            if (path == null) {
                return null;
            }
            try {
                byte[] b = java.nio.file.Files.readAllBytes(path);
                if (!ClassRegistry.sha256(b).equals(hash)) {
                    throw new IllegalStateException(path + " changed since it was listed in a shipment");
                }
                return b;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
