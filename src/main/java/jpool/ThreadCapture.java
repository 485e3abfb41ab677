package jpool;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Per-thread capture of {@code System.out}/{@code System.err} for thread pools: once installed, the
 * system streams route writes of a thread that runs a task to that task, and everything else to the
 * original streams.
 */
final class ThreadCapture {

    interface Sink {
        void write(OutputChunk.Stream stream, String text);
    }

    private static final ThreadLocal<Sink> CURRENT = new ThreadLocal<>();
    private static boolean installed;

    private ThreadCapture() {
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        System.setOut(new PrintStream(new Router(OutputChunk.Stream.STDOUT, System.out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Router(OutputChunk.Stream.STDERR, System.err), true, StandardCharsets.UTF_8));
    }

    static void begin(Sink sink) {
        CURRENT.set(sink);
    }

    static void end() {
        CURRENT.remove();
    }

    private static final class Router extends OutputStream {
        private final OutputChunk.Stream stream;
        private final PrintStream original;

        Router(OutputChunk.Stream stream, PrintStream original) {
            this.stream = stream;
            this.original = original;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            Sink sink = CURRENT.get();
            if (sink == null) {
                original.write(b, off, len);
            } else {
                sink.write(stream, new String(b, off, len, StandardCharsets.UTF_8));
            }
        }

        @Override
        public void flush() {
            if (CURRENT.get() == null) {
                original.flush();
            }
        }
    }
}
