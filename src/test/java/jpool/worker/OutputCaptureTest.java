package jpool.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Output pieces never split a UTF-8 character. */
class OutputCaptureTest {

    @Test
    void completePrefixStopsBeforeAPartialCharacter() {
        byte[] euro = "a€".getBytes(StandardCharsets.UTF_8); // 61 E2 82 AC
        assertEquals(4, OutputCapture.completeUtf8Prefix(euro));
        assertEquals(1, OutputCapture.completeUtf8Prefix(java.util.Arrays.copyOf(euro, 3)));
        assertEquals(1, OutputCapture.completeUtf8Prefix(java.util.Arrays.copyOf(euro, 2)));
        assertEquals(1, OutputCapture.completeUtf8Prefix(java.util.Arrays.copyOf(euro, 1)));
        assertEquals(0, OutputCapture.completeUtf8Prefix(new byte[0]));
    }
}
