package jpool.ship;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.util.Objects;

/**
 * An {@link ObjectInputStream} that resolves classes through a chosen strategy instead of the
 * caller's loader, and always applies a size/depth {@link ObjectInputFilter}.
 *
 * <ul>
 *   <li>{@link #forLoader}: the worker side. Classes resolve through a {@link SnapshotLoader}
 *       (shipped cell classes, then shipped jars, then the worker's class path); a serialized
 *       lambda's capturing class resolves there too, so its {@code $deserializeLambda$} runs.</li>
 *   <li>{@link #forRegistry}: the submitting side. Classes recorded in a {@link ClassRegistry}
 *       resolve through the loader that defined them in the kernel, so results and exceptions of
 *       cell-defined types are instances of the kernel's own classes.</li>
 * </ul>
 */
public final class ShipObjectInputStream extends ObjectInputStream {

    /** Finds a class by binary name. */
    @FunctionalInterface
    public interface Resolver {
        Class<?> resolve(String name) throws ClassNotFoundException;
    }

    /**
     * Limits applied to every stream.
     *
     * @param maxBytes most bytes read from the stream
     * @param maxDepth deepest object nesting
     * @param maxRefs most object references
     * @param maxArray longest array
     */
    public record Limits(long maxBytes, long maxDepth, long maxRefs, long maxArray) {
        /** Generous defaults for task data: 2 GiB, depth 5,000, 100 million references and array length. */
        public static final Limits DEFAULT = new Limits(2L << 30, 5_000, 100_000_000, 100_000_000);

        ObjectInputFilter filter() {
            return info -> {
                if (info.streamBytes() > maxBytes || info.depth() > maxDepth || info.references() > maxRefs
                        || (info.serialClass() != null && info.serialClass().isArray() && info.arrayLength() > maxArray)) {
                    return ObjectInputFilter.Status.REJECTED;
                }
                return ObjectInputFilter.Status.UNDECIDED;
            };
        }
    }

    private final Resolver resolver;

    /**
     * @param in the bytes
     * @param resolver how class names become classes
     * @param limits the filter limits
     */
    public ShipObjectInputStream(InputStream in, Resolver resolver, Limits limits) throws IOException {
        super(in);
        this.resolver = Objects.requireNonNull(resolver);
        setObjectInputFilter(limits.filter());
    }

    /** Worker side: resolve through {@code loader} (normally a {@link SnapshotLoader}). */
    public static ShipObjectInputStream forLoader(InputStream in, ClassLoader loader) throws IOException {
        return new ShipObjectInputStream(in, name -> Class.forName(name, false, loader), Limits.DEFAULT);
    }

    /**
     * Submitting side: cell classes resolve through their defining loader recorded in
     * {@code registry}, other classes through {@code fallback} (the kernel's loader).
     */
    public static ShipObjectInputStream forRegistry(InputStream in, ClassRegistry registry, ClassLoader fallback)
            throws IOException {
        return new ShipObjectInputStream(in, registryResolver(registry, fallback), Limits.DEFAULT);
    }

    static Resolver registryResolver(ClassRegistry registry, ClassLoader fallback) {
        return name -> {
            var record = registry.find(name);
            if (record.isPresent()) {
                return Class.forName(name, false, record.get().loader());
            }
            return Class.forName(name, false, fallback);
        };
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
        try {
            return resolver.resolve(desc.getName());
        } catch (ClassNotFoundException e) {
            return super.resolveClass(desc); // primitive types
        }
    }
}
