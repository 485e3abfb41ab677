package jpool.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import jpool.wire.Signer;
import jpool.wire.StartRecord;

/**
 * Starts worker JVMs as child processes of this JVM.
 *
 * <p>The command is {@code java -cp <class path> <defaults> <jvm options> jpool.worker.WorkerMain --connect
 * <endpoint> --id <id> --started-file <start record>}. The key goes to the child's standard input as its first line (never on the
 * command line), and the pipe stays open: the worker exits when it closes, so a worker cannot outlive
 * this JVM. The child's standard output and error are merged and the last lines kept for diagnostics.
 */
final class LocalLauncher {

    static final String WORKER_MAIN = "jpool.worker.WorkerMain";
    private static final int TAIL_LINES = 20;

    private LocalLauncher() {
    }

    /** A running worker process with the tail of its output. */
    static final class Child {
        final Process process;
        private final ArrayDeque<String> tail = new ArrayDeque<>();
        private final Thread reader;
        private final OutputStream stdin;

        Child(Process process) {
            this.process = process;
            this.stdin = process.getOutputStream();
            this.reader = LibraryThreads.newThread(this::readOutput, "jpool-worker-output-" + process.pid());
            reader.start();
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

        /** The last lines of output; waits briefly for the reader to reach the end after an exit. */
        List<String> tail(long waitMs) {
            try {
                reader.join(waitMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (tail) {
                return new ArrayList<>(tail);
            }
        }

        /** Closes the child's standard input, which makes a healthy worker exit. */
        void closeStdin() {
            try {
                stdin.close();
            } catch (IOException e) {
                // already closed
            }
        }
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

    static Child launch(ClusterConfig config, String endpoint, String id, byte[] key, StartRecord startRecord)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(config, endpoint, id, startRecord));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        Child child = new Child(p);
        try {
            child.stdin.write((Signer.keyToHex(key) + "\n").getBytes(StandardCharsets.US_ASCII));
            child.stdin.flush();
        } catch (IOException e) {
            // the process died at once; its exit is reported through onExit
        }
        return child;
    }
}
