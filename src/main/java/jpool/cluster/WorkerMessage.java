package jpool.cluster;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;
import jpool.wire.MalformedMessageException;
import jpool.wire.Message;
import jpool.wire.OutputPiece;
import jpool.wire.TaskCodec;
import jpool.wire.UnitResult;

/**
 * A message from a worker, decoded and validated: everything the controller reads from the wire is read
 * here, so that a message that does not follow the protocol is told apart from a failure while acting on
 * it. See docs/PROTOCOL.md for the fields.
 */
sealed interface WorkerMessage {

    /**
     * Decodes a signed message; pure.
     *
     * @throws MalformedMessageException if it does not follow the protocol
     */
    static WorkerMessage decode(Message m) {
        try {
            JsonObject h = m.header();
            return switch (m.type()) {
                case "hello" -> new Hello();
                case "ready" -> new Ready();
                case "result" -> new Results(TaskCodec.decodeOutput(m), TaskCodec.decodeResults(m));
                case "started" -> new Started(number(h, "u"), number(h, "s"));
                case "hb" -> new Heartbeat(h.has("run") ? number(h, "run") : 0, h.has("el") ? number(h, "el") : 0);
                case "timeout" -> new TimedOut(number(h, "u"));
                case "init_failed" -> new InitFailed(m.frames().isEmpty() ? null : m.frame(0));
                case "exiting" -> new Exiting();
                case "bye" -> new Bye();
                default -> throw new MalformedMessageException("unknown message type " + m.type());
            };
        } catch (MalformedMessageException e) {
            throw e;
        } catch (RuntimeException e) { // Gson: missing field, wrong type, not a number
            throw new MalformedMessageException("bad " + m.type() + " message", e);
        }
    }

    private static long number(JsonObject h, String field) {
        JsonElement e = h.get(field);
        if (e == null) {
            throw new MalformedMessageException("missing field " + field);
        }
        return e.getAsLong();
    }

    /** The worker connected (or reconnected) and waits for its welcome. */
    record Hello() implements WorkerMessage {
    }

    /** The worker ran its initializer and accepts units. */
    record Ready() implements WorkerMessage {
    }

    /** Output pieces and finished units, output first. */
    record Results(List<OutputPiece> output, List<UnitResult> results) implements WorkerMessage {
    }

    /** A unit has been running for about a millisecond, since {@code startedMicros}. */
    record Started(long unitId, long startedMicros) implements WorkerMessage {
    }

    /** The worker is alive, running {@code runningUnit} (0: none) for {@code elapsedMs}. */
    record Heartbeat(long runningUnit, long elapsedMs) implements WorkerMessage {
    }

    /** A unit ran past the task timeout; the worker is exiting. */
    record TimedOut(long unitId) implements WorkerMessage {
    }

    /** The pool initializer failed; {@code remote} is a serialized RemoteFailure or null. */
    record InitFailed(byte[] remote) implements WorkerMessage {
    }

    /** The worker JVM is exiting (System.exit in a task, or a signal). */
    record Exiting() implements WorkerMessage {
    }

    /** The worker reached maxTasksPerChild and exits once its last units are done. */
    record Bye() implements WorkerMessage {
    }
}
