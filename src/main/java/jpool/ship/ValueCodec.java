package jpool.ship;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes one value (a task, an argument, a result, a cell variable's value) as bytes: boxed
 * primitives and short strings in a few bytes, everything else with Java serialization. Decoding
 * takes the stream that resolves classes on the receiving side ({@link ShipObjectInputStream}).
 */
public final class ValueCodec {

    private static final byte NULL = 0, SERIAL = 1, INT = 2, LONG = 3, DOUBLE = 4, FLOAT = 5, SHORT = 6, BYTE = 7,
            CHAR = 8, TRUE = 9, FALSE = 10, STRING = 11;

    /** Makes the object stream that reads a serialized value. */
    @FunctionalInterface
    public interface InputFactory {
        ObjectInputStream open(InputStream in) throws IOException;
    }

    /** Makes the object stream that writes a serialized value. */
    @FunctionalInterface
    interface OutputFactory {
        ObjectOutputStream open(OutputStream out) throws IOException;
    }

    private ValueCodec() {
    }

    /** Encodes a value; a value that is not serializable throws {@link java.io.NotSerializableException}. */
    public static byte[] encode(Object value) throws IOException {
        return encode(value, ObjectOutputStream::new);
    }

    static byte[] encode(Object value, OutputFactory factory) throws IOException {
        ByteBuffer small = small(value);
        if (small != null) {
            return small.array();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        bytes.write(SERIAL);
        try (ObjectOutputStream out = factory.open(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    private static ByteBuffer small(Object v) {
        if (v == null) {
            return ByteBuffer.allocate(1).put(NULL);
        } else if (v instanceof Integer i) {
            return ByteBuffer.allocate(5).put(INT).putInt(i);
        } else if (v instanceof Long l) {
            return ByteBuffer.allocate(9).put(LONG).putLong(l);
        } else if (v instanceof Double d) {
            return ByteBuffer.allocate(9).put(DOUBLE).putDouble(d);
        } else if (v instanceof Float f) {
            return ByteBuffer.allocate(5).put(FLOAT).putFloat(f);
        } else if (v instanceof Short s) {
            return ByteBuffer.allocate(3).put(SHORT).putShort(s);
        } else if (v instanceof Byte b) {
            return ByteBuffer.allocate(2).put(BYTE).put(b);
        } else if (v instanceof Character c) {
            return ByteBuffer.allocate(3).put(CHAR).putChar(c);
        } else if (v instanceof Boolean b) {
            return ByteBuffer.allocate(1).put(b ? TRUE : FALSE);
        } else if (v instanceof String s && s.length() <= 4096) {
            byte[] utf = s.getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(1 + utf.length).put(STRING).put(utf);
        }
        return null;
    }

    /** Decodes with {@code factory} making the object stream for serialized values. */
    public static Object decode(byte[] bytes, InputFactory factory) throws IOException, ClassNotFoundException {
        if (bytes.length == 0) {
            throw new IOException("empty value");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        return switch (bytes[0]) {
            case NULL -> null;
            case INT -> b.getInt();
            case LONG -> b.getLong();
            case DOUBLE -> b.getDouble();
            case FLOAT -> b.getFloat();
            case SHORT -> b.getShort();
            case BYTE -> b.get();
            case CHAR -> b.getChar();
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case STRING -> new String(bytes, 1, bytes.length - 1, StandardCharsets.UTF_8);
            case SERIAL -> {
                try (ObjectInputStream in = factory.open(new ByteArrayInputStream(bytes, 1, bytes.length - 1))) {
                    yield in.readObject();
                }
            }
            default -> throw new IOException("unknown value tag " + bytes[0]);
        };
    }

    /** Worker side: decodes a task, an argument or a snapshot value with classes from {@code loader}. */
    public static Object decode(byte[] bytes, ClassLoader loader) throws IOException, ClassNotFoundException {
        return decode(bytes, in -> ShipObjectInputStream.forLoader(in, loader));
    }

    /**
     * Submitting side: decodes a result or an exception, resolving cell classes through the
     * kernel's loaders recorded in {@code registry} and other classes through {@code fallback}.
     */
    public static Object decodeResult(byte[] bytes, ClassRegistry registry, ClassLoader fallback)
            throws IOException, ClassNotFoundException {
        return decode(bytes, in -> ShipObjectInputStream.forRegistry(in, registry, fallback));
    }
}
