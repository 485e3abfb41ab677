package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Killing the controller's JVM with SIGKILL leaves no workers behind. */
@ExtendWith(NoWorkersLeft.class)
@Timeout(90)
class ControllerDeathIT {

    @Test
    void workersExitWhenTheControllerJvmIsKilled() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-cp",
                System.getProperty("java.class.path"), "-XX:+UseSerialGC", ControllerMain.class.getName());
        pb.redirectErrorStream(true);
        Process controller = pb.start();
        List<Long> workers = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(controller.getInputStream()))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("PIDS ")) {
                    for (String p : line.substring(5).trim().split(" ")) {
                        workers.add(Long.parseLong(p));
                    }
                    break;
                }
            }
            assertEquals(2, workers.size(), "controller did not report its workers");
            for (long pid : workers) {
                assertTrue(Procs.running(pid));
            }
            controller.destroyForcibly(); // SIGKILL
            controller.waitFor();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline && workers.stream().anyMatch(Procs::running)) {
                Thread.sleep(50);
            }
            for (long pid : workers) {
                assertTrue(!Procs.running(pid), "worker " + pid + " outlived its controller by 10 s");
            }
        } finally {
            controller.destroyForcibly();
            for (long pid : workers) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
