package jpool.wire;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.lang.invoke.SerializedLambda;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The one codec for objects that cross a process boundary: task functions, arguments, results,
 * failures and the values of shipped cell variables. Writing is Java serialization, optionally
 * watched by a {@link ClassObserver} (so that the submitting side learns which classes a payload
 * needs while encoding it, not by encoding it twice); reading always goes through a
 * {@link PayloadInputStream} with the receiver's {@link Limits} and {@link PayloadInputStream.ClassResolver}.
 *
 * <p>Two forms: {@link #serialize}/{@link #deserialize} for plain serialized payloads, and
 * {@link #encodeValue}/{@link #decodeValue} for single values, where boxed primitives and short
 * strings take a few bytes instead of a serialization stream.
 */
public final class PayloadCodec {

    private static final byte NULL = 0, SERIAL = 1, INT = 2, LONG = 3, DOUBLE = 4, FLOAT = 5, SHORT = 6, BYTE = 7,
            CHAR = 8, TRUE = 9, FALSE = 10, STRING = 11;
    private static final int SHORT_STRING = 4096;

    /**
     * Told of what passes through a serialization stream: every class description written and
     * every serialized lambda. Called on the encoding thread, in stream order.
     */
    public interface ClassObserver {
        /** A class (or, for arrays, the array class) whose description was written. */
        void classWritten(Class<?> c);

        /** A lambda written in its serialized form. */
        void lambdaWritten(SerializedLambda lambda);
    }

    private PayloadCodec() {
    }

    /**
     * Serializes an object.
     *
     * @throws NotSerializableException naming the first class that is not serializable
     * @throws IOException for other serialization failures (e.g. a failing writeObject)
     */
    public static byte[] serialize(Object value) throws IOException {
        return serialize(value, null);
    }

    /** Serializes an object, telling {@code observer} (if not null) of the classes written. */
    public static byte[] serialize(Object value, ClassObserver observer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        write(bytes, value, observer);
        return bytes.toByteArray();
    }

    /** Reads one serialized object with the given resolver and limits. */
    public static Object deserialize(byte[] bytes, PayloadInputStream.ClassResolver resolver, Limits limits)
            throws IOException, ClassNotFoundException {
        try (PayloadInputStream in = new PayloadInputStream(new ByteArrayInputStream(bytes), resolver, limits)) {
            return in.readObject();
        }
    }

    /** {@link #deserialize(byte[], PayloadInputStream.ClassResolver, Limits)} resolving through a loader. */
    public static Object deserialize(byte[] bytes, ClassLoader loader, Limits limits)
            throws IOException, ClassNotFoundException {
        return deserialize(bytes, PayloadInputStream.ClassResolver.of(loader), limits);
    }

    /** Encodes a single value; a value that is not serializable throws {@link NotSerializableException}. */
    public static byte[] encodeValue(Object value) throws IOException {
        return encodeValue(value, null);
    }

    /** {@link #encodeValue(Object)}, telling {@code observer} (if not null) of the classes written. */
    public static byte[] encodeValue(Object value, ClassObserver observer) throws IOException {
        ByteBuffer small = small(value);
        if (small != null) {
            return small.array();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        bytes.write(SERIAL);
        write(bytes, value, observer);
        return bytes.toByteArray();
    }

    /** Decodes a value written by {@link #encodeValue}. */
    public static Object decodeValue(byte[] bytes, PayloadInputStream.ClassResolver resolver, Limits limits)
            throws IOException, ClassNotFoundException {
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
                try (PayloadInputStream in = new PayloadInputStream(
                        new ByteArrayInputStream(bytes, 1, bytes.length - 1), resolver, limits)) {
                    yield in.readObject();
                }
            }
            default -> throw new IOException("unknown value tag " + bytes[0]);
        };
    }

    private static void write(OutputStream bytes, Object value, ClassObserver observer) throws IOException {
        try (ObjectOutputStream out = observer == null ? new ObjectOutputStream(bytes)
                : new ObservedOutput(bytes, observer)) {
            out.writeObject(value);
        }
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
        } else if (v instanceof String s && s.length() <= SHORT_STRING) {
            byte[] utf = s.getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(1 + utf.length).put(STRING).put(utf);
        }
        return null;
    }

    private static final class ObservedOutput extends ObjectOutputStream {
        private final ClassObserver observer;

        ObservedOutput(OutputStream out, ClassObserver observer) throws IOException {
            super(out);
            this.observer = observer;
            enableReplaceObject(true);
        }

        @Override
        protected void annotateClass(Class<?> cl) {
            observer.classWritten(cl);
        }

        @Override
        protected void annotateProxyClass(Class<?> cl) {
            for (Class<?> i : cl.getInterfaces()) {
                observer.classWritten(i);
            }
        }

        @Override
        protected Object replaceObject(Object obj) {
            if (obj instanceof SerializedLambda sl) {
                observer.lambdaWritten(sl);
            }
            return obj;
        }
    }
}
