package jpool.ship;

import java.io.IOException;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import jpool.wire.PayloadCodec;
import jpool.wire.PayloadInputStream;

/**
 * Worker side: the class loader of one {@link Shipment}. It defines the shipped classes from the
 * {@link CodeCache}'s bytes on first use, rewriting those with shipped static state so that their
 * static initializer sets the snapshot values instead of running the original code. Other classes
 * come from its parent: a loader over the shipped jars, whose parent is the worker's application
 * loader.
 *
 * <p>Tasks whose shipments have the same id share a loader; different snapshots get different
 * loaders, so their static state never mixes, even when they run at the same time. Jobs that share a
 * loader each start from the shipped values: when a job other than the first comes to this loader
 * ({@link #enterJob}), the static state of the classes defined so far is set back to the snapshot,
 * so what one job's tasks wrote to a cell variable on this worker is not what the next job reads.
 * Tasks of one job on one worker do see each other's writes (the worker's copy is one per job).
 *
 * <p>The one exception is the worker's globals: the loader of the pool initializer's shipment
 * ({@link CodeCache#workerGlobals}). A task loader does not define a class that the initializer's
 * shipment lists with the same bytes; it hands that class to the initializer's loader, so every
 * task on the worker sees the one copy of it, with the static state the initializer left (its
 * values at pool start, then whatever the initializer and earlier tasks did to them). The task's
 * own snapshot values for such a class are not used. JDK 25's stop-check holder stays per loader.
 */
