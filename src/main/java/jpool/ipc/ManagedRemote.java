package jpool.ipc;

import jpool.wire.Message;

/**
 * A managed object's backend in a JVM that does not own it: each operation is a request to the owner
 * over this JVM's {@link Link}, parked on its reply (which the owner defers while it waits).
 */
final class ManagedRemote implements ManagedBackend {

    private final IpcRef ref;
    private final Link link;

    ManagedRemote(IpcRef ref, Link link) {
        this.ref = ref;
        this.link = link;
    }

    @Override
    public Reply call(String op, byte[] arg, long timeoutNanos, String undo) throws InterruptedException {
        link.takeDeferred(ref.objectId(), 0); // a failed undo (the owner had already dropped the holder): nothing to do
        link.checkLost();
        Link.Pending p = link.call(ref.objectId(), 0, op, timeoutNanos, arg);
        Message m;
        try {
            m = Link.await(p);
        } catch (InterruptedException e) {
            link.abandon(p, late -> {
                if (undo != null && late.header().has("n") && late.header().get("n").getAsLong() != 0) {
                    link.send(ref.objectId(), 0, undo, arg); // granted while we gave up: give it back
                }
            });
            throw e;
        }
        String s = m.header().get("s").getAsString();
        String text = m.header().has("m") ? m.header().get("m").getAsString() : s;
        switch (s) {
            case "ok" -> {
                return new Reply(m.header().get("n").getAsLong(), m.frames().isEmpty() ? null : m.frame(0));
            }
            case "arg" -> throw new IllegalArgumentException(text);
            case "index" -> throw new IndexOutOfBoundsException(text);
            case "state" -> throw new IllegalStateException(text);
            default -> throw link.failure(m);
        }
    }
}
