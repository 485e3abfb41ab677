package jpool.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import jpool.NoWorkersLeft;
import jpool.Procs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What happens to children when their parent ends, with a parent JVM of its own ({@link JProcessDemoMain}):
 * the end of main waits for a non-daemon child and not for a daemon one (which is ended), and a child whose
 * parent is SIGKILLed exits by itself (no orphan).
 */
@ExtendWith(NoWorkersLeft.class)
@Timeout(180)
class JProcessParentEndTest {

    /** A running parent program and the lines it printed. */
    private static final class Program implements AutoCloseable {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        final Thread reader;

        Program(String mode) throws IOException {
            process = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-cp",
                    System.getProperty("java.class.path"), JProcessDemoMain.class.getName(), mode)
                    .redirectErrorStream(true).start();
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // ended
                }
            });
            reader.start();
        }

        long childPid() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                for (String l : lines) {
                    if (l.startsWith("child ")) {
                        return Long.parseLong(l.substring(6).trim());
                    }
                }
                Thread.sleep(20);
            }
            throw new AssertionError("the program printed no child pid: " + lines);
        }

        int awaitExit() throws InterruptedException {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the program did not end: " + lines);
            reader.join(10_000);
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    private static boolean goneWithin(long pid, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (Procs.running(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    @Test
    void theEndOfMainWaitsForANonDaemonChild() throws Exception {
        try (Program p = new Program("nondaemon")) {
            long child = p.childPid();
            assertEquals(0, p.awaitExit());
            assertEquals(List.of("child " + child, "main done", "[c] child done"), p.lines);
            assertFalse(Procs.running(child));
        }
    }

    @Test
    void theEndOfMainEndsADaemonChild() throws Exception {
        try (Program p = new Program("daemon")) {
            long child = p.childPid();
            assertEquals(0, p.awaitExit(), "main returned without waiting for the 60 s daemon: " + p.lines);
            assertTrue(goneWithin(child, 15), "the daemon child " + child + " outlived its parent");
            assertFalse(p.lines.contains("[c] child done"), p.lines.toString());
        }
    }

    @Test
    void aChildWhoseParentIsKilledExitsByItself() throws Exception {
        long child;
        try (Program p = new Program("orphan")) {
            child = p.childPid();
            assertTrue(Procs.running(child), "the child runs");
            p.process.destroyForcibly(); // SIGKILL: no shutdown hook of the parent runs
            assertTrue(p.process.waitFor(30, TimeUnit.SECONDS));
        }
        try {
            assertTrue(goneWithin(child, 15), "the orphaned child " + child + " is still running");
        } finally {
            ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
