package jpool.worker;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jpool.wire.OutputPiece;

/**
 * Replaces {@code System.out} and {@code System.err} of the worker JVM and collects what they receive
 * for the unit that is currently running (unit 0 between units, e.g. during the initializer).
 *
 * <p>Whatever any thread prints goes to the current unit. Pending bytes are taken by {@link #drain}: the
 * task thread drains at unit boundaries (so a unit's output always precedes its result), the I/O thread
 * drains periodically so that output streams back while the unit runs. Pieces never split a UTF-8
 * character except on the final drain of a unit. Thread-safe.
 *
 * <p>What goes to {@code System.err} is also written, as it comes, to the worker's real standard error:
 * the controller keeps the last lines of that stream and reports them when the worker dies
 * ({@code WorkerLostException.lastStderr()}), so they must include what the task printed just before,
 * for instance, calling {@code System.exit}, in order with the JVM's own last words.
 */
public final class OutputCapture {

    private final Runnable onPending;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private long unit;
    private boolean signalled;
    private final PrintStream originalOut;
    private final PrintStream originalErr;

    /**
     * Creates the capture; call {@link #install()} to redirect the system streams.
     *
     * @param onPending called (at most once between drains) when output becomes pending
     */
    public OutputCapture(Runnable onPending) {
        this.onPending = onPending;
        this.originalOut = System.out;
        this.originalErr = System.err;
    }

    /** Redirects {@code System.out} and {@code System.err} to this capture. */
    public void install() {
        System.setOut(new PrintStream(new Sink(OutputPiece.STDOUT), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Sink(OutputPiece.STDERR), true, StandardCharsets.UTF_8));
    }

    /** The worker's real standard error, for messages about the worker itself. */
    public PrintStream originalErr() {
        return originalErr;
    }

    /** The worker's real standard output. */
    public PrintStream originalOut() {
        return originalOut;
    }

    /**
     * Switches the current unit; output pending for the previous one is returned (completely).
     */
    public synchronized List<OutputPiece> switchTo(long newUnit) {
        List<OutputPiece> pieces = drain(true);
        unit = newUnit;
        return pieces;
    }

    /**
     * Takes the pending output.
     *
     * @param complete whether to take everything, even an incomplete trailing UTF-8 sequence
     */
    public synchronized List<OutputPiece> drain(boolean complete) {
        signalled = false;
        List<OutputPiece> pieces = new ArrayList<>(2);
        take(out, OutputPiece.STDOUT, complete, pieces);
        take(err, OutputPiece.STDERR, complete, pieces);
        return pieces;
    }

    /** Whether output is pending. */
    public synchronized boolean pending() {
        return out.size() > 0 || err.size() > 0;
    }

    private void take(ByteArrayOutputStream buffer, int stream, boolean complete, List<OutputPiece> pieces) {
        if (buffer.size() == 0) {
            return;
        }
        byte[] all = buffer.toByteArray();
        int cut = complete ? all.length : completeUtf8Prefix(all);
        buffer.reset();
        if (cut < all.length) {
            buffer.write(all, cut, all.length - cut);
        }
        if (cut > 0) {
            pieces.add(new OutputPiece(unit, stream, cut == all.length ? all : java.util.Arrays.copyOf(all, cut)));
        }
    }

    /** Length of the longest prefix that does not end inside a UTF-8 multi-byte sequence. */
    static int completeUtf8Prefix(byte[] b) {
        int n = b.length;
        for (int back = 1; back <= Math.min(4, n); back++) {
            int c = b[n - back] & 0xFF;
            if ((c & 0xC0) == 0x80) {
                continue; // continuation byte: keep looking for the lead byte
            }
            int need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            return need > back ? n - back : n;
        }
        return n;
    }

    private synchronized void write(int stream, byte[] b, int off, int len) {
        (stream == OutputPiece.STDOUT ? out : err).write(b, off, len);
        if (!signalled) {
            signalled = true;
            onPending.run();
        }
    }

    private final class Sink extends OutputStream {
        private final int stream;

        Sink(int stream) {
            this.stream = stream;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (stream == OutputPiece.STDERR) {
                originalErr.write(b, off, len); // outside the lock: a slow pipe must not block draining
            }
            OutputCapture.this.write(stream, b, off, len);
        }
    }
}
