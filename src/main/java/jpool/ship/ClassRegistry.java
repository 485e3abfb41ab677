package jpool.ship;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import jpool.wire.PayloadInputStream;

/**
 * The classes and class-path entries that exist only in this JVM and must be shipped to workers:
 * classes compiled at run time (JShell's wrapper classes, records, nested and anonymous classes
 * written in notebook cells) and jars or folders added while running ({@code %classpath},
 * {@code %jars}, {@code %maven}).
 *
 * <p>Each of the kernel's JShells has its own registry, into which its execution engine records every
 * class it defines; a {@link CaptureAnalyzer} over it (the kernel's {@link CodeShipper}) consults it
 * to decide what to send with a task. A class that is not in the registry is assumed to be on the
 * workers' class path already. There is no registry per JVM: JShell numbers its classes from 1 in
 * every instance, so two JShells in one JVM define classes of the same names.
 *
 * <p>Invariants: a binary name, once recorded, always maps to the same bytes (JShell never
 * redefines a class in place: a changed snippet is compiled under a new class name). A second
 * {@link #record} of the same name with other bytes is rejected. All methods are thread-safe.
 */
public final class ClassRegistry {

    private final Map<String, ClassRecord> classes = new ConcurrentHashMap<>();
    private final Map<String, ClassRecord> byHash = new ConcurrentHashMap<>();
    private final List<Path> classPath = new CopyOnWriteArrayList<>();

    /** Creates an empty registry. */
    public ClassRegistry() {
    }

    /**
     * Resolves class names the way results must be read in the kernel: a class recorded here through
     * the loader that defined it, so that a value of a cell-defined type is an instance of the
     * kernel's own class; any other class through {@code fallback}.
     */
    public PayloadInputStream.ClassResolver resolver(ClassLoader fallback) {
        return name -> {
            Optional<ClassRecord> record = find(name);
            return Class.forName(name, false, record.isPresent() ? record.get().loader() : fallback);
        };
    }

    /**
     * Records the bytes of a class defined at run time.
     *
     * @param binaryName the class's binary name, e.g. {@code REPL.$JShell$12$Point}
     * @param bytes the class file exactly as it was handed to the defining class loader
     * @param loader the loader that defined (or will define) the class, used to resolve it here
     * @return the record
     * @throws IllegalStateException if the name is already recorded with different bytes
     */
    public ClassRecord record(String binaryName, byte[] bytes, ClassLoader loader) {
        ClassRecord fresh = new ClassRecord(binaryName, bytes.clone(), sha256(bytes), loader);
        ClassRecord existing = classes.putIfAbsent(binaryName, fresh);
        if (existing == null) {
            byHash.putIfAbsent(fresh.hash(), fresh);
            return fresh;
        }
        if (!existing.hash().equals(fresh.hash())) {
            throw new IllegalStateException("class " + binaryName + " was recorded twice with different bytes");
        }
        return existing;
    }

    /** The record of a class defined at run time, or empty when it comes from the class path. */
    public Optional<ClassRecord> find(String binaryName) {
        return Optional.ofNullable(classes.get(binaryName));
    }

    /**
     * The record whose bytes have this SHA-256 hash, or empty. Used by the sending side to hand
     * out the bytes of a class a worker does not have yet.
     */
    public Optional<ClassRecord> findByHash(String hash) {
        return Optional.ofNullable(byHash.get(hash));
    }

    /** Whether the class was defined at run time and so must be shipped. */
    public boolean contains(String binaryName) {
        return classes.containsKey(binaryName);
    }

    /** The binary names of all recorded classes, a snapshot. */
    public Set<String> names() {
        return Set.copyOf(classes.keySet());
    }

    /** Number of recorded classes. */
    public int size() {
        return classes.size();
    }

    /** Records a jar or folder added to the class path at run time; adding one twice keeps one entry. */
    public void addClassPathEntry(Path entry) {
        Path normalized = entry.toAbsolutePath().normalize();
        synchronized (classPath) {
            if (!classPath.contains(normalized)) {
                classPath.add(normalized);
            }
        }
    }

    /** The class-path entries added at run time, in the order they were added. */
    public List<Path> classPathEntries() {
        return new ArrayList<>(classPath);
    }

    /** Lower-case hex SHA-256 of some bytes; the content hash used to cache classes and jars. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    /**
     * One class defined at run time.
     *
     * @param name the binary name
     * @param bytes the class file (do not modify)
     * @param hash lower-case hex SHA-256 of {@code bytes}
     * @param loader the class loader that defines it in this JVM
     */
    public record ClassRecord(String name, byte[] bytes, String hash, ClassLoader loader) {
    }
}
