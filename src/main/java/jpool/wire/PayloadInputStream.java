package jpool.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.lang.reflect.Proxy;
import java.util.Objects;

/**
 * The one {@link ObjectInputStream} that reads payloads received from another process: every stream
 * applies the {@link Limits} filter, and class names become classes through a {@link ClassResolver}
 * chosen by the receiver, never through the caller's loader.
 *
 * <p>A worker resolves through the loader of the task's code snapshot (shipped cell classes, then
 * shipped jars, then its class path), so a serialized lambda's capturing class is found there and
 * its {@code $deserializeLambda$} runs; the submitting side resolves results so that cell-defined
 * types come back as the kernel's own classes.
 */
public final class PayloadInputStream extends ObjectInputStream {

    /** Turns a binary class name into a class, or throws {@link ClassNotFoundException}. */
    @FunctionalInterface
    public interface ClassResolver {
        Class<?> resolve(String name) throws ClassNotFoundException;

        /** Resolves through {@code loader} without initializing; null means jpool's own loader. */
        static ClassResolver of(ClassLoader loader) {
            ClassLoader l = loader != null ? loader : PayloadInputStream.class.getClassLoader();
            return name -> Class.forName(name, false, l);
        }
    }

    private static final java.util.Map<String, Class<?>> PRIMITIVES = java.util.Map.of("boolean", boolean.class,
            "byte", byte.class, "char", char.class, "short", short.class, "int", int.class, "long", long.class,
            "float", float.class, "double", double.class, "void", void.class);

    private final ClassResolver resolver;

    /**
     * Opens a filtered stream.
     *
     * @param in the serialized bytes
     * @param resolver how class names become classes
     * @param limits what the stream refuses to read
     */
    public PayloadInputStream(InputStream in, ClassResolver resolver, Limits limits) throws IOException {
        super(in);
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        setObjectInputFilter(limits.filter());
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
        Class<?> primitive = PRIMITIVES.get(desc.getName());
        return primitive != null ? primitive : resolver.resolve(desc.getName());
    }

    @Override
    protected Class<?> resolveProxyClass(String[] interfaces) throws IOException, ClassNotFoundException {
        Class<?>[] resolved = new Class<?>[interfaces.length];
        ClassLoader loader = null;
        for (int i = 0; i < interfaces.length; i++) {
            resolved[i] = resolver.resolve(interfaces[i]);
            if (loader == null && !java.lang.reflect.Modifier.isPublic(resolved[i].getModifiers())) {
                loader = resolved[i].getClassLoader();
            }
        }
        if (loader == null) {
            loader = resolved.length > 0 && resolved[0].getClassLoader() != null
                    ? resolved[0].getClassLoader() : PayloadInputStream.class.getClassLoader();
        }
        @SuppressWarnings("deprecation")
        Class<?> proxy = Proxy.getProxyClass(loader, resolved);
        return proxy;
    }
}
