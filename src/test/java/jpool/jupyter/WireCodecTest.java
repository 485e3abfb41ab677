package jpool.jupyter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireCodecTest {

    private final WireCodec codec = new WireCodec(new JupyterSigner("hmac-sha256", "k3y"));

    private JupyterMessage sample() {
        JsonObject content = new JsonObject();
        content.addProperty("code", "System.out.println(\"h\u00e9llo <b>\");");
        content.add("nothing", com.google.gson.JsonNull.INSTANCE);
        JsonObject parent = JupyterMessage.newHeader("execute_request", "s1", "u");
        return new JupyterMessage(List.of("client-1".getBytes(StandardCharsets.UTF_8)),
                JupyterMessage.newHeader("execute_reply", "s2", "kernel"), parent, new JsonObject(), content,
                List.of(new byte[] {1, 2, 3}));
    }

    @Test
    void roundTripKeepsEveryPart() throws Exception {
        JupyterMessage m = sample();
        List<byte[]> frames = codec.encode(m);
        assertArrayEquals("client-1".getBytes(StandardCharsets.UTF_8), frames.get(0));
        assertArrayEquals(WireCodec.DELIMITER, frames.get(1));
        JupyterMessage back = codec.decode(frames);
        assertEquals(1, back.identities().size());
        assertEquals(m.header(), back.header());
        assertEquals(m.parentHeader(), back.parentHeader());
        assertEquals(m.content(), back.content());
        assertTrue(back.content().has("nothing"), "nulls are kept");
        assertEquals("execute_reply", back.msgType());
        assertEquals("5.3", back.header().get("version").getAsString());
        assertArrayEquals(new byte[] {1, 2, 3}, back.buffers().get(0));
    }

    @Test
    void tamperedMessageIsRejected() {
        List<byte[]> frames = new ArrayList<>(codec.encode(sample()));
        frames.set(6, "{\"code\":\"System.exit(1)\"}".getBytes(StandardCharsets.UTF_8));
        var e = assertThrows(WireCodec.BadMessageException.class, () -> codec.decode(frames));
        assertTrue(e.getMessage().contains("signature"));
    }

    @Test
    void messageSignedWithAnotherKeyIsRejected() {
        List<byte[]> frames = new WireCodec(new JupyterSigner("hmac-sha256", "wrong")).encode(sample());
        assertThrows(WireCodec.BadMessageException.class, () -> codec.decode(frames));
    }

    @Test
    void malformedMessagesAreRejected() {
        assertThrows(WireCodec.BadMessageException.class, () -> codec.decode(List.of("x".getBytes())));
        List<byte[]> frames = new ArrayList<>(codec.encode(sample()));
        frames.remove(1);
        assertThrows(WireCodec.BadMessageException.class, () -> codec.decode(frames));
    }

    @Test
    void headerDateIsIso8601WithMicroseconds() {
        String date = JupyterMessage.newHeader("status", "s", "u").get("date").getAsString();
        assertTrue(date.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z"), date);
        Instant parsed = Timestamps.parse(date);
        assertTrue(Duration.between(parsed, Instant.now()).abs().toSeconds() < 5);
    }

    @Test
    void timestampsRoundTripAndAcceptOffsets() {
        Instant t = Instant.parse("2024-05-01T12:00:00.123456789Z");
        assertEquals("2024-05-01T12:00:00.123456Z", Timestamps.format(t));
        assertEquals(Instant.parse("2024-05-01T12:00:00.123456Z"), Timestamps.parse("2024-05-01T12:00:00.123456Z"));
        assertEquals(Instant.parse("2024-05-01T10:00:00Z"), Timestamps.parse("2024-05-01T12:00:00+02:00"));
        assertEquals(Instant.parse("2024-05-01T12:00:00.5Z"), Timestamps.parse("2024-05-01T12:00:00.500"));
    }

    @Test
    void connectionFileIsParsed() {
        ConnectionInfo c = ConnectionInfo.parse("{\"shell_port\": 1, \"iopub_port\": 2, \"stdin_port\": 3, "
                + "\"control_port\": 4, \"hb_port\": 5, \"ip\": \"127.0.0.1\", \"key\": \"abc\", "
                + "\"transport\": \"tcp\", \"signature_scheme\": \"hmac-sha256\", \"kernel_name\": \"jpool\"}");
        assertEquals("tcp://127.0.0.1:1", c.address(c.shellPort()));
        assertEquals(5, c.hbPort());
        assertEquals("abc", c.key());
    }
}
