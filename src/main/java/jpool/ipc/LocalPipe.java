package jpool.ipc;

/** A pipe end's backend in the pipe's owner: straight calls on the {@link PipeCore}. */
final class LocalPipe implements PipeBackend {

    private final PipeCore core;
    private final int end;

    LocalPipe(PipeCore core, int end) {
        this.core = core;
        this.end = end;
    }

    @Override
    public void send(byte[] message) throws PipeClosedException {
        core.send(end, message);
    }

    @Override
    public byte[] recv(long timeoutNanos) throws PipeClosedException, InterruptedException {
        Waiter w = core.recv(null, end, timeoutNanos != 0);
        if (w == null || w.await(timeoutNanos, x -> core.cancel(end, x)) != Waiter.Outcome.DONE) {
            return null;
        }
        return (byte[]) w.value();
    }

    @Override
    public void unrecv(byte[] message) {
        core.unrecv(end, message);
    }

    @Override
    public boolean poll(long timeoutNanos) throws InterruptedException {
        Waiter w = core.poll(null, end, timeoutNanos != 0);
        if (w == null || w.await(timeoutNanos, x -> core.cancel(end, x)) != Waiter.Outcome.DONE) {
            return false;
        }
        return Boolean.TRUE.equals(w.future.join());
    }

    @Override
    public void close() {
        core.close(end, "closed by the process that made the pipe");
    }
}
