package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jpool.cluster.LibraryThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Threads a pool makes for itself never join the thread group of the code that created the pool: in the
 * kernel that group is a cell's, which the kernel stops on an interrupt.
 */
@ExtendWith(NoWorkersLeft.class)
@Timeout(60)
class LibraryThreadsTest {

    @Test
    void aPoolCreatedInAGroupPutsNoThreadOfItsOwnThere() throws Exception {
        ThreadGroup cell = new ThreadGroup("a cell");
        CompletableFuture<List<String>> inCellGroup = new CompletableFuture<>();
        Thread creator = new Thread(cell, () -> {
            try (Pool pool = Pool.create(2); Pool threads = Pool.threads(2)) {
                CountDownLatch called = new CountDownLatch(1);
                AsyncResult<Integer> r = pool.applyAsync(() -> 6 * 7);
                r.onSuccess(v -> called.countDown());
                threads.apply(() -> 1);
                r.get();
                called.await(30, TimeUnit.SECONDS);
                // everything the pools started is running now: controller, JeroMQ, output readers, callbacks
                Thread[] all = new Thread[cell.activeCount() + 16];
                int n = cell.enumerate(all, true);
                List<String> foreign = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    if (all[i] != Thread.currentThread()) {
                        foreign.add(all[i].getName());
                    }
                }
                inCellGroup.complete(foreign);
            } catch (Throwable t) {
                inCellGroup.completeExceptionally(t);
            }
        }, "creator");
        creator.start();
        assertEquals(List.of(), inCellGroup.get(45, TimeUnit.SECONDS), "library threads in the creator's group");
        creator.join();
    }

    @Test
    void libraryThreadsAreDaemonsOfTheJpoolGroup() {
        Thread t = LibraryThreads.newThread(() -> { }, "x");
        assertEquals("jpool", t.getThreadGroup().getName());
        assertEquals(null, t.getThreadGroup().getParent().getParent(), "a child of the top-level group");
        assertEquals(true, t.isDaemon());
    }
}