public final class SnapshotLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    private static final String CANCEL = StopCheckClass.NAME;

    private final Shipment shipment;
    private final CodeCache cache;
    private final SnapshotLoader globals;
    private final boolean isGlobals;
    private final ProtectionDomain domain;
    /** The globals loader's unchanged copies, read only for their serialVersionUID; made when needed. */
    private volatile Original original;
    /** Jobs that have come to this loader and are not finished; guarded by itself. */
    private final java.util.Set<Long> jobs = new java.util.HashSet<>();
    /** Whether any job has come to this loader yet; guarded by {@link #jobs}. */
    private boolean used;

    /**
     * @param globals the loader of the worker's globals (the initializer's shipment) that this task
     *     loader shares classes with, or null
     * @param isGlobals whether this is the globals loader: it defines its classes opened up
     *     ({@link AccessOpener}) so that task loaders can use them
     */
    SnapshotLoader(Shipment shipment, CodeCache cache, ClassLoader parent, SnapshotLoader globals, boolean isGlobals) {
        super((isGlobals ? "jpool-globals-" : "jpool-snapshot-") + shipment.id().substring(0, 12), parent);
        this.shipment = shipment;
        this.cache = cache;
        this.globals = globals;
        this.isGlobals = isGlobals;
        this.domain = new ProtectionDomain(new CodeSource(null, (Certificate[]) null), null, this, null);
    }

    /**
     * Whether a task shipment that lists {@code name} with {@code hash} uses the worker-global copy
     * of that class, the one defined from {@code globals} (the initializer's shipment).
     */
    static boolean sharedWith(Shipment globals, String name, String hash) {
        return globals != null && hash.equals(globals.classes().get(name)) && !name.equals(CANCEL);
    }

    /** The shipment whose classes this loader defines. */
    public Shipment shipment() {
        return shipment;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        String hash = shipment.classes().get(name);
        if (hash == null) {
            return super.loadClass(name, resolve);
        }
        if (globals != null && sharedWith(globals.shipment, name, hash)) {
            return globals.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                byte[] bytes = cache.definableBytes(name, hash, shipment.state().get(name));
                if (isGlobals) {
                    bytes = AccessOpener.open(bytes, () -> originalSuid(name));
                }
                c = defineClass(name, bytes, 0, bytes.length, domain);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        throw new ClassNotFoundException(name);
    }

    /**
     * The default serialVersionUID of a shipped class as the kernel has it, computed by the JDK on
     * an unchanged copy (defined, never initialized, by a side loader); null when the class is not
     * serializable or is a record or an enum, which do not need one pinned.
     */
    private Long originalSuid(String name) {
        Original o = original;
        if (o == null) {
            synchronized (this) {
                o = original;
                if (o == null) {
                    o = new Original(this);
                    original = o;
                }
            }
        }
        try {
            Class<?> c = Class.forName(name, false, o);
            if (!java.io.Serializable.class.isAssignableFrom(c) || c.isRecord() || c.isEnum()) {
                return null;
            }
            java.io.ObjectStreamClass osc = java.io.ObjectStreamClass.lookup(c);
            return osc == null ? null : osc.getSerialVersionUID();
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("cannot compute the serialVersionUID of " + CaptureAnalyzer.display(name)
                    + " for the worker's globals: " + e, e);
        }
    }

    /** Defines a shipment's classes exactly as received, for {@link #originalSuid}. */
    private static final class Original extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        private final SnapshotLoader of;

        Original(SnapshotLoader of) {
            super("jpool-original-" + of.shipment.id().substring(0, 12), of.getParent());
            this.of = of;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            String hash = of.shipment.classes().get(name);
            if (hash == null) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    byte[] bytes = of.cache.originalBytes(name, hash);
                    c = defineClass(name, bytes, 0, bytes.length, of.domain);
                }
                return c;
            }
        }
    }

    /**
     * Decodes a value encoded with {@link PayloadCodec#encodeValue} with classes from here, within
     * the cache's limits.
     */
    public Object decode(byte[] bytes) throws IOException, ClassNotFoundException {
        return PayloadCodec.decodeValue(bytes, PayloadInputStream.ClassResolver.of(this), cache.limits());
    }

    /**
     * On JDK 25 and later, cell code checks a stop flag at every method entry and loop; this sets
     * that flag in this loader's copy, so running cell code of this snapshot throws
     * {@code ThreadDeath}. Returns whether there was a flag to set. Affects every task of this
     * snapshot.
     */
    public boolean requestStop() {
        Class<?> c = findLoadedClass(CANCEL);
        if (c == null) {
            return false;
        }
        try {
            c.getField("allStop").setBoolean(null, true);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Called before each unit of job {@code jobId} runs with this loader: the first unit of a job that
     * is not the loader's first sets the static state of the shipped classes defined so far back to the
     * snapshot values (classes defined later take them from their static initializer anyway).
     *
     * @throws IllegalStateException if a shipped value cannot be decoded or set
     */
    public void enterJob(long jobId) {
        if (isGlobals) {
            return; // the worker's globals keep what the initializer and earlier tasks left
        }
        synchronized (jobs) {
            if (!jobs.add(jobId)) {
                return;
            }
            if (!used) {
                used = true;
                return;
            }
            restoreStaticState();
        }
    }

    /** The job has finished on this worker: forgets it (see {@link #enterJob}). */
    public void jobDone(long jobId) {
        synchronized (jobs) {
            jobs.remove(jobId);
        }
    }

    private void restoreStaticState() {
        for (var entry : shipment.state().entrySet()) {
            String name = entry.getKey();
            if (globals != null && sharedWith(globals.shipment, name, shipment.classes().getOrDefault(name, ""))) {
                continue; // the worker's globals keep what the initializer and earlier tasks left
            }
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                continue;
            }
            for (String field : entry.getValue().values().keySet()) {
                try {
                    java.lang.reflect.Field f = c.getDeclaredField(field);
                    int mod = f.getModifiers();
                    if (!java.lang.reflect.Modifier.isStatic(mod) || java.lang.reflect.Modifier.isFinal(mod)) {
                        continue;
                    }
                    f.setAccessible(true);
                    f.set(null, staticValue(name, field));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new IllegalStateException("cannot restore the shipped value of "
                            + CaptureAnalyzer.display(name) + "." + field + " for a new job: " + e, e);
                }
            }
        }
    }

    Object staticValue(String className, String field) {
        Shipment.ClassState state = shipment.state().get(className);
        byte[] bytes = state == null ? null : state.values().get(field);
        if (bytes == null) {
            throw new IllegalStateException("no shipped value for " + className + "." + field);
        }
        try {
            return decode(bytes);
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot decode the shipped value of "
                    + CaptureAnalyzer.display(className) + "." + field + ": " + e, e);
        }
    }
}
