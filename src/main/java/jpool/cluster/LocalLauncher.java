package jpool.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import jpool.wire.Signer;
import jpool.wire.StartRecord;

/**
 * Starts worker JVMs as child processes of this JVM.
 *
 * <p>The command is {@code java -cp <class path> <defaults> <jvm options> jpool.worker.WorkerMain --connect
 * <endpoint> --id <id> --started-file <start record>}. The start-up facts travel as follows:
 * <ul>
 *   <li>the key goes to the child's standard input as its first line (never on the command line);</li>
 *   <li>the pipe stays open: the worker exits when it closes, so a worker cannot outlive this JVM, and
 *       {@link WorkerHandle#release()} closes it;</li>
 *   <li>the start record is a small memory-mapped file in the temporary folder that the worker writes
 *       each unit's id into as it starts it, readable after the worker died.</li>
 * </ul>
 * The child's standard output and error are merged and the last lines kept for diagnostics.
 */
final class LocalLauncher implements WorkerLauncher {

    static final LocalLauncher INSTANCE = new LocalLauncher();
    static final String WORKER_MAIN = "jpool.worker.WorkerMain";
    private static final int TAIL_LINES = 20;

    private LocalLauncher() {
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public String toString() {
        return name();
    }

    static List<String> command(ClusterConfig config, String endpoint, String id, StartRecord startRecord) {
        List<String> cmd = new ArrayList<>();
        cmd.add(config.javaCommand());
        cmd.add("-cp");
        cmd.add(config.classPath());
        cmd.addAll(ClusterConfig.DEFAULT_JVM_OPTIONS);
        cmd.addAll(config.jvmOptions());
        cmd.add(WORKER_MAIN);
        cmd.add("--connect");
        cmd.add(endpoint);
        cmd.add("--id");
        cmd.add(id);
        cmd.add("--started-file");
        cmd.add(startRecord.path().toString());
        return cmd;
    }

    @Override
    public WorkerHandle launch(Launch launch) throws IOException {
        StartRecord record;
        try {
            record = StartRecord.create();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        Process p;
        try {
            ProcessBuilder pb = new ProcessBuilder(command(launch.config(), launch.endpoint(), launch.routingId(),
                    record));
            pb.redirectErrorStream(true);
            p = pb.start();
        } catch (IOException | RuntimeException e) {
            record.discard();
            throw e;
        }
        Child child = new Child(p, record);
        try {
            child.stdin.write((Signer.keyToHex(launch.key()) + "\n").getBytes(StandardCharsets.US_ASCII));
            child.stdin.flush();
        } catch (IOException e) {
            // the process died at once; its exit is reported through onExit
        }
        return child;
    }

    /** A running worker process with the tail of its output. */
    private static final class Child implements WorkerHandle {
        private final Process process;
        private final StartRecord record;
        private final ArrayDeque<String> tail = new ArrayDeque<>();
        private final Thread reader;
        private final OutputStream stdin;
        private final CompletableFuture<Integer> exit;

        Child(Process process, StartRecord record) {
            this.process = process;
            this.record = record;
            this.stdin = process.getOutputStream();
            this.reader = LibraryThreads.newThread(this::readOutput, "jpool-worker-output-" + process.pid());
            reader.start();
            this.exit = process.onExit().thenApply(Process::exitValue);
        }

        private void readOutput() {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (tail) {
                        if (tail.size() == TAIL_LINES) {
                            tail.removeFirst();
                        }
                        tail.addLast(line);
                    }
                    if (Boolean.getBoolean("jpool.debug")) {
                        System.err.println("[jpool worker " + process.pid() + "] " + line);
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public CompletableFuture<Integer> onExit() {
            return exit;
        }

        @Override
        public List<String> outputTail(long waitMs) {
            try {
                reader.join(waitMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (tail) {
                return new ArrayList<>(tail);
            }
        }

        @Override
        public void release() {
            try {
                stdin.close();
            } catch (IOException e) {
                // already closed
            }
        }

        @Override
        public void kill() {
            process.destroyForcibly();
        }

        @Override
        public long lastStartedUnit() {
            return record.lastStarted();
        }

        @Override
        public void discard() {
            record.discard();
        }
    }
}
