package jpool.ipc;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import jpool.CallScope;
import jpool.NotSerializableTaskException;
import jpool.OutputChunk;
import jpool.cluster.ClusterConfig;
import jpool.cluster.CodeAttachment;
import jpool.cluster.Controller;
import jpool.cluster.JobListener;
import jpool.cluster.JobSubmission;
import jpool.cluster.LibraryThreads;
import jpool.cluster.UnitFailure;
import jpool.cluster.WorkerHandle;
import jpool.ship.Capture;
import jpool.ship.CodeShipper;
import jpool.ship.NotShippableException;
import jpool.ship.Shipment;
import jpool.wire.OutputPiece;
import jpool.wire.TaskCodec;
import jpool.wire.UnitResult;

/**
 * The parent's side of one started {@link JProcess}: a controller of its own with exactly one worker JVM
 * (never replaced), the one job that runs the process there ({@link JProcessRun}), the child's output and
 * its end.
 *
 * <p>The process has ended when its JVM has exited and the controller has settled the job (so that all
 * output sent before the exit has been delivered), or a few seconds after the exit if the job never reached
 * the JVM. Output and the end are handled on one shared thread, in order: whoever sees the end has seen
 * all the output before it.
 */
final class JProcessParent {

    /** How long after the child's exit the job may take to settle (its last output to arrive). */
    private static final long SETTLE_MS = 3_000;
    private static final ExecutorService OUTPUT = Executors.newSingleThreadExecutor(
            r -> LibraryThreads.newThread(r, "jpool-process-output"));

    private final JProcess process;
    private final String name;
    private final boolean daemon;
    private final Consumer<JProcess> onEnd;
    private final CallScope scope = CallScope.current();
    private volatile boolean scopeLive = scope != null;
    private final StringBuilder outLine = new StringBuilder();
    private final StringBuilder errLine = new StringBuilder();
    private final CompletableFuture<Void> settled = new CompletableFuture<>();
    private final CountDownLatch end = new CountDownLatch(1);
    private volatile boolean dispatched;
    private volatile Integer exitCode;
    private Controller controller;
    private WorkerHandle handle;

    JProcessParent(JProcess process, String name, boolean daemon, Consumer<JProcess> onEnd) {
        this.process = process;
        this.name = name;
        this.daemon = daemon;
        this.onEnd = onEnd;
    }

