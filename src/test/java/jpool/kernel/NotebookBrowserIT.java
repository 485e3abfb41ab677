package jpool.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * jpool in a real browser: starts Jupyter Notebook (Debian's classic 6.x) on 127.0.0.1 with a fresh token,
 * runtime, config and data directory and the freshly built kernel, and runs src/test/browser/notebook-pool.test.js
 * with node, which drives Debian's Chromium headless through Playwright: a live map display read mid-way and at
 * the end, the toolbar's stop button during a blocking map, and the next map on a full pool. Screenshots and the
 * server's log are left in target/browser/.
 *
 * <p>Everything started here stops also when the test fails: the notebook server (which shuts down its kernels,
 * which end their workers), the node process and the Chromium it started. Any kernel, worker or Chromium process
 * still running afterwards is killed and fails the test. Needs chromium, node, jupyter-notebook and
 * {@code npm ci} in src/test/browser, which .ci/run installs.
 */
class NotebookBrowserIT {

    private static final Path BROWSER_DIR = Path.of("src", "test", "browser");
    private static final Path SCRIPT = Path.of("notebook-pool.test.js");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path JUPYTER_NOTEBOOK = Path.of("/usr/bin/jupyter-notebook");
    private static final Path ARTIFACTS = Path.of("target", "browser").toAbsolutePath();
    private static final Duration SERVER_READY = Duration.ofSeconds(60);
    private static final Duration BROWSER_RUN = Duration.ofSeconds(300);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    @Test
    void poolDisplaysAndInterruptWorkInJupyterNotebook() throws Exception {
        requirePrerequisites();
        Files.createDirectories(ARTIFACTS);
        try (Stream<Path> old = Files.list(ARTIFACTS)) { // the screenshots left should be this run's
            for (Path f : old.filter(f -> f.toString().endsWith(".png")).toList()) {
                Files.delete(f);
            }
        }
        try (KernelInstall install = new KernelInstall()) {
            Path profile = install.root.resolve("chromium-profile");
            Path notebooks = Files.createDirectories(install.root.resolve("notebooks"));
            install.env.put("JUPYTER_CONFIG_DIR", Files.createDirectories(install.root.resolve("config")).toString());
            install.env.put("JUPYTER_DATA_DIR", Files.createDirectories(install.root.resolve("data")).toString());
            String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
            int port = freePort();
            String url = "http://127.0.0.1:" + port;

            List<String> serverCommand = new ArrayList<>(List.of(JUPYTER_NOTEBOOK.toString(), "--no-browser",
                    "--ip=127.0.0.1", "--port=" + port, "--port-retries=0", "--NotebookApp.token=" + token,
                    "--notebook-dir=" + notebooks));
            if ("root".equals(System.getProperty("user.name"))) {
                serverCommand.add("--allow-root"); // the notebook refuses to run as root without it
            }
            Path serverLog = ARTIFACTS.resolve("notebook-server.log");
            ProcessBuilder serverBuilder = new ProcessBuilder(serverCommand).redirectErrorStream(true)
                    .redirectOutput(serverLog.toFile());
            serverBuilder.environment().putAll(install.env);
            Process server = serverBuilder.start();
            List<String> leaks = new ArrayList<>();
            try {
                awaitReady(server, url, token, serverLog);
                System.out.println("[browser-it] Jupyter Notebook on " + url + " (pid " + server.pid() + ")");

                ProcessBuilder nodeBuilder = new ProcessBuilder("node", SCRIPT.toString())
                        .directory(BROWSER_DIR.toFile()).redirectErrorStream(true);
                nodeBuilder.environment().putAll(Map.of("JPOOL_NOTEBOOK_URL", url, "JPOOL_NOTEBOOK_TOKEN", token,
                        "JPOOL_SCREENSHOTS", ARTIFACTS.toString(), "JPOOL_BROWSER_PROFILE", profile.toString(),
                        "JPOOL_CHROMIUM", CHROMIUM.toString()));
                int code = runEchoing(nodeBuilder.start(), BROWSER_RUN);
                assertEquals(0, code, "the browser test failed (its output is above; screenshots in " + ARTIFACTS + ")");
            } finally {
                stopServer(server, leaks);
                killLeftovers("Chromium", chromiumProcesses(profile), leaks);
                killLeftovers("kernel or worker JVM", install.leftoverKernels(), leaks);
                System.out.println("[browser-it] notebook server log:");
                Files.readAllLines(serverLog).forEach(line -> System.out.println("  | " + line));
            }
            assertTrue(leaks.isEmpty(), "processes left running after the notebook server stopped: " + leaks);
        }
    }

    /** Fails, saying what to install, when a tool the test drives is missing. */
    private static void requirePrerequisites() {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(CHROMIUM)) {
            missing.add(CHROMIUM + " (apt-get install chromium)");
        }
        if (!Files.isExecutable(JUPYTER_NOTEBOOK)) {
            missing.add(JUPYTER_NOTEBOOK + " (apt-get install jupyter-notebook)");
        }
        if (!onPath("node")) {
            missing.add("node (apt-get install nodejs npm)");
        }
        if (!Files.isDirectory(BROWSER_DIR.resolve("node_modules").resolve("playwright-core"))) {
            missing.add("playwright-core in " + BROWSER_DIR + "/node_modules (cd " + BROWSER_DIR + " && npm ci)");
        }
        if (!missing.isEmpty()) {
            fail("the browser test needs " + String.join(", ", missing) + "; .ci/run installs all of them");
        }
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** A port free on the loopback now; the server is told not to try others, so a lost race fails clearly. */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Waits until the server answers its status API with the token, or fails (with its log) if it exits. */
    private static void awaitReady(Process server, String url, String token, Path log) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest status = HttpRequest.newBuilder(URI.create(url + "/api/status"))
                .header("Authorization", "token " + token).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + SERVER_READY.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(status, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            // returns at once if the server has exited; else paces the next attempt
            if (server.waitFor(100, TimeUnit.MILLISECONDS)) {
                fail("the notebook server exited with " + server.exitValue() + " before it was ready:\n"
                        + Files.readString(log));
            }
        }
        fail("the notebook server did not answer " + url + "/api/status within " + SERVER_READY.toSeconds()
                + " s:\n" + Files.readString(log));
    }

    /** Echoes the process's output line by line and returns its exit code; kills it and its children on timeout. */
    private static int runEchoing(Process p, Duration timeout) throws Exception {
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    System.out.println("  | " + line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "browser-test-output");
        pump.start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            List<ProcessHandle> children = p.descendants().toList();
            p.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            pump.join(5000);
            fail("the browser test did not finish within " + timeout.toSeconds() + " s; it was killed");
        }
        pump.join(5000);
        return p.exitValue();
    }

    /**
     * Stops the server as Ctrl-C would (SIGTERM: it shuts down its kernels first); kills it and everything it
     * started if it does not exit within the grace, and records that as a leak.
     */
    private static void stopServer(Process server, List<String> leaks) throws InterruptedException {
        List<ProcessHandle> started = server.descendants().toList();
        server.destroy();
        if (!server.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
            leaks.add("the notebook server (pid " + server.pid() + ") ignored SIGTERM for " + STOP_GRACE.toSeconds() + " s");
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
        killLeftovers("process started by the notebook server", started, leaks);
    }

    /** Gives processes a few seconds to finish exiting, then kills the ones still running and records them. */
    private static void killLeftovers(String what, List<ProcessHandle> processes, List<String> leaks) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (ProcessHandle ph : processes) {
            try {
                ph.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                leaks.add(what + " " + ph.pid() + " " + ph.info().commandLine().orElse(""));
                ph.descendants().forEach(ProcessHandle::destroyForcibly);
                ph.destroyForcibly();
            }
        }
    }

    /** Chromium processes of this test's profile (its command line names the profile directory). */
    private static List<ProcessHandle> chromiumProcesses(Path profile) {
        String marker = profile.toString();
        return ProcessHandle.allProcesses()
                .filter(ph -> ph.info().commandLine().orElse("").contains(marker))
                .toList();
    }
}
