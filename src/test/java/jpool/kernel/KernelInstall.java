package jpool.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * For the end-to-end tests: installs the freshly built kernel with install.sh into a temporary prefix,
 * runs commands against it with Debian's Python, and finds kernel JVMs that were left running.
 */
final class KernelInstall implements AutoCloseable {

    /** Debian's Python, which has jupyter_client (the python3 first on PATH may not). */
    static final String PYTHON = "/usr/bin/python3";

    final Path root;
    final Path prefix;
    final Map<String, String> env = new HashMap<>();

    KernelInstall() throws Exception {
        Path jar;
        try (Stream<Path> s = Files.list(Path.of("target"))) {
            jar = s.filter(p -> p.getFileName().toString().matches("jpool-.*-all\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no target/jpool-*-all.jar: run after mvn package"));
        }
        root = Files.createTempDirectory("jpool-e2e-");
        prefix = root.resolve("prefix");
        env.put("JUPYTER_PATH", prefix.resolve("share/jupyter").toString());
        env.put("JUPYTER_RUNTIME_DIR", root.resolve("runtime").toString());
        env.put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
        env.put("PYTHONWARNINGS", "ignore");
        String javaHome = System.getProperty("java.home");
        env.put("JAVA_HOME", javaHome); // the kernel runs on the JVM that runs the tests
        int code = run(List.of("./install.sh", "--no-build", "--prefix", prefix.toString()), 120);
        assertEquals(0, code, "install.sh failed");
        System.out.println("[e2e] installed " + jar + " into " + prefix + " (java " + javaHome + ")");
    }

    /** Runs a command with the install's environment, echoing its output; returns its exit code. */
    int run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!line.contains("frozen modules") && !line.startsWith("0.00s - ")) {
                        System.out.println("  | " + line);
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
        });
        pump.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            pump.join(5000);
            fail(command + " did not finish within " + timeoutSeconds + " s");
        }
        pump.join(5000);
        return p.exitValue();
    }

    /**
     * Runs a Python test script (with src/test/python on PYTHONPATH) against this install and
     * asserts that it passed and left no kernel JVM running.
     */
    void runPythonSuite(String script, long timeoutSeconds) throws Exception {
        env.put("PYTHONPATH", "src/test/python");
        int code;
        try {
            code = run(List.of(PYTHON, script), timeoutSeconds);
        } finally {
            // the same 500 ms of grace as before, but no longer than the kernels take to exit
            long deadline = System.nanoTime() + 500_000_000L;
            for (ProcessHandle ph : leftoverKernels()) {
                try {
                    ph.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                    // still running: reported below
                }
            }
            List<ProcessHandle> left = leftoverKernels();
            if (!left.isEmpty()) {
                fail("kernel JVMs left running: " + left.stream()
                        .map(p -> p.pid() + " " + p.info().commandLine().orElse("")).toList());
            }
        }
        assertEquals(0, code, script + " failed (see its output above)");
    }

    /** Kernel JVMs started from this install that are still running. */
    List<ProcessHandle> leftoverKernels() {
        List<ProcessHandle> left = new ArrayList<>();
        String marker = prefix.toString();
        ProcessHandle.allProcesses().forEach(ph -> {
            String cmd = ph.info().commandLine().orElse("");
            if (cmd.contains(marker) && cmd.contains("java")) {
                left.add(ph);
            }
        });
        return left;
    }

    @Override
    public void close() throws IOException {
        for (ProcessHandle ph : leftoverKernels()) {
            ph.destroyForcibly();
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
