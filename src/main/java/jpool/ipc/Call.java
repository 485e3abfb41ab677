package jpool.ipc;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import jpool.wire.Message;

/**
 * One request from another JVM to an object this JVM owns, and the way to answer it: at once, or
 * later when a future completes ({@link #deferred}). Made and answered on the hub's I/O thread; a
 * deferred answer is posted there from whichever thread completes the future.
 *
 * <p>An asynchronous request ({@code a} in the header: a put to an unbounded queue, a pipe send) gets
 * no reply when it succeeds; a failure goes back as an {@code err} message, which the caller's handle
 * throws on its next call.
 */
final class Call {

    final Hub hub;
    final String peer;
    final long id;
    final String op;
    final int part;
    final long timeoutNanos;
    final boolean async;
    final List<byte[]> frames;
    final long objectId;

    Call(Hub hub, String peer, long id, String op, int part, long timeoutNanos, boolean async, List<byte[]> frames,
            long objectId) {
        this.hub = hub;
        this.peer = peer;
        this.id = id;
        this.op = op;
        this.part = part;
        this.timeoutNanos = timeoutNanos;
        this.async = async;
        this.frames = frames;
        this.objectId = objectId;
    }

    /** The request's one payload frame. */
    byte[] frame() {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("request " + op + " carries no payload");
        }
        return frames.get(0);
    }

    /** Whether the caller is willing to wait (timeout not zero). */
    boolean waits() {
        return timeoutNanos != 0;
    }

    /** Answers with success, a number and an optional payload. */
    boolean ok(long n, byte[] frame) {
        if (async) {
            return true;
        }
        JsonObject b = header("ok");
        b.addProperty("n", n);
        return hub.sendToPeer(peer, new Message("re", b, frame == null ? null : new java.util.ArrayList<>(List.of(frame))));
    }

    /** Answers with a failure: {@code status} is empty, full, eof, state, nobj or error. */
    void fail(String status, String message) {
        JsonObject b = header(status);
        if (message != null) {
            b.addProperty("m", message);
        }
        if (async) {
            b.addProperty("o", objectId);
            b.addProperty("p", part);
            hub.sendToPeer(peer, new Message("err", b, null));
        } else {
            hub.sendToPeer(peer, new Message("re", b, null));
        }
    }

    /** Answers with the failure that {@code t} stands for. */
    void fail(Throwable t) {
        if (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof PipeClosedException) {
            fail("eof", t.getMessage());
        } else if (t instanceof IllegalStateException) {
            fail("state", t.getMessage());
        } else {
            fail("error", String.valueOf(t));
        }
    }

    private JsonObject header(String status) {
        JsonObject b = new JsonObject();
        b.addProperty("c", id);
        b.addProperty("s", status);
        return b;
    }

    /**
     * Answers when {@code f} completes: a {@code byte[]} value as a payload, a {@code Boolean} as n = 1 or
     * 0, an exception as its failure. If the caller set a timeout, the request is cancelled at its
     * deadline ({@code cancel} removes the waiter; true if it was still waiting) and answered with
     * {@code timeoutStatus} ("ok0" for a plain false). If the caller cancels (interrupted), the same
     * {@code cancel} runs. {@code undelivered} gets a payload whose caller turned out to be gone.
     */
    void deferred(CompletableFuture<?> f, BooleanSupplier cancel, String timeoutStatus, Consumer<byte[]> undelivered) {
        if (f.isDone()) {
            finish(f, undelivered);
            return;
        }
        hub.putCancel(peer, id, cancel);
        if (timeoutNanos > 0) {
            hub.schedule(System.nanoTime() + timeoutNanos, () -> {
                if (cancel.getAsBoolean()) {
                    hub.removeCancel(peer, id);
                    if (timeoutStatus.equals("ok0")) {
                        ok(0, null);
                    } else {
                        fail(timeoutStatus, null);
                    }
                }
            });
        }
        f.whenComplete((v, e) -> hub.post(() -> {
            hub.removeCancel(peer, id);
            finish(f, undelivered);
        }));
    }

    private void finish(CompletableFuture<?> f, Consumer<byte[]> undelivered) {
        Object v;
        try {
            v = f.join();
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        if (v instanceof byte[] bytes) {
            if (!ok(0, bytes) && undelivered != null) {
                undelivered.accept(bytes);
            }
        } else {
            ok(Boolean.TRUE.equals(v) ? 1 : 0, null);
        }
    }
}
