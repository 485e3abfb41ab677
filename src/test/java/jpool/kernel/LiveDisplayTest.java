package jpool.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The scheduling of {@link LiveDisplay}: coalescing, the rate limit, the one final update, stopping. */
class LiveDisplayTest {

    private static final long GAP_MS = 100;

    /** A value that counts up to a target and reports each step to one watcher. */
    static final class Counter {
        final int target;
        final AtomicInteger value = new AtomicInteger();
        final AtomicReference<Runnable> watcher = new AtomicReference<>();
        final AtomicInteger watches = new AtomicInteger();
        final AtomicInteger unwatches = new AtomicInteger();

        Counter(int target) {
            this.target = target;
        }

        void step() {
            value.incrementAndGet();
            Runnable w = watcher.get();
            if (w != null) {
                w.run();
            }
        }
    }

    record Sent(long atNanos, String text) {
    }

    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    private static Renderers.Live counterLive(boolean withSource) {
        ChangeSource<Object> source = (v, changed) -> {
            Counter c = (Counter) v;
            c.watches.incrementAndGet();
            c.watcher.set(changed);
            return () -> {
                c.unwatches.incrementAndGet();
                c.watcher.set(null);
            };
        };
        return new Renderers.Live(v -> MimeBundle.text("count " + ((Counter) v).value.get()),
                v -> ((Counter) v).value.get() >= ((Counter) v).target, withSource ? source : null);
    }

    private LiveDisplay start(Counter c, boolean withSource, long idleMs) {
        LiveDisplay d = new LiveDisplay(c, counterLive(withSource), new String[0],
                b -> sent.add(new Sent(System.nanoTime(), b.toString())), ended0 -> ended.countDown(), scheduler,
                TimeUnit.MILLISECONDS.toNanos(GAP_MS), TimeUnit.MILLISECONDS.toNanos(idleMs));
        d.start(MimeBundle.text("count 0"));
        return d;
    }

    /** Waits for the end and for every render scheduled before it, so that nothing can be sent any more. */
    private void awaitQuiet() throws InterruptedException {
        assertTrue(ended.await(10, TimeUnit.SECONDS), "the live display did not end; sent " + sent);
        scheduler.shutdown();
        assertTrue(scheduler.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void reportedChangesAreCoalescedToTenPerSecondAndTheFinalStateIsSentOnceAndLast() throws Exception {
        Counter c = new Counter(400);
        long t0 = System.nanoTime();
        LiveDisplay d = start(c, true, 10_000);
        Thread stepper = new Thread(() -> {
            for (int i = 0; i < c.target; i++) {
                c.step();
                if (i % 40 == 0) {
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        });
        stepper.start();
        stepper.join();
        awaitQuiet();
        assertTrue(d.stopped());
        assertEquals("count 400", sent.get(sent.size() - 1).text());
        assertEquals(1, sent.stream().filter(s -> s.text().equals("count 400")).count(), "one final update: " + sent);
        long previous = t0;
        for (Sent s : sent) {
            assertTrue(s.atNanos() - previous >= TimeUnit.MILLISECONDS.toNanos(GAP_MS) - 1_000_000,
                    "updates closer than " + GAP_MS + " ms: " + sent);
            previous = s.atNanos();
        }
        assertTrue(sent.size() < 40, "changes were coalesced: " + sent.size() + " updates for 400 changes");
        assertEquals(1, c.watches.get());
        assertEquals(1, c.unwatches.get(), "the change source is stopped once the final state is shown");
    }

    @Test
    void aQuietValueIsRenderedAfterTheIdleTimeAndUnchangedBundlesAreNotSent() throws Exception {
        Counter c = new Counter(1);
        start(c, true, 200);
        c.value.set(1); // changed without a report: only the idle render can notice
        awaitQuiet();
        assertEquals(List.of("count 1"), sent.stream().map(Sent::text).toList());
        assertEquals(1, c.unwatches.get());
    }

    @Test
    void withoutASourceTheValueIsPolled() throws Exception {
        Counter c = new Counter(3);
        start(c, false, 10_000);
        for (int i = 0; i < 3; i++) {
            c.step();
        }
        awaitQuiet();
        assertEquals("count 3", sent.get(sent.size() - 1).text());
        assertEquals(0, c.watches.get());
    }

    @Test
    void stopEndsTheUpdatesWithoutAFinalOne() throws Exception {
        Counter c = new Counter(5);
        LiveDisplay d = start(c, true, 10_000);
        d.stop();
        d.stop();
        c.step();
        awaitQuiet();
        assertEquals(List.of(), sent);
        assertEquals(1, c.unwatches.get(), "stopped once, however often stop() is called");
    }

    @Test
    void aFinishedValueGetsNoLiveDisplayAsACellResult() {
        Renderers.global().registerLive(Counter.class, v -> MimeBundle.text("counter"), v -> v.value.get() >= v.target);
        DisplaySink sink = new DisplaySink() {
            @Override
            public void display(MimeBundle bundle, String displayId) {
                sent.add(new Sent(System.nanoTime(), "display " + displayId));
            }

            @Override
            public void update(MimeBundle bundle, String displayId) {
            }

            @Override
            public void clearOutput(boolean wait) {
            }

            @Override
            public void flushStreams() {
            }
        };
        Display.install(sink);
        try {
            assertNull(Display.showLiveResult(new Counter(0), Display::render), "finished: an ordinary result");
            assertEquals(List.of(), sent);
            assertEquals("counter", Display.showLiveResult(new Counter(1), Display::render).toString());
            assertEquals(1, sent.size());
            assertTrue(sent.get(0).text().matches("display [-0-9a-f]{36}"), sent.toString());
        } finally {
            Display.install(null);
            Display.stopAllLive();
            Renderers.global().unregister(Counter.class);
        }
    }
}
