package jpool.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.lang.reflect.Proxy;

/**
 * The one {@link ObjectInputStream} used to read payloads: every stream gets the {@link Limits}
 * filter, and classes are resolved through a given class loader.
 *
 * <p>This is the class-loading hook of the protocol: a worker that receives shipped classes passes a
 * loader that defines them (see {@code jpool.worker.TaskRunner#classLoaderFor}); subclasses may override
 * {@link #resolveClass} for finer control.
 */
public class SafeObjectInputStream extends ObjectInputStream {

    private final ClassLoader loader;

    /**
     * Opens a filtered stream.
     *
     * @param in the serialized bytes
     * @param loader resolves class names; null means the loader of this class
     * @param filter the filter to apply (usually {@link Limits#filter()})
     */
    public SafeObjectInputStream(InputStream in, ClassLoader loader, ObjectInputFilter filter) throws IOException {
        super(in);
        this.loader = loader != null ? loader : SafeObjectInputStream.class.getClassLoader();
        setObjectInputFilter(filter);
    }

    /** The loader classes are resolved through. */
    public ClassLoader loader() {
        return loader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
        try {
            return Class.forName(desc.getName(), false, loader);
        } catch (ClassNotFoundException e) {
            return super.resolveClass(desc); // primitives and arrays of them
        }
    }

    @Override
    protected Class<?> resolveProxyClass(String[] interfaces) throws IOException, ClassNotFoundException {
        Class<?>[] resolved = new Class<?>[interfaces.length];
        for (int i = 0; i < interfaces.length; i++) {
            resolved[i] = Class.forName(interfaces[i], false, loader);
        }
        @SuppressWarnings("deprecation")
        Class<?> proxy = Proxy.getProxyClass(loader, resolved);
        return proxy;
    }
}
