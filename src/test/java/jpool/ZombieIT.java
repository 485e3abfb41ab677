package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A thousand recycled workers leave no zombie processes. */
@ExtendWith(NoWorkersLeft.class)
@Timeout(600)
class ZombieIT {

    @Test
    void thousandRecycledWorkersLeaveNoZombies() throws Exception {
        int n = Integer.getInteger("jpool.zombie.tasks", 1000);
        long me = ProcessHandle.current().pid();
        try (Pool pool = Pool.builder().processes(2).maxTasksPerChild(1)
                .jvmOptions("-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-Xss512k", "-Xmx64m")
                .start()) {
            List<Long> pids = pool.map((Integer i) -> ProcessHandle.current().pid(),
                    IntStream.range(0, n).boxed().collect(Collectors.toList()), 1);
            assertEquals(n, new HashSet<>(pids).size(), "every task ran in a fresh worker");
        }
        List<Long> zombies = Procs.zombieChildren(me);
        for (int i = 0; i < 50 && !zombies.isEmpty(); i++) {
            Thread.sleep(100); // the JDK reaps asynchronously
            zombies = Procs.zombieChildren(me);
        }
        assertTrue(zombies.isEmpty(), "zombie children: " + zombies);
    }
}
