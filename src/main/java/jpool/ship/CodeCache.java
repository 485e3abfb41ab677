package jpool.ship;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import jpool.wire.Limits;

/**
 * Worker side: the classes and jars received from one kernel session, by content hash, and the
 * class loaders made from them.
 *
 * <p>Typical use for each task:
 * <pre>{@code
 * Shipment s = Shipment.decode(frame);
 * for (String h : cache.missing(s)) ... ask for it, then cache.putClass(h, bytes) or cache.putJar(h, bytes)
 * SnapshotLoader loader = cache.loader(s);
 * Object task = loader.decode(taskBytes);
 * }</pre>
 *
 * <p>Loaders are cached by shipment id (least recently used ones beyond a bound are dropped from
 * the cache; tasks still using them keep them alive). Thread-safe.
 *
 * <p>Worker globals: the pool initializer's shipment is given to {@link #workerGlobals} before any
 * task's. Its loader lives as long as the cache, and every loader made afterwards shares the
 * classes it lists (same name and bytes) instead of defining its own copy, so what the initializer
 * stores in the static fields of cell classes and cell variables is what later tasks read, whatever
 * their snapshot. Its jar loader is likewise the parent of the jar loader of a task whose jars
 * extend the initializer's (jars added to the kernel after the pool started).
 */
public final class CodeCache implements AutoCloseable {

    private final ClassLoader parent;
    private final Path jarDir;
    private final boolean ownsJarDir;
    private final int maxLoaders;
    private final Map<String, byte[]> classes = new ConcurrentHashMap<>();
    private final Map<String, Path> jars = new ConcurrentHashMap<>();
    private final Map<String, byte[]> rewritten = new ConcurrentHashMap<>();
    private final Map<List<String>, URLClassLoader> jarLoaders = new ConcurrentHashMap<>();
    private final Map<String, SnapshotLoader> loaders;
    private volatile SnapshotLoader globals;
    private volatile List<String> globalJars = List.of();
    private volatile Limits limits = Limits.DEFAULT;

