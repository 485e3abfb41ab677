package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Pools whose worker JVMs cannot come up: start() must say so, and so must a pool whose workers died. */
@ExtendWith(NoWorkersLeft.class)
@Timeout(120)
class PoolStartTest {

    @TempDir
    Path dir;

    @Test
    void startFailsWithTheJvmsMessageWhenWorkersCannotStart() {
        try (Pool pool = Pool.builder().processes(2).jvmOptions("-Xmx1k").start()) {
            fail("start() returned " + pool + " although no worker JVM can start with -Xmx1k");
        } catch (PoolStartException e) {
            assertTrue(e.getMessage().contains("Too small maximum heap"), e.getMessage());
            assertTrue(e.lastStderr().contains("Too small maximum heap"), e.lastStderr().toString());
            assertEquals(List.of(), NoWorkersLeft.liveWorkers(), "start() left worker processes behind");
        }
    }

    @Test
    void createReturnsAPoolWithAConnectedWorker() throws Exception {
        try (Pool pool = Pool.create(2)) {
            assertTrue(pool.workers().stream().anyMatch(w -> !w.state().equals("STARTING")),
                    "no worker had connected when create() returned: " + pool.workers());
            assertEquals(3, pool.apply((Integer x) -> x + 1, 2));
        }
    }

    @Test
    void poolWhoseWorkersAllDiedSaysSo() throws Exception {
        // Worker JVMs read their options from this file (the java launcher's @argfile) at each launch, so
        // replacements for the first workers can be made to fail.
        Path options = dir.resolve("worker-options");
        Files.writeString(options, "-Xmx64m\n");
        try (Pool pool = Pool.builder().processes(2).jvmOptions("@" + options).start()) {
            StatusTest.awaitReady(pool, 2);
            String healthy = pool.toString();
            assertTrue(healthy.startsWith("Pool[2 worker JVMs at tcp://127.0.0.1:"), healthy);
            Files.writeString(options, "-Xmx1k\n");
            List<PoolWorker> first = pool.workers();
            assertEquals(2, first.size());
            for (PoolWorker w : first) {
                ProcessHandle.of(w.pid()).orElseThrow().destroyForcibly();
            }
            // Three replacements in a row exit before connecting: the pool gives up and stops.
            assertTrue(pool.awaitTermination(Duration.ofSeconds(60)), "the pool did not give up: " + pool);
            String text = pool.toString();
            assertFalse(text.startsWith("Pool[2 worker JVMs"), text);
            assertTrue(text.startsWith("Pool[0 of 2 worker JVMs running at tcp://127.0.0.1:"), text);
            assertTrue(text.contains("broken: worker JVMs exit before connecting"), text);
            assertTrue(text.contains("Too small maximum heap"), text);
        }
    }
}
