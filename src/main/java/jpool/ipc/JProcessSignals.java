package jpool.ipc;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * SIGINT as the channel of {@link JProcess#interrupt()}: the parent sends it, the child's handler interrupts
 * the thread running the target. Outside {@code run()} the JVM's own handling applies (it exits, and the
 * process reports -2).
 */
final class JProcessSignals {

    private static volatile Runnable onInterrupt;
    private static volatile boolean installed;

    private JProcessSignals() {
    }

    /** In the child: what SIGINT does from now on (null: nothing; the JVM no longer exits on it). */
    static synchronized void onInterrupt(Runnable action) {
        onInterrupt = action;
        if (!installed) {
            installed = true;
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> {
                Runnable a = onInterrupt;
                if (a != null) {
                    a.run();
                }
            });
        }
    }

    /** In the parent: sends SIGINT to {@code pid} (with the system's {@code kill}, as Java has no call for it). */
    static void sendInterrupt(long pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot interrupt process " + pid + ": the kill command failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
