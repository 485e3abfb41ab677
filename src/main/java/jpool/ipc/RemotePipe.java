package jpool.ipc;

import jpool.wire.Message;

/**
 * A pipe end's backend in a JVM that does not own the pipe. {@code send} does not wait for the owner
 * (messages keep their order on the one connection); a send that failed because the other end had
 * closed is thrown, as {@link PipeClosedException}, by the next call on this end. When the owner is
 * lost, every call throws {@link PipeClosedException}: end of file.
 */
final class RemotePipe implements PipeBackend {

    private final IpcRef ref;
    private final Link link;

    RemotePipe(IpcRef ref, Link link) {
        this.ref = ref;
        this.link = link;
    }

    private void throwFailure(Message m) throws PipeClosedException {
        String s = m.header().get("s").getAsString();
        if (s.equals("ok")) {
            return;
        }
        if (s.equals("eof")) {
            throw new PipeClosedException(m.header().get("m").getAsString());
        }
        throw link.failure(m);
    }

    private void checkDeferred() throws PipeClosedException {
        Message m = link.takeDeferred(ref.objectId(), ref.part());
        if (m != null) {
            throwFailure(m);
        }
        try {
            link.checkLost();
        } catch (IpcOwnerLostException e) {
            throw ownerLost(e);
        }
    }

    private static PipeClosedException ownerLost(IpcOwnerLostException e) {
        PipeClosedException p = new PipeClosedException("end of file: " + e.getMessage());
        p.initCause(e);
        return p;
    }

    private Message call(String op, long timeoutNanos, byte[] frame) throws PipeClosedException, InterruptedException {
        checkDeferred();
        Link.Pending p = link.call(ref.objectId(), ref.part(), op, timeoutNanos, frame);
        try {
            return Link.await(p);
        } catch (IpcOwnerLostException e) {
            throw ownerLost(e);
        } catch (InterruptedException e) {
            link.abandon(p, late -> {
                if (!late.frames().isEmpty()) {
                    link.send(ref.objectId(), ref.part(), "unrecv", late.frames().get(0));
                }
            });
            throw e;
        }
    }

    @Override
    public void send(byte[] message) throws PipeClosedException {
        checkDeferred();
        try {
            link.send(ref.objectId(), ref.part(), "send", message);
        } catch (IpcOwnerLostException e) {
            throw ownerLost(e);
        }
    }

    @Override
    public byte[] recv(long timeoutNanos) throws PipeClosedException, InterruptedException {
        Message m = call("recv", timeoutNanos, null);
        if (m.header().get("s").getAsString().equals("empty")) {
            return null;
        }
        throwFailure(m);
        return m.frame(0);
    }

    @Override
    public void unrecv(byte[] message) {
        link.send(ref.objectId(), ref.part(), "unrecv", message);
    }

    @Override
    public boolean poll(long timeoutNanos) throws InterruptedException {
        try {
            Message m = call("poll", timeoutNanos, null);
            throwFailure(m);
            return m.header().get("n").getAsLong() == 1;
        } catch (PipeClosedException e) {
            return true; // the next recv will not wait: it throws end of file
        }
    }

    @Override
    public void close() {
        try {
            Message m = call("close", 0, null);
            if (!m.header().get("s").getAsString().equals("ok") && !m.header().get("s").getAsString().equals("state")) {
                throwFailure(m);
            }
        } catch (PipeClosedException e) {
            // the owner is gone: nothing left to close
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
