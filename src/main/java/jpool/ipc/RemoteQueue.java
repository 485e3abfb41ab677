package jpool.ipc;

import jpool.wire.Message;

/**
 * A queue's backend in a JVM that does not own it: each call is a request to the owner over this
 * JVM's {@link Link}; a call that waits is parked on the reply, which the owner sends when it can
 * (an element arrived, space freed, the timeout passed). A put to an unbounded queue does not wait
 * for its reply; a failure of it is thrown by the next call of the same handle.
 */
final class RemoteQueue implements QueueBackend {

    private final IpcRef ref;
    private final Link link;
    private final boolean unbounded;

    RemoteQueue(IpcRef ref, Link link) {
        this.ref = ref;
        this.link = link;
        this.unbounded = ref.capacity() == Integer.MAX_VALUE;
    }

    private void checkDeferred() {
        Message m = link.takeDeferred(ref.objectId(), 0);
        if (m != null) {
            throw link.failure(m);
        }
        link.checkLost();
    }

    private Message call(String op, long timeoutNanos, byte[] frame) throws InterruptedException {
        checkDeferred();
        Link.Pending p = link.call(ref.objectId(), 0, op, timeoutNanos, frame);
        try {
            return Link.await(p);
        } catch (InterruptedException e) {
            link.abandon(p, late -> {
                if (!late.frames().isEmpty()) {
                    link.send(ref.objectId(), 0, "unget", late.frames().get(0));
                }
            });
            throw e;
        }
    }

    private static String status(Message m) {
        return m.header().get("s").getAsString();
    }

    private Message plain(String op) {
        try {
            Message m = call(op, 0, null);
            RuntimeException f = link.failure(m);
            if (f != null) {
                throw f;
            }
            return m;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IpcException("interrupted while asking the owner " + link.owner() + " for " + op);
        }
    }

    @Override
    public boolean put(byte[] item, long timeoutNanos) throws InterruptedException {
        if (unbounded) {
            checkDeferred();
            link.send(ref.objectId(), 0, "put", item);
            return true;
        }
        Message m = call("put", timeoutNanos, item);
        if (status(m).equals("full")) {
            return false;
        }
        RuntimeException f = link.failure(m);
        if (f != null) {
            throw f;
        }
        return true;
    }

    @Override
    public byte[] get(long timeoutNanos) throws InterruptedException {
        Message m = call("get", timeoutNanos, null);
        if (status(m).equals("empty")) {
            return null;
        }
        RuntimeException f = link.failure(m);
        if (f != null) {
            throw f;
        }
        return m.frame(0);
    }

    @Override
    public void unget(byte[] item) {
        link.send(ref.objectId(), 0, "unget", item);
    }

    @Override
    public int size() {
        return (int) plain("size").header().get("n").getAsLong();
    }

    @Override
    public int unfinished() {
        return (int) plain("unfinished").header().get("n").getAsLong();
    }

    @Override
    public void taskDone() {
        plain("done");
    }

    @Override
    public boolean join(long timeoutNanos) throws InterruptedException {
        Message m = call("join", timeoutNanos, null);
        RuntimeException f = link.failure(m);
        if (f != null) {
            throw f;
        }
        return m.header().get("n").getAsLong() == 1;
    }
}