    /** Serializes the process, launches its JVM and queues its job; see {@link JProcess#start()}. */
    void start() {
        CodeShipper shipper = CodeShipper.installed();
        CodeShipper.Submission analysis = shipper == null ? null : shipper.begin();
        byte[] function;
        byte[] arguments;
        try {
            function = TaskCodec.encodeFunction(new JProcessRun(process, ProcessHandle.current().pid()), analysis);
            arguments = TaskCodec.encodeArguments(new Object[] {null}, analysis);
        } catch (IOException | RuntimeException e) {
            throw new NotSerializableTaskException("cannot send process " + name + " to its JVM: " + e + ". The"
                    + " process object travels to the child: make the fields of a JProcess subclass Serializable"
                    + " (or transient), and give a target (jpool.Job, jpool.Fn) that captures only Serializable"
                    + " values", e);
        }
        CodeAttachment attachment = null;
        if (analysis != null) {
            attachment = attachment(shipper, analysis);
        }
        JProcessLauncher launcher = new JProcessLauncher();
        ClusterConfig config = ClusterConfig.builder()
                .processes(1)
                .replaceWorkers(false)
                .cancelGrace(ClusterConfig.MAX_DURATION)
                .launcher(launcher)
                .build();
        try {
            controller = Controller.start(config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start process " + name + ": " + e.getMessage(), e);
        }
        try {
            handle = launcher.handle().getNow(null);
        } catch (RuntimeException e) {
            controller.terminate();
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new UncheckedIOException("cannot launch the JVM of process " + name + ": " + cause,
                    cause instanceof IOException io ? io : new IOException(cause));
        }
        if (handle == null) {
            controller.terminate();
            throw new UncheckedIOException(new IOException("cannot launch the JVM of process " + name));
        }
        long jobId = controller.newJobId();
        controller.submit(jobId, new JobSubmission(function, List.of(new JobSubmission.Unit(0, 1, arguments)),
                new Listener(), attachment));
        handle.onExit().thenAccept(code -> settled
                .completeOnTimeout(null, SETTLE_MS, TimeUnit.MILLISECONDS)
                .thenRunAsync(() -> finish(code), OUTPUT));
        if (!daemon) {
            // The JVM does not end while a non-daemon thread runs: this one lasts as long as the child.
            Thread keeper = new Thread(LibraryThreads.group(), this::awaitQuietly, "jpool-process-" + name);
            keeper.setDaemon(false);
            keeper.start();
        }
    }

    private static CodeAttachment attachment(CodeShipper shipper, CodeShipper.Submission analysis) {
        Capture capture;
        try {
            capture = analysis.finish();
        } catch (NotShippableException e) {
            throw new NotSerializableTaskException(e.getMessage(), e);
        }
        for (String warning : capture.warnings()) {
            System.err.println("jpool: " + warning);
        }
        Shipment shipment = capture.shipment();
        if (shipment.hashes().isEmpty() && shipment.state().isEmpty()) {
            return null;
        }
        List<String> blobs = new ArrayList<>(shipment.classes().values());
        for (Shipment.JarRef jar : shipment.jars()) {
            if (!java.nio.file.Files.isRegularFile(java.nio.file.Path.of(jar.path()))) {
                blobs.add(jar.hash()); // folders travel packed; jar files are read in place
            }
        }
        return new CodeAttachment(shipment.encode(), blobs, shipper::bytes);
    }

    private void awaitQuietly() {
        boolean interrupted = false;
        while (true) {
            try {
                end.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The end, on the output thread after every piece of output before it. */
    private void finish(int code) {
        flushLine(outLine, OutputChunk.Stream.STDOUT);
        flushLine(errLine, OutputChunk.Stream.STDERR);
        if (!dispatched) {
            List<String> tail = handle.outputTail(1000);
            System.err.println("jpool: process " + name + " (pid " + handle.pid() + ") exited with code " + code
                    + " before it could run" + (tail.isEmpty() ? "" : "; its last output:\n  "
                    + String.join("\n  ", tail)));
        }
        exitCode = code > 128 && code < 160 ? -(code - 128) : code;
        controller.terminate();
        onEnd.accept(process);
        end.countDown();
    }

    long pid() {
        return handle.pid();
    }

    Integer exitCode() {
        return exitCode;
    }

    boolean ended() {
        return end.getCount() == 0;
    }

    /** Waits up to {@code nanos}; true if the process has ended. */
    boolean awaitEnd(long nanos) throws InterruptedException {
        if (nanos == Long.MAX_VALUE) {
            end.await();
            return true;
        }
        return end.await(nanos, TimeUnit.NANOSECONDS);
    }

    void signal(boolean kill) {
        if (ended() || handle.onExit().isDone()) {
            return;
        }
        if (kill) {
            handle.kill();
        } else {
            ProcessHandle.of(handle.pid()).ifPresent(ProcessHandle::destroy);
        }
    }

    void interrupt() {
        if (ended() || handle.onExit().isDone()) {
            return;
        }
        JProcessSignals.sendInterrupt(handle.pid());
    }

    // ------------------------------------------------------------------------------------ output

    private void output(OutputChunk.Stream stream, String text) {
        if (scopeLive) {
            try {
                if (scope.taskOutput(name, stream, text)) {
                    return;
                }
            } catch (RuntimeException e) {
                // a broken host: print it here instead
            }
            scopeLive = false;
            return; // the cell has returned: its output is not shown in a later cell
        }
        StringBuilder line = stream == OutputChunk.Stream.STDOUT ? outLine : errLine;
        int from = 0;
        int nl;
        while ((nl = text.indexOf('\n', from)) >= 0) {
            line.append(text, from, nl);
            print(stream, line);
            from = nl + 1;
        }
        line.append(text, from, text.length());
    }

    private void flushLine(StringBuilder line, OutputChunk.Stream stream) {
        if (line.length() > 0) {
            print(stream, line);
        }
    }

    private void print(OutputChunk.Stream stream, StringBuilder line) {
        PrintStream to = stream == OutputChunk.Stream.STDOUT ? System.out : System.err;
        to.println("[" + name + "] " + line);
        line.setLength(0);
    }

    /** The job's events, on the controller's I/O thread: handed to the output thread at once. */
    private final class Listener implements JobListener {
        @Override
        public void dispatched(int index, String workerId) {
            dispatched = true;
        }

        @Override
        public void started(int index, String workerId, long startedMicros) {
            dispatched = true;
        }

        @Override
        public void output(int index, String workerId, int stream, byte[] utf8) {
            String text = new String(utf8, StandardCharsets.UTF_8);
            OutputChunk.Stream s = stream == OutputPiece.STDERR ? OutputChunk.Stream.STDERR : OutputChunk.Stream.STDOUT;
            OUTPUT.execute(() -> JProcessParent.this.output(s, text));
        }

        @Override
        public void completed(int index, String workerId, UnitResult result) {
            OUTPUT.execute(() -> settled.complete(null));
        }

        @Override
        public void failed(int index, UnitFailure failure) {
            OUTPUT.execute(() -> settled.complete(null));
        }
    }
}
