package jpool.kernel;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import jpool.jupyter.ConnectionInfo;
import jpool.jupyter.JupyterServer;

/**
 * Starts the kernel: {@code java -jar jpool-all.jar CONNECTION_FILE}. The kernel exits after a
 * shutdown_request, or when the process that started it (JPY_PARENT_PID, else the parent process) is gone.
 */
public final class KernelMain {

    private KernelMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java -jar jpool-all.jar CONNECTION_FILE");
            System.exit(2);
        }
        PrintStream log = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        ConnectionInfo info = ConnectionInfo.read(Path.of(args[0]));
        JupyterServer server = new JupyterServer(info, log);
        JavaKernel kernel = new JavaKernel(server, KernelConfig.fromEnvironment(), log);
        kernel.registerHandlers();
        kernel.installStreams();
        server.start();
        kernel.startEvaluatorAsync();
        watchParent(kernel, server, log);
        handleSigint(kernel);
        while (!server.awaitTermination(1, TimeUnit.DAYS)) {
            // the poller ends after shutdown_request
        }
        System.exit(0);
    }

    /** Exits when the launching process is gone, so no kernel JVM is left behind. */
    private static void watchParent(JavaKernel kernel, JupyterServer server, PrintStream log) {
        Optional<ProcessHandle> parent = Optional.empty();
        String env = System.getenv("JPY_PARENT_PID");
        if (env != null && !env.isBlank()) {
            try {
                parent = ProcessHandle.of(Long.parseLong(env.trim()));
            } catch (NumberFormatException e) {
                log.println("jpool: ignoring JPY_PARENT_PID=" + env);
            }
        }
        if (parent.isEmpty()) {
            parent = ProcessHandle.current().parent();
        }
        parent.ifPresent(p -> p.onExit().thenRun(() -> {
            log.println("jpool: the process that started the kernel (pid " + p.pid() + ") has exited; shutting down");
            try {
                kernel.shutdown();
            } finally {
                Runtime.getRuntime().halt(0);
            }
        }));
    }

    /** With interrupt_mode "message" SIGINT is not expected, but if one comes (a terminal), it interrupts. */
    private static void handleSigint(JavaKernel kernel) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> kernel.interrupt());
        } catch (Throwable ignored) {
            // not available on this JVM: SIGINT keeps its default meaning
        }
    }
}
