package jpool.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Plain values travel compactly and come back with their exact classes and values. */
class CompactArraysTest {

    @Test
    void everyPlainTypeComesBackExactly() throws Exception {
        Object[] values = {null, 0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, Long.MIN_VALUE, 7L, -0.0, Double.NaN,
            Double.MAX_VALUE, 1.5f, (short) -300, (byte) -128, 'x', '\uffff', true, false, "", "ascii",
            "ünïcödé 漢字 🎲", "unpaired \ud800 high", "\udc00", "x".repeat(300)};
        byte[] compact = CompactArrays.tryEncode(values);
        assertNotNull(compact);
        assertTrue(CompactArrays.isCompact(compact));
        Object[] back = CompactArrays.decode(compact);
        assertEquals(values.length, back.length);
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                assertNull(back[i]);
            } else {
                assertEquals(values[i].getClass(), back[i].getClass(), "element " + i);
                assertEquals(values[i], back[i], "element " + i);
            }
        }
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) back[7]));
    }

    @Test
    void anyOtherElementTypeKeepsJavaSerialization() throws Exception {
        assertNull(CompactArrays.tryEncode(new Object[] {1, List.of(2)}));
        assertNull(CompactArrays.tryEncode(new Object[] {new int[] {1}}));
        byte[] serialized = TaskCodec.encodeArguments(new Object[] {1, List.of(2)});
        assertFalse(CompactArrays.isCompact(serialized));
        assertEquals(Arrays.asList(1, List.of(2)),
                Arrays.asList(TaskCodec.decodeArray(serialized, null, Limits.DEFAULT)));
        byte[] compact = TaskCodec.encodeArguments(new Object[] {1, "two"});
        assertTrue(CompactArrays.isCompact(compact));
        assertArrayEquals(new Object[] {1, "two"}, TaskCodec.decodeArray(compact, null, Limits.DEFAULT));
    }

    @Test
    void damagedPayloadsAreRejectedWithoutHugeAllocations() {
        byte[] good = CompactArrays.tryEncode(new Object[] {1, "abc", 2L});
        for (int cut = 3; cut < good.length; cut++) {
            byte[] truncated = Arrays.copyOf(good, cut);
            assertThrows(IOException.class, () -> CompactArrays.decode(truncated), "cut at " + cut);
        }
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThrows(IOException.class, () -> CompactArrays.decode(trailing));
        byte[] badTag = good.clone();
        badTag[4] = 99;
        assertThrows(IOException.class, () -> CompactArrays.decode(badTag));
        // claims two billion elements in a few bytes
        byte[] huge = {'J', 'C', 1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 0};
        IOException e = assertThrows(IOException.class, () -> CompactArrays.decode(huge));
        assertTrue(e.getMessage().contains("declares"), e.getMessage());
        byte[] otherVersion = good.clone();
        otherVersion[2] = 2;
        assertThrows(IOException.class, () -> CompactArrays.decode(otherVersion));
    }
}
