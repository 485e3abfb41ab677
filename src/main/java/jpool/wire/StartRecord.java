package jpool.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A small file mapped into both the controller and one local worker, in which the worker writes the id
 * of each unit just before it starts running it.
 *
 * <p>Why: when a worker dies, the controller must tell the unit that was running (lost, or retried)
 * from the units that were only waiting in the worker's prefetch queue (run elsewhere, not reported).
 * A message saying "started" could itself be lost with the worker; a store into a shared file mapping is
 * not, because the page belongs to the kernel's page cache, which outlives the process. It costs one
 * memory write per unit and no message.
 *
 * <p>The controller {@link #create() creates} the record before launching the worker and reads it after
 * the worker has exited. The worker {@link #attach(Path) attaches} and deletes the file name at once, so
 * nothing is left on disk once both mappings are gone. Units start in the order the worker received
 * them, so "the last unit started" is enough to classify every unit it held.
 */
public final class StartRecord {

    private static final int SIZE = Long.BYTES;

    private final Path path;
    private final MappedByteBuffer page;

    private StartRecord(Path path, MappedByteBuffer page) {
        this.path = path;
        this.page = page;
    }

    /** Creates a new record (last started unit: 0, none) in the temporary directory. */
    public static StartRecord create() {
        try {
            Path path = Files.createTempFile("jpool-started-", ".bin");
            return new StartRecord(path, map(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a worker start record", e);
        }
    }

    /** Maps an existing record (the worker's side) and removes its name from the file system. */
    public static StartRecord attach(Path path) throws IOException {
        StartRecord record = new StartRecord(path, map(path));
        Files.deleteIfExists(path);
        return record;
    }

    private static MappedByteBuffer map(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return ch.map(FileChannel.MapMode.READ_WRITE, 0, SIZE); // the mapping outlives the channel
        }
    }

    /** The file the worker attaches to. */
    public Path path() {
        return path;
    }

    /** Records that the unit with this id starts now. */
    public void started(long unitId) {
        page.putLong(0, unitId);
    }

    /** The id of the last unit started, 0 if none. */
    public long lastStarted() {
        return page.getLong(0);
    }

    /** Removes the file if the worker never attached (it died before it could). */
    public void discard() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // a leftover 8-byte temporary file is harmless
        }
    }
}