    /**
     * @param parent the worker's application loader (where jpool and the kernel's class path are)
     * @param jarDir where received jars are written, or null for a temporary folder removed on close
     * @param maxLoaders how many snapshot loaders to keep cached
     */
    public CodeCache(ClassLoader parent, Path jarDir, int maxLoaders) {
        this.parent = parent;
        this.maxLoaders = maxLoaders;
        try {
            this.ownsJarDir = jarDir == null;
            this.jarDir = jarDir == null ? Files.createTempDirectory("jpool-jars") : Files.createDirectories(jarDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.loaders = new LinkedHashMap<>(16, 0.75f, true);
    }

    /** A cache over {@code parent} with jars in a temporary folder and 64 cached loaders. */
    public CodeCache(ClassLoader parent) {
        this(parent, null, 64);
    }

    /** What decoding a shipped value may read: {@link Limits#DEFAULT} until {@link #limits(Limits)} is called. */
    public Limits limits() {
        return limits;
    }

    /** Sets the limits for decoding shipped values (the worker's, from its controller). */
    public void limits(Limits limits) {
        this.limits = java.util.Objects.requireNonNull(limits);
    }

    /** The hashes listed in a shipment that this cache does not have yet (classes, then jars). */
    public Set<String> missing(Shipment shipment) {
        Set<String> out = new LinkedHashSet<>();
        for (String h : shipment.classes().values()) {
            if (!classes.containsKey(h)) {
                out.add(h);
            }
        }
        for (Shipment.JarRef j : shipment.jars()) {
            if (!jars.containsKey(j.hash())) {
                out.add(j.hash());
            }
        }
        return out;
    }

    /** Whether a class or jar with this hash is cached. */
    public boolean has(String hash) {
        return classes.containsKey(hash) || jars.containsKey(hash);
    }

    /**
     * Stores the bytes of a hash that {@code shipment} lists, as a class or as a jar according to
     * the listing.
     *
     * @throws IllegalArgumentException if the shipment does not list the hash or the bytes differ
     */
    public void accept(Shipment shipment, String hash, byte[] bytes) {
        if (shipment.classes().containsValue(hash)) {
            putClass(hash, bytes);
        } else if (shipment.jars().stream().anyMatch(j -> j.hash().equals(hash))) {
            putJar(hash, bytes);
        } else {
            throw new IllegalArgumentException("shipment " + shipment.id() + " does not list " + hash);
        }
    }

    /**
     * Stores class bytes under their hash.
     *
     * @throws IllegalArgumentException if the bytes do not have that hash
     */
    public void putClass(String hash, byte[] bytes) {
        check(hash, bytes);
        classes.putIfAbsent(hash, bytes.clone());
    }

    /**
     * Stores jar bytes under their hash (written to the jar folder).
     *
     * @throws IllegalArgumentException if the bytes do not have that hash
     */
    public void putJar(String hash, byte[] bytes) {
        check(hash, bytes);
        if (jars.containsKey(hash)) {
            return;
        }
        try {
            Path target = jarDir.resolve(hash + ".jar");
            Path tmp = Files.createTempFile(jarDir, hash, ".part");
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            jars.putIfAbsent(hash, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Uses a jar in place (a worker on the kernel's host) when the file there has the expected
     * hash. Returns false, caching nothing, when it does not exist or differs.
     */
    public boolean putJarInPlace(String hash, Path path) {
        try {
            if (!Files.isRegularFile(path) || !ClassRegistry.sha256(Files.readAllBytes(path)).equals(hash)) {
                return false;
            }
        } catch (IOException e) {
            return false;
        }
        jars.putIfAbsent(hash, path);
        return true;
    }

    /**
     * The loader for a shipment, shared by shipments with the same id.
     *
     * @throws IllegalStateException if some class or jar it lists is not cached yet
     */
    public SnapshotLoader loader(Shipment shipment) {
        requireComplete(shipment);
        synchronized (loaders) {
            SnapshotLoader g = globals;
            if (g != null && g.shipment().id().equals(shipment.id())) {
                return g;
            }
            SnapshotLoader l = loaders.get(shipment.id());
            if (l == null) {
                l = new SnapshotLoader(shipment, this, jarLoader(shipment.jars()), g, false);
                loaders.put(shipment.id(), l);
                if (loaders.size() > maxLoaders) {
                    var eldest = loaders.keySet().iterator();
                    eldest.next();
                    eldest.remove();
                }
            }
            return l;
        }
    }

    /** The loader cached for a shipment (as {@link #loader} would return it), or null when there is none. */
    public SnapshotLoader cachedLoader(Shipment shipment) {
        synchronized (loaders) {
            SnapshotLoader g = globals;
            if (g != null && g.shipment().id().equals(shipment.id())) {
                return g;
            }
            return loaders.get(shipment.id());
        }
    }

    /**
     * Makes the loader of the pool initializer's shipment this worker's globals (see the class
     * comment) and returns it. Loaders cached before are forgotten, since they would not share.
     *
     * @throws IllegalStateException if the worker's globals are set already, or if some class or
     *     jar the shipment lists is not cached yet
     */
    public SnapshotLoader workerGlobals(Shipment shipment) {
        requireComplete(shipment);
        synchronized (loaders) {
            if (globals != null) {
                throw new IllegalStateException("the worker's globals are set already");
            }
            SnapshotLoader g = new SnapshotLoader(shipment, this, jarLoader(shipment.jars()), null, true);
            globalJars = jarKey(shipment.jars());
            globals = g;
            loaders.clear();
            return g;
        }
    }

    private void requireComplete(Shipment shipment) {
        Set<String> missing = missing(shipment);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("shipment " + shipment.id() + " lacks " + missing.size()
                    + " classes or jars, e.g. " + missing.iterator().next());
        }
    }

    /** Number of snapshot loaders cached now. */
    public int loaderCount() {
        synchronized (loaders) {
            return loaders.size();
        }
    }

    private static List<String> jarKey(List<Shipment.JarRef> refs) {
        List<String> key = new ArrayList<>();
        for (Shipment.JarRef r : refs) {
            key.add(r.hash());
        }
        return List.copyOf(key);
    }

    private ClassLoader jarLoader(List<Shipment.JarRef> refs) {
        return jarLoaderOf(jarKey(refs));
    }

    /**
     * One loader per list of jars. A list that extends the worker globals' jars gets a loader over
     * the extra jars only, under the globals' jar loader, so both see the same library classes.
     */
    private ClassLoader jarLoaderOf(List<String> key) {
        if (key.isEmpty()) {
            return parent;
        }
        URLClassLoader known = jarLoaders.get(key);
        if (known != null) {
            return known;
        }
        List<String> shared = globalJars;
        ClassLoader under = parent;
        List<String> own = key;
        if (!shared.isEmpty() && shared.size() < key.size() && key.subList(0, shared.size()).equals(shared)) {
            under = jarLoaderOf(shared);
            own = key.subList(shared.size(), key.size());
        }
        ClassLoader below = under;
        List<String> mine = own;
        return jarLoaders.computeIfAbsent(key, k -> {
            URL[] urls = new URL[mine.size()];
            for (int i = 0; i < urls.length; i++) {
                try {
                    urls[i] = jars.get(mine.get(i)).toUri().toURL();
                } catch (MalformedURLException e) {
                    throw new IllegalStateException(e);
                }
            }
            return new URLClassLoader("jpool-jars", urls, below);
        });
    }

    /** The bytes of a shipped class as received. */
    byte[] originalBytes(String name, String hash) throws ClassNotFoundException {
        byte[] bytes = classes.get(hash);
        if (bytes == null) {
            throw new ClassNotFoundException(name + " (class bytes " + hash + " not received)");
        }
        return bytes;
    }

    /** The bytes to define for a shipped class: as received, or rewritten for shipped static state. */
    byte[] definableBytes(String name, String hash, Shipment.ClassState state) throws ClassNotFoundException {
        byte[] bytes = classes.get(hash);
        if (bytes == null) {
            throw new ClassNotFoundException(name + " (class bytes " + hash + " not received)");
        }
        if (state == null) {
            return bytes;
        }
        String key = hash + '|' + state.serialVersionUid() + '|' + String.join(",", state.values().keySet());
        return rewritten.computeIfAbsent(key, k -> ClinitRewriter.rewrite(bytes, state));
    }

    private static void check(String hash, byte[] bytes) {
        if (!ClassRegistry.sha256(bytes).equals(hash)) {
            throw new IllegalArgumentException("bytes do not match hash " + hash);
        }
    }

    /** Closes jar loaders and removes the temporary jar folder, if this cache made it. */
    @Override
    public void close() {
        for (URLClassLoader l : jarLoaders.values()) {
            try {
                l.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
        jarLoaders.clear();
        synchronized (loaders) {
            loaders.clear();
            globals = null;
        }
        if (ownsJarDir) {
            try (Stream<Path> files = Files.walk(jarDir)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
