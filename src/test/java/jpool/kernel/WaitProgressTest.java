package jpool.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import jpool.AsyncResult;
import jpool.CallScope;
import jpool.Pool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** When a cell's waits show their result's progress ({@link WaitProgress}), on results of a thread pool. */
@Timeout(60)
class WaitProgressTest {

    private static final long AFTER_MS = 150;

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final Pool pool = Pool.threads(2);
    private final List<Object> shown = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstShown = new CountDownLatch(1);
    private final WaitProgress progress = new WaitProgress(timers, TimeUnit.MILLISECONDS.toNanos(AFTER_MS), v -> {
        shown.add(v);
        firstShown.countDown();
        return "display-" + shown.size();
    });

    @AfterEach
    void stop() {
        timers.shutdownNow();
        pool.terminate();
    }

    /** A result that runs until the latch opens. */
    private AsyncResult<Integer> held(CountDownLatch gate) {
        return pool.applyAsync(x -> {
            gate.await();
            return x;
        }, 1);
    }

    /** Runs an empty task on the timer thread and waits for it: every timer due before it has run. */
    private void drainTimers() throws Exception {
        timers.submit(() -> { }).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aWaitThatLastsShowsItsResultOnceAndAShortOneNothing() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        AsyncResult<Integer> r = held(gate);
        long t0 = System.nanoTime();
        CallScope.Registration first = progress.waiting(r);
        CallScope.Registration second = progress.waiting(r); // two threads of the cell wait for it
        assertTrue(firstShown.await(10, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(AFTER_MS), "not before the time");
        first.close();
        second.close();
        gate.countDown();
        assertEquals(1, r.get(10, TimeUnit.SECONDS));
        drainTimers();
        assertEquals(List.of(r), shown, "shown once");

        AsyncResult<Integer> quick = pool.applyAsync(x -> x, 2);
        CallScope.Registration w = progress.waiting(quick);
        quick.get(10, TimeUnit.SECONDS);
        w.close();
        Thread.sleep(AFTER_MS * 2); // the subject: nothing shows once the wait is over, however long after
        drainTimers();
        assertEquals(List.of(r), shown, "a wait that ended in time shows nothing");
        progress.finish();
    }

    @Test
    void aWaitThatBeginsAfterTheTimeIsUpShowsAtOnceAsInAnImapLoop() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        AsyncResult<Integer> r = held(gate);
        progress.waiting(r).close(); // the loop took its first element at once
        Thread.sleep(AFTER_MS * 2); // the loop's body runs longer than the time
        drainTimers();
        assertEquals(List.of(), shown, "no wait in progress when the time was up");
        CallScope.Registration next = progress.waiting(r);
        assertTrue(firstShown.await(10, TimeUnit.SECONDS), "the next wait shows it");
        next.close();
        gate.countDown();
        progress.finish();
    }

    @Test
    void nothingShowsAfterTheCellEndedAndZeroMeansNever() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        AsyncResult<Integer> r = held(gate);
        progress.waiting(r);
        progress.finish();
        WaitProgress off = new WaitProgress(timers, 0, v -> {
            shown.add(v);
            return "x";
        });
        off.waiting(r);
        Thread.sleep(AFTER_MS * 2); // the subject: the time passes with waits in progress
        drainTimers();
        assertEquals(List.of(), shown);
        gate.countDown();
        off.finish();
    }
}
