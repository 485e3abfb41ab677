package jpool.ipc;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * Copies what this JVM prints to {@code System.out} and {@code System.err} (where a process's output is
 * printed) while the tap is installed, and waits for a condition on it.
 */
final class JProcessOutputTap implements AutoCloseable {
    private final PrintStream oldOut = System.out;
    private final PrintStream oldErr = System.err;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    JProcessOutputTap() {
        System.setOut(new PrintStream(tee(oldOut, out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(tee(oldErr, err), true, StandardCharsets.UTF_8));
    }

    private static OutputStream tee(PrintStream through, ByteArrayOutputStream copy) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (copy) {
                    copy.write(b);
                }
                through.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (copy) {
                    copy.write(b, off, len);
                }
                through.write(b, off, len);
            }
        };
    }

    String out() {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    String err() {
        synchronized (err) {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    /** Waits up to 60 s for the standard output to satisfy {@code condition}. */
    void awaitOut(Predicate<String> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.test(out())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within 60 s; output so far:\n" + out());
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }
}
