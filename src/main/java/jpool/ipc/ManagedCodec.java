package jpool.ipc;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * The arguments of a managed object's operation: the calling thread's id, then numbers and
 * length-prefixed byte strings (serialized keys and values, which the owner never deserializes).
 */
final class ManagedCodec {

    private ManagedCodec() {
    }

    /** Encodes the calling thread's id and {@code parts} (byte[], Integer or Long). */
    static byte[] args(Object... parts) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeLong(Thread.currentThread().getId());
            for (Object p : parts) {
                if (p instanceof byte[] b) {
                    out.writeInt(b.length);
                    out.write(b);
                } else if (p instanceof Integer i) {
                    out.writeInt(i);
                } else {
                    out.writeLong((Long) p);
                }
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads what {@link #args} wrote. */
    static final class In {
        final long thread;
        private final DataInputStream in;

        In(byte[] arg) {
            in = new DataInputStream(new ByteArrayInputStream(arg));
            try {
                thread = in.readLong();
            } catch (IOException e) {
                throw new IllegalArgumentException("a managed object's request lacks its caller's thread id");
            }
        }

        int i() {
            try {
                return in.readInt();
            } catch (IOException e) {
                throw new IllegalArgumentException("a managed object's request is truncated");
            }
        }

        byte[] b() {
            try {
                return in.readNBytes(i());
            } catch (IOException e) {
                throw new IllegalArgumentException("a managed object's request is truncated");
            }
        }
    }

    /** Serializes a key or value; what it says when that is impossible names the {@code role}. */
    static byte[] encode(Object value, String role) {
        Objects.requireNonNull(value, () -> "a managed " + role + " must not be null");
        try {
            return jpool.wire.PayloadCodec.encodeValue(value);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("a managed " + role + " must be Serializable; " + e.getMessage()
                    + " is not (it is stored as a copy, as in Python's multiprocessing.Manager)", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialize the " + role + ": " + e, e);
        }
    }

    /** Deserializes with the calling thread's context class loader. */
    static Object decode(byte[] bytes, String role) {
        try {
            return QueueHandle.decode(bytes);
        } catch (IOException | ClassNotFoundException e) {
            throw new IpcException("cannot read a managed " + role + " in this JVM: " + e, e);
        }
    }

    /** A big-endian int as 4 bytes. */
    static byte[] intBytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** The int of {@link #intBytes}. */
    static int intOf(byte[] b) {
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }
}
