package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Results say their state in words, never an implementation class. */
@ExtendWith(NoWorkersLeft.class)
@Timeout(60)
class ResultTextTest {

    @TempDir
    Path dir;

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(5);
        }
    }

    @Test
    void asyncAndMapResultsDescribeTheirState() throws Exception {
        String go = dir.resolve("go").toString();
        try (Pool pool = Pool.create(2)) {
            AsyncResult<Integer> one = pool.applyAsync(() -> {
                while (!Files.exists(Path.of(go))) {
                    Thread.sleep(5);
                }
                return 1;
            });
            await(() -> one.workerId().isPresent(), "the task has started");
            assertTrue(one.toString().matches("AsyncResult: running on w\\d+, \\d+\\.\\d s elapsed"), one.toString());
            Files.createFile(Path.of(go));
            assertEquals(1, one.get());
            assertTrue(one.toString().matches("AsyncResult: done on w\\d+ in \\d+\\.\\d\\d s"), one.toString());

            MapResult<Integer> map = pool.mapAsync((Integer x) -> x * 2, List.of(1, 2, 3, 4), 1);
            map.get();
            assertTrue(map.toString().matches("MapResult: done, 4/4 done, 0 failed, in \\d+\\.\\d\\d s"), map.toString());

            MapResult<Integer> failing = pool.mapAsync((Integer x) -> 6 / x, List.of(1, 0, 2), 1);
            assertThrows(ExecutionException.class, failing::get);
            assertTrue(failing.toString().startsWith("MapResult: failed, 2/3 done, 1 failed"), failing.toString());

            String hold = dir.resolve("hold").toString();
            MapResult<Integer> held = pool.mapAsync((Integer x) -> {
                while (!Files.exists(Path.of(hold))) {
                    Thread.sleep(5);
                }
                return x;
            }, List.of(1, 2, 3, 4, 5, 6), 1);
            String running = held.toString();
            assertTrue(running.matches("MapResult: (queued|running), 0/6 done, 0 failed, \\d on workers, \\d queued, "
                    + "\\d+\\.\\d s elapsed"), running);
            held.cancel(true);
            assertTrue(held.toString().startsWith("MapResult: cancelled"), held.toString());
            for (String text : List.of(one.toString(), map.toString(), failing.toString(), held.toString())) {
                assertFalse(text.contains("Impl") || text.contains("jpool.") || text.contains("["), text);
            }
        }
    }
}
