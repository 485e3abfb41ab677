package jpool.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DisplayTest {

    record Sent(String kind, String text, String id) {
    }

    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    private final DisplaySink sink = new DisplaySink() {
        @Override
        public void display(MimeBundle bundle, String displayId) {
            sent.add(new Sent("display", bundle.toString(), displayId));
        }

        @Override
        public void update(MimeBundle bundle, String displayId) {
            sent.add(new Sent("update", bundle.toString(), displayId));
        }

        @Override
        public void clearOutput(boolean wait) {
            sent.add(new Sent("clear", "", null));
        }

        @Override
        public void flushStreams() {
        }
    };

    @AfterEach
    void uninstall() {
        Display.install(null);
        Display.stopAllLive();
    }

    static final class Job {
        final AtomicInteger done = new AtomicInteger();
    }

    @Test
    void displayReturnsIdAndUpdatesReachIt() {
        Display.install(sink);
        String id = Display.display("first");
        Display.updateDisplay(id, List.of(1, 2));
        Display.handle(id).update("third");
        assertEquals(List.of(new Sent("display", "first", id), new Sent("update", "[1, 2]", id),
                new Sent("update", "third", id)), sent);
        assertEquals("<b>x</b>", Display.render(Display.html("<b>x</b>"), "text/html").data().get("text/html"));
        assertTrue(!Display.render(Display.html("<b>x</b>"), "text/html").has("text/plain"));
    }

    @Test
    void liveValuesUpdateInTheBackgroundUntilFinishedAndNotFasterThanTenPerSecond() throws Exception {
        Display.install(sink);
        Renderers.global().registerLive(Job.class, j -> MimeBundle.text("done " + j.done.get()), j -> j.done.get() >= 5);
        try {
            Job job = new Job();
            String id = Display.display(job);
            long t0 = System.nanoTime();
            for (int i = 1; i <= 5; i++) {
                Thread.sleep(60);
                job.done.set(i);
            }
            long deadline = System.currentTimeMillis() + 5000;
            while (System.currentTimeMillis() < deadline
                    && sent.stream().noneMatch(s -> s.kind.equals("update") && s.text.equals("done 5"))) {
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<Sent> updates = sent.stream().filter(s -> s.kind.equals("update")).toList();
            assertTrue(updates.stream().allMatch(s -> s.id.equals(id)));
            assertEquals("done 5", updates.get(updates.size() - 1).text);
            assertTrue(updates.size() <= Math.ceil(seconds * 10) + 1, updates.size() + " updates in " + seconds + " s");
            int count = updates.size();
            while (Display.isLive(id) && System.currentTimeMillis() < deadline + 5000) {
                Thread.onSpinWait(); // the final update is sent before the display stops being live
            }
            assertTrue(!Display.isLive(id), "a finished display stops being kept current");
            Display.awaitRenders();
            assertEquals(count, sent.stream().filter(s -> s.kind.equals("update")).count(), "no updates after finished");
        } finally {
            Renderers.global().unregister(Job.class);
        }
    }

    @Test
    void bundlesBecomeJupyterJson() {
        JsonObject c = JavaKernel.bundleContent(MimeBundle.of("application/json", "{\"a\": [1, 2]}")
                .put("application/vnd.custom+json", Map.of("k", 1)).put("image/png", new byte[] {1, 2, 3})
                .putMetadata("image/png", Map.of("width", 10)));
        JsonObject data = c.getAsJsonObject("data");
        assertTrue(data.get("application/json").isJsonObject(), "JSON text becomes JSON");
        assertEquals(1, data.getAsJsonObject("application/vnd.custom+json").get("k").getAsInt());
        assertEquals("AQID", data.get("image/png").getAsString());
        assertNotNull(data.get("text/plain"), "text/plain is always present");
        assertEquals(10, c.getAsJsonObject("metadata").getAsJsonObject("image/png").get("width").getAsInt());
    }

    @Test
    void withoutKernelDisplayPrints() {
        Display.install(null);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(bytes, true));
        try {
            Display.display("plain program");
        } finally {
            System.setOut(old);
        }
        assertEquals("plain program", bytes.toString().strip());
    }
}
