package jpool.kernel;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * What System.out or System.err receive while the kernel runs: bytes are gathered and published as
 * stream messages about {@value #DELAY_MS} ms after they were written (at the end of a cell and before
 * a display at once), so a cell printing in a loop sends few messages but output appears while it runs.
 *
 * <p>Writers only append to a buffer and wake the stream's flusher thread, which publishes. On JDK 17 an
 * interrupt stops a cell thread with Thread.stop wherever it is; keeping cell threads out of the
 * publishing code and out of shared executors means such a stop cannot leave them half-updated. The
 * flusher also wakes by itself now and then, so even a stop between the append and the wake-up only
 * delays output a little.
 */
final class IopubStream extends OutputStream {

    static final long DELAY_MS = 20;
    private static final long SELF_WAKE_MS = 250;
    private static final int LIMIT = 32 * 1024;

    private final String name;
    private final BiConsumer<String, String> publisher;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(); // guarded by this
    private boolean pending; // guarded by this

    /**
     * @param name {@code stdout} or {@code stderr}
     * @param publisher receives (name, text)
     */
    IopubStream(String name, BiConsumer<String, String> publisher) {
        this.name = name;
        this.publisher = publisher;
        Thread flusher = new Thread(this::flushLoop, "jpool-" + name + "-flusher");
        flusher.setDaemon(true);
        flusher.start();
    }

    @Override
    public synchronized void write(int b) {
        buffer.write(b);
        wakeFlusher();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        buffer.write(b, off, len);
        wakeFlusher();
    }

    private void wakeFlusher() {
        if (!pending) {
            pending = true;
            notifyAll();
        }
    }

    @Override
    public void flush() {
        // coalesced: the flusher publishes within DELAY_MS
    }

    private void flushLoop() {
        while (true) {
            try {
                synchronized (this) {
                    while (!pending) {
                        wait(SELF_WAKE_MS);
                        if (!pending && buffer.size() > 0) {
                            break; // a writer stopped between its append and the wake-up
                        }
                    }
                    if (buffer.size() < LIMIT) {
                        wait(DELAY_MS); // gather what follows; returns early only on a spurious wake-up
                    }
                }
                publishNow();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | LinkageError e) {
                // a failed publication must not end the flusher
            }
        }
    }

    /** Publishes what is buffered now (an incomplete UTF-8 sequence at the end waits for its rest). */
    void publishNow() {
        String text;
        synchronized (this) {
            pending = false;
            if (buffer.size() == 0) {
                return;
            }
            byte[] bytes = buffer.toByteArray();
            int end = completeUtf8Length(bytes);
            buffer.reset();
            if (end < bytes.length) {
                buffer.write(bytes, end, bytes.length - end);
            }
            if (end == 0) {
                return;
            }
            text = new String(bytes, 0, end, StandardCharsets.UTF_8);
            // publish while holding the lock, so two publishers cannot reorder text
            publisher.accept(name, text);
        }
    }

    /** Length of the prefix that does not end inside a multi-byte UTF-8 sequence. */
    static int completeUtf8Length(byte[] b) {
        int n = b.length;
        for (int back = 1; back <= 3 && back <= n; back++) {
            int c = b[n - back] & 0xff;
            if ((c & 0xC0) == 0x80) {
                continue; // continuation byte
            }
            int need = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
            return need > back ? n - back : n;
        }
        return n;
    }
}
