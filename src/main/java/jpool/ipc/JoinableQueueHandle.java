package jpool.ipc;

import java.util.concurrent.TimeUnit;

/** The handle behind {@link Ipc#joinableQueue()}: a {@link QueueHandle} with the unfinished count. */
final class JoinableQueueHandle<E> extends QueueHandle<E> implements JoinableIpcQueue<E> {

    private static final long serialVersionUID = 1L;

    JoinableQueueHandle(IpcRef ref, QueueBackend backend) {
        super(ref, backend);
    }

    @Override
    public void taskDone() {
        checkOpen();
        backend.taskDone();
    }

    @Override
    public void join() throws InterruptedException {
        checkOpen();
        backend.join(-1);
    }

    @Override
    public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
        long t = nanos(timeout, unit);
        checkOpen();
        return backend.join(t);
    }

    @Override
    public int unfinished() {
        checkOpen();
        return backend.unfinished();
    }
}
