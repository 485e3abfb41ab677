package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jpool.cluster.ClusterConfig;
import jpool.wire.Timeouts;
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
    void everyRefusedSettingIsNamedWithItsValue() {
        assertEquals("processes must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> Pool.builder().processes(0)).getMessage());
        assertEquals("maxTasksPerChild must not be negative, got -1",
                assertThrows(IllegalArgumentException.class, () -> Pool.builder().maxTasksPerChild(-1)).getMessage());
        assertEquals("retries must not be negative, got -2",
                assertThrows(IllegalArgumentException.class, () -> Pool.builder().retries(-2)).getMessage());
        assertEquals("taskTimeout must not be negative, got PT-0.001S", assertThrows(IllegalArgumentException.class,
                () -> Pool.builder().taskTimeout(Duration.ofMillis(-1))).getMessage());
        assertEquals("cancelGrace must not be negative, got PT-1S", assertThrows(IllegalArgumentException.class,
                () -> Pool.builder().cancelGrace(Duration.ofSeconds(-1))).getMessage());
        assertEquals("cancelGrace", assertThrows(NullPointerException.class,
                () -> Pool.builder().cancelGrace(null)).getMessage());
        assertEquals("taskTimeout must be at most PT876000H (100 years), got PT876000H0.000000001S",
                assertThrows(IllegalArgumentException.class,
                        () -> Pool.builder().taskTimeout(ClusterConfig.MAX_DURATION.plusNanos(1))).getMessage());
        assertEquals("heartbeat must be positive, got PT0S", assertThrows(IllegalArgumentException.class,
                () -> ClusterConfig.builder().heartbeat(Duration.ZERO)).getMessage());
        assertEquals("workerSilence must be longer than heartbeat (PT2S), got PT2S",
                assertThrows(IllegalArgumentException.class, () -> ClusterConfig.builder()
                        .heartbeat(Duration.ofSeconds(2)).workerSilence(Duration.ofSeconds(2)).build()).getMessage());
        assertEquals("initializer code given without an initializer", assertThrows(IllegalArgumentException.class,
                () -> ClusterConfig.builder().initializer(null, new jpool.cluster.CodeAttachment(new byte[0],
                        List.of(), h -> null))).getMessage());
    }

    @Test
    void durationsKeepTheirPrecisionAndRoundUpOnTheWire() {
        ClusterConfig defaults = ClusterConfig.builder().build();
        assertEquals(Timeouts.WORKER_SILENCE, defaults.workerSilence(), "the default a worker uses before its welcome");
        assertEquals(5000, defaults.workerSilenceMs());
        assertEquals(1000, defaults.heartbeatMs());
        assertEquals(10_000, defaults.controllerSilenceMs());
        assertEquals(2000, defaults.cancelGraceMs());
        assertEquals(60_000, defaults.startTimeoutMs());
        assertEquals(0, defaults.taskTimeoutMs(), "no limit");

        ClusterConfig tiny = defaults.toBuilder().taskTimeout(Duration.ofNanos(500_000))
                .cancelGrace(Duration.ofNanos(1)).build();
        assertEquals(Duration.ofNanos(500_000), tiny.taskTimeout());
        assertEquals(1, tiny.taskTimeoutMs(), "500 us is a limit of 1 ms, not none");
        assertEquals(1, tiny.cancelGraceMs());
        ClusterConfig fraction = defaults.toBuilder().taskTimeout(Duration.ofNanos(1_000_001)).build();
        assertEquals(2, fraction.taskTimeoutMs());
        assertEquals(0, defaults.toBuilder().cancelGrace(Duration.ZERO).build().cancelGraceMs());
        assertEquals(5000, tiny.workerSilenceMs(), "toBuilder keeps the other settings");
    }

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
            assertTrue(pool.workers().stream().anyMatch(w -> w.state() != PoolWorker.State.STARTING),
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
