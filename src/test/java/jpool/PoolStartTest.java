package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Pools whose worker JVMs cannot come up: start() must say so, and so must a pool whose workers died. */
@ExtendWith(NoWorkersLeft.class)
@Timeout(120)
class PoolStartTest {

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
}
