package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Pool.threads: the same API in-process. */
@Timeout(60)
class ThreadPoolTest {

    static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    @Test
    void sameApiInProcess() throws Exception {
        try (Pool pool = Pool.threads(2)) {
            long me = ProcessHandle.current().pid();
            assertEquals(me, (long) pool.apply(() -> ProcessHandle.current().pid()));
            assertEquals(range(50).stream().map(x -> x * 3).collect(Collectors.toList()),
                    pool.map((Integer x) -> x * 3, range(50)));
            assertEquals(List.of(3, 7), pool.starmap((Integer a, Integer b) -> a + b, List.of(Map.entry(1, 2),
                    Map.entry(3, 4))));
            List<Integer> it = new ArrayList<>();
            pool.imap((Integer x) -> x, range(10), 3).forEachRemaining(it::add);
            assertEquals(range(10), it);
            List<Integer> un = new ArrayList<>();
            pool.imapUnordered((Integer x) -> x, range(10)).forEachRemaining(un::add);
            assertEquals(10, un.size());

            TaskFailedException e = assertThrows(TaskFailedException.class, () -> pool.apply(() -> {
                throw new IllegalStateException("t");
            }));
            assertInstanceOf(IllegalStateException.class, e.getCause());

            AsyncResult<String> r = pool.applyAsync(() -> {
                System.out.println("captured in thread");
                return "x";
            });
            assertEquals("x", r.get());
            assertEquals("captured in thread\n", r.stdout());
            assertTrue(r.workerId().isPresent());
        }
    }

    @Test
    void cancelInterruptsAThread() throws Exception {
        try (Pool pool = Pool.threads(1)) {
            CountDownLatch started = new CountDownLatch(1);
            AsyncResult<Integer> r = pool.applyAsync(() -> {
                started.countDown();
                Thread.sleep(60_000);
                return 1;
            });
            assertTrue(started.await(10, TimeUnit.SECONDS));
            assertTrue(r.cancel(true));
            assertThrows(CancellationException.class, r::get);
            assertEquals(2, pool.apply(() -> 2));
        }
    }

    @Test
    void initializerPerThreadAndRejectedProcessOnlySettings() throws Exception {
        ThreadLocal<String> tl = new ThreadLocal<>();
        try (Pool pool = Pool.builder().processes(2).threads().initializer(() -> tl.set("init")).start()) {
            assertEquals(List.of("init", "init", "init"), pool.map((Integer x) -> tl.get(), range(3), 1));
        }
        assertThrows(IllegalArgumentException.class,
                () -> Pool.builder().threads().taskTimeout(Duration.ofSeconds(1)).start());
    }
}
