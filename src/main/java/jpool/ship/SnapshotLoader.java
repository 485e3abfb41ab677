package jpool.ship;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;

/**
 * Worker side: the class loader of one {@link Shipment}. It defines the shipped classes from the
 * {@link CodeCache}'s bytes on first use, rewriting those with shipped static state so that their
 * static initializer sets the snapshot values instead of running the original code. Other classes
 * come from its parent: a loader over the shipped jars, whose parent is the worker's application
 * loader.
 *
 * <p>Tasks whose shipments have the same id share a loader; different snapshots get different
 * loaders, so their static state never mixes, even when they run at the same time.
 */
public final class SnapshotLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    private static final String CANCEL = StopCheckClass.NAME;

    private final Shipment shipment;
    private final CodeCache cache;
    private final ProtectionDomain domain;

    SnapshotLoader(Shipment shipment, CodeCache cache, ClassLoader parent) {
        super("jpool-snapshot-" + shipment.id().substring(0, 12), parent);
        this.shipment = shipment;
        this.cache = cache;
        this.domain = new ProtectionDomain(new CodeSource(null, (Certificate[]) null), null, this, null);
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
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                byte[] bytes = cache.definableBytes(name, hash, shipment.state().get(name));
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

    /** An object stream that resolves classes here; use it to read the task and its arguments. */
    public ObjectInputStream objectInput(InputStream in) throws IOException {
        return ShipObjectInputStream.forLoader(in, this);
    }

    /** Decodes a value encoded with {@link ValueCodec} (the task, an argument) with classes from here. */
    public Object decode(byte[] bytes) throws IOException, ClassNotFoundException {
        return ValueCodec.decode(bytes, this);
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

    Object staticValue(String className, String field) {
        Shipment.ClassState state = shipment.state().get(className);
        byte[] bytes = state == null ? null : state.values().get(field);
        if (bytes == null) {
            throw new IllegalStateException("no shipped value for " + className + "." + field);
        }
        try {
            return ValueCodec.decode(bytes, this);
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot decode the shipped value of "
                    + CaptureAnalyzer.display(className) + "." + field + ": " + e, e);
        }
    }
}
