package jpool.wire;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The messages of the jpool wire protocol as types, with one encoder and one decoder for each, used
 * by both sides. {@link #encode} turns a message into header and frames; {@link #decode} does the
 * reverse and throws {@link MalformedMessageException} for anything that is not a well-formed
 * message of a known type (a missing or mistyped field, a frame index out of range). A receiver
 * switches over {@link Msg#type()} and casts to the record of that type; it also refuses a type that
 * the other side does not send ({@link MessageType#sentByWorker()}, {@link MessageType#sentByController()}).
 *
 * <p>Tasks and results are the hot path and keep their own layout ({@link TaskCodec}); here they
 * are the records {@link Tasks} and {@link Results}. New services (queues, pipes, managers) travel as
 * {@link ServiceCall}, addressed by service name, and never touch the task path.
 */
public final class Protocol {

    private Protocol() {
    }

    /** A message of the protocol. */
    public sealed interface Msg permits Hello, Welcome, Ready, InitFailed, Tasks, Results, Started, Heartbeat,
            Timeout, Exiting, Bye, Cancel, Steal, Shutdown, ServiceCall {
        /** Its type. */
        MessageType type();
    }

    /**
     * A worker announces itself.
     *
     * @param workerId the id the controller gave it on its command line
     * @param pid its process id
     * @param host the name of the host it runs on ("" when unknown)
     */
    public record Hello(String workerId, long pid, String host) implements Msg {
        public Hello {
            Objects.requireNonNull(workerId, "workerId");
            Objects.requireNonNull(host, "host");
        }

        @Override
        public MessageType type() {
            return MessageType.HELLO;
        }
    }

    /**
     * The controller's answer to a hello: the worker's settings and the pool initializer.
     *
     * @param heartbeatMs interval of the worker's heartbeats
     * @param silenceMs the worker exits after hearing nothing for this long
     * @param taskTimeoutMs longest a unit may run (0: no limit)
     * @param maxTasks units after which the worker retires (0: no limit)
     * @param limits what the worker accepts
     * @param workerIndex the worker's place in the pool, 0 to processes - 1
     * @param initializer the serialized initializer, or null
     * @param initializerCode the code frames that go with it (empty when it needs none)
     */
    public record Welcome(long heartbeatMs, long silenceMs, long taskTimeoutMs, int maxTasks, Limits limits,
            int workerIndex, byte[] initializer, List<byte[]> initializerCode) implements Msg {
        public Welcome {
            Objects.requireNonNull(limits, "limits");
            initializerCode = List.copyOf(initializerCode);
            if (workerIndex < 0) {
                throw new IllegalArgumentException("workerIndex must not be negative: " + workerIndex);
            }
        }

        @Override
        public MessageType type() {
            return MessageType.WELCOME;
        }
    }

    /** The initializer ran; the worker takes tasks. */
    public record Ready() implements Msg {
        @Override
        public MessageType type() {
            return MessageType.READY;
        }
    }

    /** @param failure the serialized {@link RemoteFailure} of the initializer, or null when it could not be sent */
    public record InitFailed(byte[] failure) implements Msg {
        @Override
        public MessageType type() {
            return MessageType.INIT_FAILED;
        }
    }

    /**
     * Units to run.
     *
     * @param units the units, in order
     * @param droppedJobs jobs whose functions the worker may forget
     */
    public record Tasks(List<UnitWire> units, long[] droppedJobs) implements Msg {
        public Tasks {
            units = List.copyOf(units);
            droppedJobs = droppedJobs == null ? new long[0] : droppedJobs;
        }

        @Override
        public MessageType type() {
            return MessageType.TASK;
        }
    }

    /** Results of units and the output they printed. */
    public record Results(List<UnitResult> results, List<OutputPiece> output) implements Msg {
        public Results {
            results = List.copyOf(results);
            output = List.copyOf(output);
        }

        @Override
        public MessageType type() {
            return MessageType.RESULT;
        }
    }

    /** @param unitId the unit that has been running for a moment; {@code startedMicros} when it began */
    public record Started(long unitId, long startedMicros) implements Msg {
        @Override
        public MessageType type() {
            return MessageType.STARTED;
        }
    }

    /**
     * Still alive. The controller's carries nothing; a worker's says which unit it runs and how much
     * heap it uses.
     *
     * @param runningUnit the unit the worker runs now, 0 for none
     * @param runningForMs how long it has run
     * @param heapUsed bytes of heap in use, -1 when not said
     * @param heapMax the heap's limit in bytes, -1 when not said
     */
    public record Heartbeat(long runningUnit, long runningForMs, long heapUsed, long heapMax) implements Msg {
        /** The controller's heartbeat: it carries nothing. */
        public static final Heartbeat IDLE = new Heartbeat(0, 0, -1, -1);

        @Override
        public MessageType type() {
            return MessageType.HEARTBEAT;
        }
    }

    /** @param unitId the unit that ran past the limit of {@code limitMs} */
    public record Timeout(long unitId, long limitMs) implements Msg {
        @Override
        public MessageType type() {
            return MessageType.TIMEOUT;
        }
    }

    /** @param runningUnit the unit that was running when the JVM began to exit, 0 for none */
    public record Exiting(long runningUnit) implements Msg {
        @Override
        public MessageType type() {
            return MessageType.EXITING;
        }
    }

    /** The worker has run its maxTasksPerChild and retires. */
    public record Bye() implements Msg {
        @Override
        public MessageType type() {
            return MessageType.BYE;
        }
    }

    /**
     * @param units units to cancel
     * @param interrupt whether running ones are interrupted (else only queued ones are dropped)
     */
    public record Cancel(long[] units, boolean interrupt) implements Msg {
        @Override
        public MessageType type() {
            return MessageType.CANCEL;
        }
    }

    /** @param units queued units to give back for another worker */
    public record Steal(long[] units) implements Msg {
        @Override
        public MessageType type() {
            return MessageType.STEAL;
        }
    }

    /** Flush output and exit. */
    public record Shutdown() implements Msg {
        @Override
        public MessageType type() {
            return MessageType.SHUTDOWN;
        }
    }

    /**
     * A request to a named service of the controller, or its reply: what the service means by
     * {@code body} and {@code frames} is its own business.
     *
     * @param service the service's name ({@code queue}, {@code pipe}, ...)
     * @param callId chosen by the requester; a reply carries the id of its request
     * @param body the service's fields
     * @param frames binary payloads
     */
    public record ServiceCall(String service, long callId, JsonObject body, List<byte[]> frames) implements Msg {
        public ServiceCall {
            Objects.requireNonNull(service, "service");
            body = body == null ? new JsonObject() : body;
            frames = List.copyOf(frames);
        }

        @Override
        public MessageType type() {
            return MessageType.SERVICE;
        }
    }

    // ------------------------------------------------------------------------------------ encoding

    /** The wire form of a message. */
    public static Message encode(Msg msg) {
        if (msg instanceof Tasks t) {
            return TaskCodec.encodeTasks(t.units(), t.droppedJobs());
        }
        if (msg instanceof Results r) {
            return TaskCodec.encodeResults(new ArrayList<>(r.results()), new ArrayList<>(r.output()));
        }
        Message m = new Message(msg.type().wireName(), new JsonObject(), null);
        JsonObject h = m.header();
        if (msg instanceof Hello x) {
            h.addProperty("wid", x.workerId());
            h.addProperty("pid", x.pid());
            if (!x.host().isEmpty()) {
                h.addProperty("host", x.host());
            }
        } else if (msg instanceof Welcome x) {
            h.addProperty("hbMs", x.heartbeatMs());
            h.addProperty("silenceMs", x.silenceMs());
            h.addProperty("timeoutMs", x.taskTimeoutMs());
            h.addProperty("maxTasks", x.maxTasks());
            h.addProperty("maxBytes", x.limits().maxMessageBytes());
            h.addProperty("maxDepth", x.limits().maxDepth());
            h.addProperty("maxRefs", x.limits().maxRefs());
            h.addProperty("maxArray", x.limits().maxArrayLength());
            h.addProperty("index", x.workerIndex());
            if (x.initializer() != null) {
                h.addProperty("init", m.addFrame(x.initializer()));
                if (!x.initializerCode().isEmpty()) {
                    h.add("ix", frameList(m, x.initializerCode()));
                }
            }
        } else if (msg instanceof InitFailed x) {
            m.addFrame(x.failure() == null ? new byte[0] : x.failure());
        } else if (msg instanceof Started x) {
            h.addProperty("u", x.unitId());
            h.addProperty("s", x.startedMicros());
        } else if (msg instanceof Heartbeat x) {
            if (x.runningUnit() != 0) {
                h.addProperty("run", x.runningUnit());
                h.addProperty("el", x.runningForMs());
            }
            if (x.heapMax() > 0) {
                h.addProperty("heap", x.heapUsed());
                h.addProperty("heapMax", x.heapMax());
            }
        } else if (msg instanceof Timeout x) {
            h.addProperty("u", x.unitId());
            h.addProperty("ms", x.limitMs());
        } else if (msg instanceof Exiting x) {
            h.addProperty("run", x.runningUnit());
        } else if (msg instanceof Cancel x) {
            h.add("units", longs(x.units()));
            h.addProperty("interrupt", x.interrupt());
        } else if (msg instanceof Steal x) {
            h.add("units", longs(x.units()));
        } else if (msg instanceof ServiceCall x) {
            h.addProperty("svc", x.service());
            h.addProperty("call", x.callId());
            h.add("body", x.body());
            if (!x.frames().isEmpty()) {
                h.add("fr", frameList(m, x.frames()));
            }
        }
        // Ready, Bye and Shutdown carry nothing but their type.
        return m;
    }

    private static JsonArray frameList(Message m, List<byte[]> frames) {
        JsonArray a = new JsonArray(frames.size());
        for (byte[] f : frames) {
            a.add(m.addFrame(f));
        }
        return a;
    }

    private static JsonArray longs(long[] values) {
        JsonArray a = new JsonArray(values.length);
        for (long v : values) {
            a.add(v);
        }
        return a;
    }

    // ------------------------------------------------------------------------------------ decoding

    /**
     * The typed form of a received message.
     *
     * @throws MalformedMessageException for an unknown type or a missing, mistyped or out-of-range field
     */
    public static Msg decode(Message m) {
        MessageType type = MessageType.of(m.type());
        if (type == null) {
            throw new MalformedMessageException("unknown message type " + m.type());
        }
        JsonObject h = m.header();
        try {
            return switch (type) {
                case HELLO -> new Hello(string(h, "wid"), h.get("pid").getAsLong(),
                        h.has("host") ? string(h, "host") : "");
                case WELCOME -> new Welcome(h.get("hbMs").getAsLong(), h.get("silenceMs").getAsLong(),
                        h.get("timeoutMs").getAsLong(), h.get("maxTasks").getAsInt(),
                        new Limits(h.get("maxBytes").getAsLong(), h.get("maxDepth").getAsLong(),
                                h.get("maxRefs").getAsLong(), h.get("maxArray").getAsLong()),
                        h.get("index").getAsInt(),
                        h.has("init") ? m.frame(h.get("init").getAsInt()) : null,
                        h.has("ix") ? frames(m, h.getAsJsonArray("ix")) : List.of());
                case READY -> new Ready();
                case INIT_FAILED -> new InitFailed(m.frames().isEmpty() || m.frame(0).length == 0 ? null : m.frame(0));
                case TASK -> new Tasks(TaskCodec.decodeTasks(m), TaskCodec.droppedJobs(m));
                case RESULT -> new Results(TaskCodec.decodeResults(m), TaskCodec.decodeOutput(m));
                case STARTED -> new Started(h.get("u").getAsLong(), h.get("s").getAsLong());
                case HEARTBEAT -> new Heartbeat(h.has("run") ? h.get("run").getAsLong() : 0,
                        h.has("el") ? h.get("el").getAsLong() : 0,
                        h.has("heap") ? h.get("heap").getAsLong() : -1,
                        h.has("heapMax") ? h.get("heapMax").getAsLong() : -1);
                case TIMEOUT -> new Timeout(h.get("u").getAsLong(), h.has("ms") ? h.get("ms").getAsLong() : 0);
                case EXITING -> new Exiting(h.has("run") ? h.get("run").getAsLong() : 0);
                case BYE -> new Bye();
                case CANCEL -> new Cancel(longs(h.getAsJsonArray("units")),
                        h.has("interrupt") && h.get("interrupt").getAsBoolean());
                case STEAL -> new Steal(longs(h.getAsJsonArray("units")));
                case SHUTDOWN -> new Shutdown();
                case SERVICE -> new ServiceCall(string(h, "svc"), h.get("call").getAsLong(),
                        h.has("body") ? h.getAsJsonObject("body") : new JsonObject(),
                        h.has("fr") ? frames(m, h.getAsJsonArray("fr")) : List.of());
            };
        } catch (MalformedMessageException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MalformedMessageException("bad " + type.wireName() + " message: " + e.getMessage(), e);
        }
    }

    private static String string(JsonObject h, String field) {
        JsonElement e = h.get(field);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new MalformedMessageException("field " + field + " is not a string");
        }
        return e.getAsString();
    }

    private static List<byte[]> frames(Message m, JsonArray indices) {
        List<byte[]> out = new ArrayList<>(indices.size());
        for (JsonElement i : indices) {
            out.add(m.frame(i.getAsInt()));
        }
        return out;
    }

    private static long[] longs(JsonArray a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsLong();
        }
        return out;
    }
}
