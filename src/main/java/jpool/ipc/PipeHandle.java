package jpool.ipc;

import java.io.IOException;
import java.io.Serializable;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The handle behind one end of {@link Ipc#pipe()}. A message is one tagged byte array: {@code B} and
 * the bytes for {@link #sendBytes}, {@code O} and the encoded value for {@link #send}. Serialized, an
 * end is its {@link IpcRef}.
 */
final class PipeHandle implements PipeConnection, Serializable {

    private static final long serialVersionUID = 1L;
    private static final byte BYTES = 'B', OBJECT = 'O';

    final transient IpcRef ref;
    private final transient PipeBackend backend;
    private final transient boolean readable;
    private final transient boolean writable;

    PipeHandle(IpcRef ref, PipeBackend backend) {
        this.ref = ref;
        this.backend = backend;
        boolean duplex = ref.capacity() == 1;
        this.readable = duplex || ref.part() == 0;
        this.writable = duplex || ref.part() == 1;
    }

    Object writeReplace() {
        return ref;
    }

    private void checkWritable() {
        if (!writable) {
            throw new IllegalStateException("this is the receiving end of a one-way pipe: it cannot send");
        }
    }

    private void checkReadable() {
        if (!readable) {
            throw new IllegalStateException("this is the sending end of a one-way pipe: it cannot receive");
        }
    }

    private static byte[] tagged(byte tag, byte[] body, int offset, int length) {
        byte[] m = new byte[length + 1];
        m[0] = tag;
        System.arraycopy(body, offset, m, 1, length);
        return m;
    }

    @Override
    public void send(Object message) throws PipeClosedException {
        checkWritable();
        byte[] body;
        try {
            body = jpool.wire.PayloadCodec.encodeValue(message);
        } catch (java.io.NotSerializableException e) {
            throw new IllegalArgumentException("a pipe message must be Serializable; " + e.getMessage() + " is not", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialize the message: " + e, e);
        }
        backend.send(tagged(OBJECT, body, 0, body.length));
    }

    @Override
    public void sendBytes(byte[] bytes) throws PipeClosedException {
        sendBytes(bytes, 0, bytes.length);
    }

    @Override
    public void sendBytes(byte[] bytes, int offset, int length) throws PipeClosedException {
        checkWritable();
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        backend.send(tagged(BYTES, bytes, offset, length));
    }

    private byte[] next() throws PipeClosedException, InterruptedException {
        checkReadable();
        byte[] m = backend.recv(-1);
        if (m == null || m.length == 0) {
            throw new IpcException("the pipe's owner answered a recv with no message");
        }
        return m;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T recv() throws PipeClosedException, InterruptedException {
        byte[] m = next();
        if (m[0] == BYTES) {
            return (T) Arrays.copyOfRange(m, 1, m.length);
        }
        try {
            return (T) QueueHandle.decode(Arrays.copyOfRange(m, 1, m.length));
        } catch (IOException | ClassNotFoundException e) {
            backend.unrecv(m); // loses nothing: recvBytes can still read it
            throw new IpcException("cannot read the message in this JVM (" + e + "); it was put back", e);
        }
    }

    @Override
    public byte[] recvBytes() throws PipeClosedException, InterruptedException {
        byte[] m = next();
        return Arrays.copyOfRange(m, 1, m.length);
    }

    @Override
    public boolean poll() {
        checkReadable();
        try {
            return backend.poll(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public boolean poll(long timeout, TimeUnit unit) throws InterruptedException {
        checkReadable();
        return backend.poll(QueueHandle.nanos(timeout, unit));
    }

    @Override
    public boolean readable() {
        return readable;
    }

    @Override
    public boolean writable() {
        return writable;
    }

    @Override
    public void close() {
        backend.close();
    }

    @Override
    public String toString() {
        return "PipeConnection[end " + ref.part() + (readable && writable ? ", duplex" : readable ? ", receives" : ", sends")
                + ", owner " + ref.owner() + "]";
    }
}
