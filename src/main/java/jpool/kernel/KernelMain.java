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
        if (args.length == 1 && args[0].equals("--warmup")) {
            warmup();
            return;
        }
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
        Runtime.getRuntime().addShutdownHook(new Thread(kernel::shutdown, "jpool-shutdown"));
        handleSigint(kernel);
        while (!server.awaitTermination(1, TimeUnit.DAYS)) {
            // the poller ends after shutdown_request
        }
        System.exit(0);
    }

    /**
     * Exercises the start-up path once without a frontend: sockets, messages, JShell with the start-up
     * snippets and a few cells. install.sh runs it with -XX:ArchiveClassesAtExit so the kernel then starts
     * from a class-data archive.
     */
    private static void warmup() throws Exception {
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        int[] ports = new int[5];
        for (int i = 0; i < ports.length; i++) {
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                ports[i] = s.getLocalPort();
            }
        }
        ConnectionInfo info = new ConnectionInfo("tcp", "127.0.0.1", ports[0], ports[1], ports[2], ports[3], ports[4],
                "hmac-sha256", "warmup");
        JupyterServer server = new JupyterServer(info, quiet);
        server.start();
        try (JShellEvaluator e = new JShellEvaluator(java.util.List.of(), quiet)) {
            for (String s : JavaKernel.STARTUP) {
                e.eval(s, 0, 0, quiet);
            }
            e.eval("int warm(int x) { return x + 1; }\nrecord Pt(int x) {}\nvar l = List.of(new Pt(warm(1)));\nl.size()",
                    1, 0, quiet);
            e.complete("Math.ma", 7);
            e.inspect("Math.max", 6, false);
        } finally {
            server.close();
            server.awaitTermination(5, TimeUnit.SECONDS);
        }
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
