package jpool.wire;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A compact encoding for {@code Object[]} payloads whose elements are all {@code null}, boxed primitives
 * or strings: the arguments and results of most maps ({@code map(x -> x * x, numbers)}).
 *
 * <p>Java serialization spends about 80 microseconds writing, and as long reading, an array of 1,250
 * {@code Integer}s; this encoding takes a few. It is used only when every element qualifies, so
 * decoding gives back elements of exactly the same classes and values; any other array is serialized
 * as before. Shared references inside the array are not preserved (two equal strings come back as two
 * objects), which Java code cannot rely on for boxed values and strings anyway.
 *
 * <p>Format: the magic bytes {@code 'J' 'C' 1}, the element count as a varint, then per element a tag
 * byte and its payload (big-endian numbers; strings as a varint length followed by UTF-8, or by UTF-16
 * code units when the string holds an unpaired surrogate, which UTF-8 cannot carry). A Java
 * serialization stream starts with {@code 0xACED}, so the two are told apart by their first byte.
 */
public final class CompactArrays {

    private static final byte[] MAGIC = {'J', 'C', 1};
    private static final byte NULL = 0;
    private static final byte INT = 1;
    private static final byte LONG = 2;
    private static final byte DOUBLE = 3;
    private static final byte STRING_UTF8 = 4;
    private static final byte STRING_UTF16 = 5;
    private static final byte TRUE = 6;
    private static final byte FALSE = 7;
    private static final byte FLOAT = 8;
    private static final byte SHORT = 9;
    private static final byte BYTE = 10;
    private static final byte CHAR = 11;

    private CompactArrays() {
    }

    /** The compact bytes of {@code elements}, or null when some element is of another type. */
    public static byte[] tryEncode(Object[] elements) {
        for (Object e : elements) {
            if (!(e == null || e instanceof Integer || e instanceof Long || e instanceof Double || e instanceof String
                    || e instanceof Boolean || e instanceof Float || e instanceof Short || e instanceof Byte
                    || e instanceof Character)) {
                return null;
            }
        }
        Out out = new Out(16 + elements.length * 5);
        out.bytes(MAGIC, 0, MAGIC.length);
        out.varint(elements.length);
        for (Object e : elements) {
            if (e == null) {
                out.tag(NULL);
            } else if (e instanceof Integer i) {
                out.tag(INT);
                out.fixed(i, 4);
            } else if (e instanceof String s) {
                string(out, s);
            } else if (e instanceof Long l) {
                out.tag(LONG);
                out.fixed(l, 8);
            } else if (e instanceof Double d) {
                out.tag(DOUBLE);
                out.fixed(Double.doubleToRawLongBits(d), 8);
            } else if (e instanceof Boolean b) {
                out.tag(b ? TRUE : FALSE);
            } else if (e instanceof Float f) {
                out.tag(FLOAT);
                out.fixed(Float.floatToRawIntBits(f), 4);
            } else if (e instanceof Short s) {
                out.tag(SHORT);
                out.fixed(s, 2);
            } else if (e instanceof Byte b) {
                out.tag(BYTE);
                out.fixed(b, 1);
            } else {
                out.tag(CHAR);
                out.fixed((Character) e, 2);
            }
        }
        return out.toArray();
    }

    private static void string(Out out, String s) {
        boolean surrogate = false;
        for (int i = 0; i < s.length() && !surrogate; i++) {
            surrogate = Character.isSurrogate(s.charAt(i));
        }
        if (surrogate) {
            // Valid pairs would survive UTF-8, unpaired ones would not; UTF-16 keeps both exactly.
            out.tag(STRING_UTF16);
            out.varint(s.length());
            for (int i = 0; i < s.length(); i++) {
                out.fixed(s.charAt(i), 2);
            }
        } else {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            out.tag(STRING_UTF8);
            out.varint(utf8.length);
            out.bytes(utf8, 0, utf8.length);
        }
    }

