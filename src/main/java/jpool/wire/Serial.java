package jpool.wire;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectOutputStream;

/** Java serialization helpers with filtered reading. */
public final class Serial {

    private Serial() {
    }

    /**
     * Serializes an object.
     *
     * @throws NotSerializableException naming the first class that is not serializable
     * @throws IOException for other serialization failures (e.g. a failing writeObject)
     */
    public static byte[] serialize(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads one object through a {@link SafeObjectInputStream}.
     *
     * @param loader resolves classes (null: this library's loader)
     */
    public static Object deserialize(byte[] bytes, ClassLoader loader, ObjectInputFilter filter)
            throws IOException, ClassNotFoundException {
        try (SafeObjectInputStream in = new SafeObjectInputStream(new ByteArrayInputStream(bytes), loader, filter)) {
            return in.readObject();
        }
    }
}
