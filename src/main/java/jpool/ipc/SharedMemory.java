package jpool.ipc;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One block of memory shared by the JVMs of one host: a file (under /dev/shm where there is one)
 * mapped by every JVM that holds a value or array in it. Atomic reads, writes and updates go through
 * VarHandles on the mapping, which the hardware keeps coherent between processes; no call leaves the
 * calling thread.
 *
 * <p>Layout: a 64-byte header, then the elements, each 8 bytes wide (an int in the first four).
 * Header: magic and kind at 0, the element count at 8, the lock word at 16 (0 when free, otherwise the
 * holder's pid in the high 32 bits and its thread's id in the low 32), the number of locks taken over
 * from exited holders at 24.
 *
 * <p>Invariant: one instance per file per JVM ({@link #open}), so that every handle of a JVM shares
 * the same lock bookkeeping.
 */
final class SharedMemory {

    private static final int MAGIC = 0x4a504f4c; // "JPOL"
    static final int HEADER = 64;
    private static final int KIND = 4;
    private static final int COUNT = 8;
    private static final int LOCK = 16;
    private static final int TAKEN_OVER = 24;

    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private static final Map<Path, SharedMemory> OPEN = new ConcurrentHashMap<>();
    private static final Set<Path> MADE_HERE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Path p : MADE_HERE) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // the JVM is ending; a file left in /dev/shm is all that is lost
                }
            }
        }, "jpool-shared-memory-cleanup"));
    }

    final Path path;
    final int kind;
    final int length;
    final long ownerPid;
    final String host;
    private final ByteBuffer buffer; // typed ByteBuffer: VarHandles match the static type exactly
    final SharedLock lock;

    private SharedMemory(Path path, ByteBuffer buffer, long ownerPid, String host) {
        this.path = path;
        this.buffer = buffer;
        this.kind = (int) INTS.getVolatile(buffer, KIND);
        this.length = (int) (long) LONGS.getVolatile(buffer, COUNT);
        this.ownerPid = ownerPid;
        this.host = host;
        this.lock = new SharedLock(this);
    }

    /** Kinds of element. */
    static final int INT = 1;
    static final int DOUBLE = 2;

    /** Makes a new block of {@code length} zero elements of {@code kind}, deleted when this JVM exits. */
    static SharedMemory create(int kind, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("a shared array's length must be at least 0, not " + length);
        }
        byte[] rnd = new byte[8];
        new SecureRandom().nextBytes(rnd);
        long pid = ProcessHandle.current().pid();
        Path file = directory().resolve("jpool-shm-" + pid + "-" + HexFormat.of().formatHex(rnd));
        long size = HEADER + 8L * length;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MADE_HERE.add(file);
            ByteBuffer b = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
            INTS.setVolatile(b, KIND, kind);
            LONGS.setVolatile(b, COUNT, (long) length);
            INTS.setVolatile(b, 0, MAGIC); // last: a block with its magic is complete
            SharedMemory m = new SharedMemory(file, b, pid, HostIdentity.get());
            OPEN.put(file, m);
            return m;
        } catch (IOException e) {
            MADE_HERE.remove(file);
            throw new IpcException("cannot make shared memory of " + size + " bytes at " + file + ": " + e, e);
        }
    }

    /** This JVM's mapping of a block another JVM (or this one) made. */
    static SharedMemory open(SharedRef ref) {
        if (!ref.host().equals(HostIdentity.get())) {
            throw new IpcException("a shared " + ref.what() + " reached another host (made on " + ref.host()
                    + ", here is " + HostIdentity.get() + "); shared values and arrays work between the JVMs of"
                    + " one host: use a queue or a pipe to send values across hosts");
        }
        Path file = Path.of(ref.path());
        return OPEN.computeIfAbsent(file, f -> {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ByteBuffer b = ch.map(FileChannel.MapMode.READ_WRITE, 0, ch.size());
                if (ch.size() < HEADER || (int) INTS.getVolatile(b, 0) != MAGIC) {
                    throw new IpcException("the file " + f + " is not jpool shared memory");
                }
                return new SharedMemory(f, b, ref.ownerPid(), ref.host());
            } catch (java.nio.file.NoSuchFileException e) {
                throw new IpcException("the memory of a shared " + ref.what() + " is gone (" + f + "): the JVM"
                        + " that made it, pid " + ref.ownerPid() + ", has exited", e);
            } catch (IOException e) {
                throw new IpcException("cannot map the shared " + ref.what() + " at " + f + ": " + e, e);
            }
        });
    }

    private static Path directory() {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** What travels when a handle of this block is serialized; {@code scalar} for a value, else an array. */
    SharedRef ref(boolean scalar) {
        return new SharedRef(path.toString(), kind, length, ownerPid, host, scalar);
    }

    // ------------------------------------------------------------------ elements

    int offset(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("index " + index + " out of bounds for length " + length);
        }
        return HEADER + 8 * index;
    }

    int getInt(int i) {
        return (int) INTS.getVolatile(buffer, offset(i));
    }

    void setInt(int i, int v) {
        INTS.setVolatile(buffer, offset(i), v);
    }

    int getAndAddInt(int i, int delta) {
        return (int) INTS.getAndAdd(buffer, offset(i), delta);
    }

    boolean compareAndSetInt(int i, int expected, int v) {
        return INTS.compareAndSet(buffer, offset(i), expected, v);
    }

    long getLong(int i) {
        return (long) LONGS.getVolatile(buffer, offset(i));
    }

    void setLong(int i, long v) {
        LONGS.setVolatile(buffer, offset(i), v);
    }

    boolean compareAndSetLong(int i, long expected, long v) {
        return LONGS.compareAndSet(buffer, offset(i), expected, v);
    }

    double getDouble(int i) {
        return Double.longBitsToDouble(getLong(i));
    }

    void setDouble(int i, double v) {
        setLong(i, Double.doubleToRawLongBits(v));
    }

    double addAndGetDouble(int i, double delta) {
        int off = offset(i);
        while (true) {
            long bits = (long) LONGS.getVolatile(buffer, off);
            double next = Double.longBitsToDouble(bits) + delta;
            if (LONGS.compareAndSet(buffer, off, bits, Double.doubleToRawLongBits(next))) {
                return next;
            }
        }
    }

    // ------------------------------------------------------------------ the lock word

    long lockWord() {
        return (long) LONGS.getVolatile(buffer, LOCK);
    }

    boolean compareAndSetLockWord(long expected, long v) {
        return LONGS.compareAndSet(buffer, LOCK, expected, v);
    }

    long takeOvers() {
        return (long) LONGS.getVolatile(buffer, TAKEN_OVER);
    }

    void countTakeOver() {
        LONGS.getAndAdd(buffer, TAKEN_OVER, 1L);
    }
}