    /** Whether {@code payload} is in this encoding (otherwise it is a Java serialization stream). */
    public static boolean isCompact(byte[] payload) {
        return payload.length >= MAGIC.length && payload[0] == MAGIC[0] && payload[1] == MAGIC[1];
    }

    /**
     * Decodes a compact payload.
     *
     * @throws IOException when the payload is truncated, has an unknown version or tag, or declares more
     *     elements than it could hold
     */
    public static Object[] decode(byte[] payload) throws IOException {
        In in = new In(payload);
        for (byte b : MAGIC) {
            if (in.u8() != (b & 0xFF)) {
                throw new IOException("not a compact array payload (or an unknown version)");
            }
        }
        int n = in.varint();
        if (n > payload.length - in.pos) {
            throw new IOException("compact array declares " + n + " elements in " + payload.length + " bytes");
        }
        Object[] elements = new Object[n];
        for (int i = 0; i < n; i++) {
            int tag = in.u8();
            elements[i] = switch (tag) {
                case NULL -> null;
                case INT -> (int) in.fixed(4);
                case LONG -> in.fixed(8);
                case DOUBLE -> Double.longBitsToDouble(in.fixed(8));
                case STRING_UTF8 -> {
                    int len = in.varint();
                    in.need(len);
                    String s = new String(payload, in.pos, len, StandardCharsets.UTF_8);
                    in.pos += len;
                    yield s;
                }
                case STRING_UTF16 -> {
                    int len = in.varint();
                    in.need(2L * len);
                    char[] chars = new char[len];
                    for (int c = 0; c < len; c++) {
                        chars[c] = (char) in.fixed(2);
                    }
                    yield new String(chars);
                }
                case TRUE -> Boolean.TRUE;
                case FALSE -> Boolean.FALSE;
                case FLOAT -> Float.intBitsToFloat((int) in.fixed(4));
                case SHORT -> (short) in.fixed(2);
                case BYTE -> (byte) in.fixed(1);
                case CHAR -> (char) in.fixed(2);
                default -> throw new IOException("unknown element tag " + tag + " at element " + i);
            };
        }
        if (in.pos != payload.length) {
            throw new IOException((payload.length - in.pos) + " bytes after the last element");
        }
        return elements;
    }

    private static final class Out {
        private byte[] buf;
        private int pos;

        Out(int capacity) {
            buf = new byte[capacity];
        }

        private void ensure(int more) {
            if (pos + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
            }
        }

        void tag(byte tag) {
            ensure(1);
            buf[pos++] = tag;
        }

        void fixed(long value, int size) {
            ensure(size);
            for (int shift = (size - 1) * 8; shift >= 0; shift -= 8) {
                buf[pos++] = (byte) (value >>> shift);
            }
        }

        void varint(int value) {
            ensure(5);
            while ((value & ~0x7F) != 0) {
                buf[pos++] = (byte) ((value & 0x7F) | 0x80);
                value >>>= 7;
            }
            buf[pos++] = (byte) value;
        }

        void bytes(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buf, pos, len);
            pos += len;
        }

        byte[] toArray() {
            return Arrays.copyOf(buf, pos);
        }
    }

    private static final class In {
        private final byte[] buf;
        private int pos;

        In(byte[] buf) {
            this.buf = buf;
        }

        void need(long n) throws IOException {
            if (n < 0 || pos + n > buf.length) {
                throw new IOException("compact array payload is truncated");
            }
        }

        int u8() throws IOException {
            need(1);
            return buf[pos++] & 0xFF;
        }

        long fixed(int size) throws IOException {
            need(size);
            long v = buf[pos++]; // sign-extends, so that narrowing casts give back negative values
            for (int i = 1; i < size; i++) {
                v = (v << 8) | (buf[pos++] & 0xFF);
            }
            return v;
        }

        int varint() throws IOException {
            int value = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                int b = u8();
                value |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    if (value < 0) {
                        throw new IOException("negative length in compact array payload");
                    }
                    return value;
                }
            }
            throw new IOException("varint too long in compact array payload");
        }
    }
}
