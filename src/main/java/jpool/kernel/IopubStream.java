package jpool.kernel;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * What System.out or System.err receive while the kernel runs: bytes are gathered and published as
 * stream messages at most {@value #DELAY_MS} ms after they were written (sooner past 32 KiB, at the
 * end of a cell, before a display), so a cell printing in a loop sends few messages but output still
 * appears while the cell runs.
 */
final class IopubStream extends OutputStream {

    static final long DELAY_MS = 20;
    private static final int LIMIT = 32 * 1024;

    private final String name;
    private final BiConsumer<String, String> publisher;
    private final ScheduledExecutorService scheduler;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private boolean scheduled; // guarded by this
    private boolean urgent; // guarded by this

    /**
     * @param name {@code stdout} or {@code stderr}
     * @param publisher receives (name, text)
     */
    IopubStream(String name, BiConsumer<String, String> publisher, ScheduledExecutorService scheduler) {
        this.name = name;
        this.publisher = publisher;
        this.scheduler = scheduler;
    }

    @Override
    public synchronized void write(int b) {
        buffer.write(b);
        afterWrite();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        buffer.write(b, off, len);
        afterWrite();
    }

    /*
     * The writing thread only buffers: publication runs on the scheduler's thread, so an interrupt that
     * stops a cell thread (Thread.stop on JDK 17) cannot land inside the protocol code. Only when the
     * writer outpaces publication by far does it publish itself, which bounds the buffer.
     */
    private void afterWrite() {
        if (buffer.size() >= 16 * LIMIT) {
            publishNow();
        } else if (buffer.size() >= LIMIT && !urgent) {
            urgent = true;
            scheduler.execute(this::publishNow);
        } else if (!scheduled) {
            scheduled = true;
            scheduler.schedule(this::publishNow, DELAY_MS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void flush() {
        // coalesced: the scheduled publication follows within DELAY_MS
    }

    /** Publishes what is buffered now (an incomplete UTF-8 sequence at the end waits for its rest). */
    synchronized void publishNow() {
        scheduled = false;
        urgent = false;
        if (buffer.size() == 0) {
            return;
        }
        byte[] bytes = buffer.toByteArray();
        int end = completeUtf8Length(bytes);
        buffer.reset();
        if (end < bytes.length) {
            buffer.write(bytes, end, bytes.length - end);
        }
        if (end > 0) {
            publisher.accept(name, new String(bytes, 0, end, StandardCharsets.UTF_8));
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
