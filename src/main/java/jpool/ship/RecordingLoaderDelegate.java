package jpool.ship;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl.ClassBytecodes;
import jdk.jshell.spi.ExecutionControl.ClassInstallException;
import jdk.jshell.spi.ExecutionControl.InternalException;

/**
 * JShell's class loading for in-process execution, recording the bytes of every class JShell
 * loads and every class-path addition into a {@link ClassRegistry}, so that notebook code can be
 * shipped to worker JVMs.
 *
 * <p>Classes are defined lazily, on first use, by one {@link URLClassLoader} whose parent is the
 * loader given at construction (normally the kernel's), so cell code sees the kernel's class path.
 * JShell never redefines a class in place with this delegate: {@link #classesRedefined} is not
 * expected to be called, and a changed snippet arrives under a new class name.
 */
public final class RecordingLoaderDelegate implements LoaderDelegate {

    private final ClassRegistry registry;
    private final CellClassLoader loader;

    /**
     * @param registry where class bytes and class-path entries are recorded
     * @param parent the parent of the loader that defines cell classes
     */
    public RecordingLoaderDelegate(ClassRegistry registry, ClassLoader parent) {
        this.registry = registry;
        this.loader = new CellClassLoader(parent);
    }

    /** The loader that defines cell classes; results of cell-defined types resolve through it. */
    public ClassLoader classLoader() {
        return loader;
    }

    @Override
    public void load(ClassBytecodes[] classes) throws ClassInstallException {
        boolean[] installed = new boolean[classes.length];
        for (ClassBytecodes cbc : classes) {
            loader.declare(cbc.name(), cbc.bytecodes());
        }
        for (int i = 0; i < classes.length; i++) {
            try {
                Class.forName(classes[i].name(), false, loader);
                registry.record(classes[i].name(), classes[i].bytecodes(), loader);
                installed[i] = true;
            } catch (ClassNotFoundException | LinkageError | IllegalStateException e) {
                throw new ClassInstallException("could not load " + classes[i].name() + ": " + e, installed);
            }
        }
    }

    @Override
    public void classesRedefined(ClassBytecodes[] classes) {
        for (ClassBytecodes cbc : classes) {
            loader.declare(cbc.name(), cbc.bytecodes());
        }
    }

    @Override
    public void addToClasspath(String path) throws InternalException {
        for (String entry : path.split(java.io.File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path p = Path.of(entry);
            try {
                loader.addURL(p.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new InternalException("not a class-path entry: " + entry);
            }
            registry.addClassPathEntry(p);
        }
    }

    @Override
    public Class<?> findClass(String name) throws ClassNotFoundException {
        return Class.forName(name, false, loader);
    }

    /** Defines declared cell classes on demand; falls back to added jars, then to the parent. */
    private static final class CellClassLoader extends URLClassLoader {
        static {
            registerAsParallelCapable();
        }

        private final Map<String, byte[]> declared = new ConcurrentHashMap<>();
        private final ProtectionDomain domain =
                new ProtectionDomain(new CodeSource(null, (Certificate[]) null), null, this, null);

        CellClassLoader(ClassLoader parent) {
            super("jpool-cells", new URL[0], parent);
        }

        void declare(String name, byte[] bytes) {
            declared.put(name, bytes);
        }

        @Override
        protected void addURL(URL url) {
            super.addURL(url);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = declared.get(name);
            if (bytes != null) {
                return defineClass(name, bytes, 0, bytes.length, domain);
            }
            return super.findClass(name);
        }
    }
}
