package jpool.ipc;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.Serializable;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import jpool.wire.Limits;
import jpool.wire.PayloadCodec;
import jpool.wire.PayloadInputStream;

/**
 * The handle behind {@link Ipc#queue()}, {@link Ipc#queue(int)} and {@link Ipc#simpleQueue()}: encodes
 * and decodes elements and hands the bytes to its backend, the queue itself in the owner or a
 * {@link RemoteQueue} elsewhere. Serialized, it is its {@link IpcRef}.
 */
class QueueHandle<E> implements IpcQueue<E>, Serializable {

    private static final long serialVersionUID = 1L;

    final transient IpcRef ref;
    final transient QueueBackend backend;
    private transient volatile boolean closed;

    QueueHandle(IpcRef ref, QueueBackend backend) {
        this.ref = ref;
        this.backend = backend;
    }

    /** Serialized, a handle is its ref. */
    Object writeReplace() {
        return ref;
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this handle of the " + ref.kind() + " was closed; make a new handle by "
                    + "passing the queue to this process again");
        }
    }

    static byte[] encode(Object element) {
        Objects.requireNonNull(element, "a queue element must not be null");
        try {
            return PayloadCodec.encodeValue(element);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("an IPC element must be Serializable; " + e.getMessage()
                    + " is not (it travels as a copy, as in Python's multiprocessing)", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialize the element: " + e, e);
        }
    }

    /** Decodes with the calling thread's context class loader (a task's, a cell's classes). */
    static Object decode(byte[] bytes) throws IOException, ClassNotFoundException {
        ClassLoader l = Thread.currentThread().getContextClassLoader();
        return PayloadCodec.decodeValue(bytes, PayloadInputStream.ClassResolver.of(l), Limits.DEFAULT);
    }

    @SuppressWarnings("unchecked")
    private E decodeOrPutBack(byte[] bytes) {
        try {
            return (E) decode(bytes);
        } catch (IOException | ClassNotFoundException e) {
            backend.unget(bytes); // loses nothing: another process may be able to read it
            throw new IpcException("cannot read the element at the head of the queue in this JVM (" + e
                    + "); it was put back", e);
        }
    }

    static long nanos(long timeout, TimeUnit unit) {
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        return Math.max(unit.toNanos(timeout), timeout > 0 ? 1 : 0);
    }

    @Override
    public void put(E element) throws InterruptedException {
        byte[] b = encode(element);
        checkOpen();
        backend.put(b, -1);
    }

    @Override
    public void put(E element, long timeout, TimeUnit unit) throws QueueFullException, InterruptedException {
        long t = nanos(timeout, unit);
        byte[] b = encode(element);
        checkOpen();
        if (!backend.put(b, t)) {
            throw new QueueFullException("the queue is full (capacity " + ref.capacity() + ") and stayed full for "
                    + timeout + " " + unit.name().toLowerCase());
        }
    }

    @Override
    public boolean offer(E element) {
        byte[] b = encode(element);
        checkOpen();
        try {
            return backend.put(b, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // a call that does not wait is not interrupted while waiting
            return false;
        }
    }

    @Override
    public E get() throws InterruptedException {
        checkOpen();
        return decodeOrPutBack(backend.get(-1));
    }

    @Override
    public E get(long timeout, TimeUnit unit) throws QueueEmptyException, InterruptedException {
        long t = nanos(timeout, unit);
        checkOpen();
        byte[] b = backend.get(t);
        if (b == null) {
            throw new QueueEmptyException("the queue stayed empty for " + timeout + " " + unit.name().toLowerCase());
        }
        return decodeOrPutBack(b);
    }

    @Override
    public E poll() {
        checkOpen();
        try {
            byte[] b = backend.get(0);
            return b == null ? null : decodeOrPutBack(b);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        long t = nanos(timeout, unit);
        checkOpen();
        byte[] b = backend.get(t);
        return b == null ? null : decodeOrPutBack(b);
    }

    @Override
    public int size() {
        checkOpen();
        return backend.size();
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public int capacity() {
        return ref.capacity();
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return ref.kind() + "[owner " + ref.owner() + ", id " + ref.objectId()
                + (ref.capacity() == Integer.MAX_VALUE ? "" : ", capacity " + ref.capacity()) + "]";
    }
}
