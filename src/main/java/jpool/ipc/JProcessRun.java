package jpool.ipc;

import java.io.Serial;
import jpool.wire.Invocable;

/**
 * What a {@link JProcess}'s child JVM runs, as its one task: the process object (a subclass with its
 * fields, or the plain class with its target), then the exit. The child exits with the code the process
 * reports: 0 when {@code run()} returned, 1 when it threw (its stack trace printed, as Python prints a
 * target's traceback), or the code the target gave {@code System.exit}. Before it exits it waits for the
 * non-daemon processes it started, as the parent JVM does at the end of a plain program.
 *
 * <p>{@link JProcess#interrupt()} reaches it as SIGINT: while {@code run()} runs, the signal interrupts the
 * thread running it instead of ending the JVM.
 */
final class JProcessRun implements Invocable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final JProcess process;
    private final long parentPid;

    JProcessRun(JProcess process, long parentPid) {
        this.process = process;
        this.parentPid = parentPid;
    }

    @Override
    public Object invoke(Object argument) {
        JProcess.enterChild(process, parentPid);
        Thread self = Thread.currentThread();
        JProcessSignals.onInterrupt(self::interrupt);
        int code = 0;
        try {
            process.run();
        } catch (Throwable t) {
            code = 1;
            System.err.println("Process " + process.name() + ":");
            t.printStackTrace();
        } finally {
            JProcessSignals.onInterrupt(null);
            Thread.interrupted(); // an interrupt that came late must not cut the join short
        }
        for (JProcess child : JProcess.nonDaemonChildren()) {
            try {
                child.join();
            } catch (InterruptedException e) {
                break;
            }
        }
        System.out.flush();
        System.err.flush();
        System.exit(code);
        return null;
    }
}
