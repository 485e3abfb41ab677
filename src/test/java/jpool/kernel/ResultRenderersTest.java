package jpool.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import jpool.AsyncResult;
import jpool.MapResult;
import jpool.Pool;
import jpool.ResultIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bundles of results and pools ({@link ResultHtml}) and their live displays ({@link LiveResults}), on a
 * pool of two real worker JVMs.
 */
@Timeout(120)
class ResultRenderersTest {

    private static Pool pool;

    @BeforeAll
    static void startPool() {
        pool = Pool.create(2);
        LiveResults.register(Renderers.global());
    }

    @AfterAll
    static void stopPool() {
        Renderers.global().unregister(AsyncResult.class);
        Renderers.global().unregister(ResultIterator.class);
        Renderers.global().unregister(Pool.class);
        if (pool != null) {
            pool.terminate();
        }
    }

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(MimeBundle b) {
        return (Map<String, Object>) b.data().get("application/json");
    }

    private static String html(MimeBundle b) {
        return (String) b.data().get("text/html");
    }

    @Test
    void aFailedMapShowsItsCountsPerWorkerCountsAndTheFirstErrorEscaped() throws Exception {
        MapResult<String> r = pool.mapAsync(x -> {
            if (x == 3) {
                throw new IllegalStateException("<b>bad</b> & worse");
            }
            return "ok" + x;
        }, range(6), 1);
        assertTrue(r.await(Duration.ofSeconds(30)));
        MimeBundle b = Renderers.global().render(r);
        String plain = (String) b.data().get("text/plain");
        assertTrue(plain.startsWith(r.toString() + "\nFirst error (item 3) on w"), plain);
        assertTrue(plain.contains("java.lang.IllegalStateException: <b>bad</b> & worse"), plain);
        String html = html(b);
        assertTrue(html.contains("&lt;b&gt;bad&lt;/b&gt; &amp; worse"), html);
        assertFalse(html.contains("<b>bad"), html);
        assertTrue(html.contains("First error (item 3)"), html);
        assertTrue(html.contains("java.lang.IllegalStateException"), html);
        assertTrue(html.contains("5/6 done"), html);
        Map<String, Object> j = json(b);
        assertEquals("failed", j.get("state"));
        assertEquals(List.of(6, 5, 1, 0, 0, 0), List.of(j.get("total"), j.get("done"), j.get("failed"),
                j.get("running"), j.get("queued"), j.get("cancelled")));
        @SuppressWarnings("unchecked")
        Map<String, Object> error = (Map<String, Object>) j.get("error");
        assertEquals(3, error.get("index"));
        assertEquals("<b>bad</b> & worse", error.get("message"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Integer>> workers = (Map<String, Map<String, Integer>>) j.get("workers");
        assertEquals(5, workers.values().stream().mapToInt(c -> c.get("done")).sum());
        assertEquals(1, workers.values().stream().mapToInt(c -> c.get("failed")).sum());
    }

    @Test
    void aDoneMapPreviewsItsFirstResultsAndASingleResultItsValue() throws Exception {
        MapResult<String> r = pool.mapAsync(x -> "<i>" + x + "</i>", range(12), 3);
        r.get(30, TimeUnit.SECONDS);
        String html = html(Renderers.global().render(r));
        assertTrue(html.contains("Results: <code>[&lt;i&gt;0&lt;/i&gt;, &lt;i&gt;1&lt;/i&gt;"), html);
        assertTrue(html.contains("... (12 results)]"), html);
        assertTrue(html.contains("12/12 done"), html);

        AsyncResult<String> one = pool.applyAsync(x -> "<b>" + x, 7);
        one.get(30, TimeUnit.SECONDS);
        MimeBundle b = Renderers.global().render(one);
        assertTrue(html(b).contains("Result: <code>&lt;b&gt;7</code>"), html(b));
        assertEquals("done", json(b).get("state"));
        assertEquals(one.workerId().orElseThrow(), json(b).get("worker"));
        assertEquals(one.toString(), b.data().get("text/plain"));
    }

    @Test
    void aMapShowsAnActivityStripPerWorkerWithItsBusyShare() throws Exception {
        MapResult<Integer> r = pool.mapAsync(x -> {
            Thread.sleep(x == 0 ? 900 : 50);
            return x;
        }, range(6), 1);
        r.get(30, TimeUnit.SECONDS);
        MimeBundle b = Renderers.global().render(r);
        String html = html(b);
        assertTrue(html.contains(">activity</th>") && html.contains(">busy</th>"), html);
        @SuppressWarnings("unchecked")
        Map<String, Object> timeline = (Map<String, Object>) json(b).get("timeline");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> lanes = (List<Map<String, Object>>) timeline.get("lanes");
        assertEquals(6, lanes.stream().mapToInt(l -> ((Number) l.get("units")).intValue()).sum(), lanes.toString());
        for (Map<String, Object> lane : lanes) {
            // the worker's row holds its strip: at least one green (done) span, placed in percent of the length
            String row = html.substring(html.indexOf(">" + lane.get("worker") + "</td>"));
            row = row.substring(0, row.indexOf("</tr>"));
            assertTrue(row.contains("position:absolute;top:0;bottom:0;left:"), row);
            assertTrue(row.contains("background:#43a047"), row);
            assertTrue(row.matches("(?s).*>\\d{1,3}%</td>.*"), "busy share: " + row);
        }
        double seconds = ((Number) timeline.get("seconds")).doubleValue();
        assertTrue(seconds >= 0.85, "the strip's axis spans the run: " + seconds);
        assertTrue(html.contains("<span>0 s</span>"), html);
    }

    @Test
    void previewsAreBoundedByWhatIsShownNotByTheValue() {
        int[] big = new int[1_000_000];
        assertEquals("[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ... (1000000 items)]", ResultHtml.brief(big, 10, 400));
        List<Integer> many = range(1_000_000);
        assertEquals("[0, 1, 2, ... (1000000 items)]", ResultHtml.brief(many, 3, 400));
        assertEquals("[[0, ... (1000000 items)], [0, ... (1000000 items)]]", ResultHtml.brief(List.of(many, many), 3, 400));
        assertEquals("{k=[0, ... (1000000 items)]}", ResultHtml.brief(Map.of("k", many), 3, 400));
        String longText = "x".repeat(10_000);
        assertEquals(400, ResultHtml.brief(longText, 10, 400).length());
        assertEquals(400, ResultHtml.brief(new StringBuilder(longText), 10, 400).length());
        assertEquals("null", ResultHtml.brief(null, 10, 400));
    }

    @Test
    void aPoolShowsItsWorkers() {
        MimeBundle b = Renderers.global().render(pool);
        assertEquals(pool.toString(), b.data().get("text/plain"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> workers = (List<Map<String, Object>>) json(b).get("workers");
        assertEquals(pool.workers().size(), workers.size());
        for (Map<String, Object> w : workers) {
            assertTrue(html(b).contains(">" + w.get("id") + "<"), html(b));
            assertTrue(html(b).contains(">" + w.get("pid") + "<"), html(b));
            assertEquals("local", w.get("launcher"));
            assertTrue(html(b).contains(">" + w.get("host") + "</td><td style=\"" ), html(b));
            assertTrue(w.containsKey("heap_max") && w.containsKey("restarts") && w.containsKey("tasks_failed"), w.toString());
        }
        for (String column : List.of("host", "launcher", "task", "failed", "heap MiB", "uptime", "restarts")) {
            assertTrue(html(b).contains(">" + column + "</th>"), column + " column: " + html(b));
        }
        assertTrue(html(b).contains(">local</td>"), html(b));
        assertTrue(html(b).contains(" queued, "), "the queue length shows: " + html(b));
        assertEquals(2, json(b).get("processes"));
    }

    @Test
    void aDisplayedMapIsUpdatedUntilDoneAndEndsWithTheFinalState() throws Exception {
        List<String> updates = new CopyOnWriteArrayList<>();
        CountDownLatch finalSeen = new CountDownLatch(1);
        Display.install(new DisplaySink() {
            @Override
            public void display(MimeBundle bundle, String displayId) {
            }

            @Override
            public void update(MimeBundle bundle, String displayId) {
                updates.add(bundle.toString());
                if (bundle.toString().contains("8/8 done")) {
                    finalSeen.countDown();
                }
            }

            @Override
            public void clearOutput(boolean wait) {
            }

            @Override
            public void flushStreams() {
            }
        });
        try {
            MapResult<Integer> r = pool.mapAsync(x -> {
                Thread.sleep(150);
                return x;
            }, range(8), 1);
            long t0 = System.nanoTime();
            Display.display(r);
            assertTrue(finalSeen.await(30, TimeUnit.SECONDS), "no final update: " + updates);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertNotNull(r.finished().orElse(null));
            assertTrue(updates.get(updates.size() - 1).startsWith("MapResult: done, 8/8 done"), updates.toString());
            assertEquals(1, updates.stream().filter(u -> u.contains("8/8 done")).count(), updates.toString());
            assertTrue(updates.size() >= 2, "updates while running: " + updates);
            assertTrue(updates.size() <= seconds * 10 + 1, updates.size() + " updates in " + seconds + " s");
        } finally {
            Display.install(null);
            Display.stopAllLive();
        }
    }
}
