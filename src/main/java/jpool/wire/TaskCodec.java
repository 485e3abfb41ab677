package jpool.wire;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The single place where units of work and their results are turned into messages and back, on both
 * sides of the protocol. Extensions that attach more data to a task (shipped classes, static state)
 * belong here: {@link UnitWire#extra()} frames are carried through unchanged.
 */
public final class TaskCodec {

    /** Smallest {@code byte[]} result sent as a raw frame instead of being serialized. */
    public static final int RAW_THRESHOLD = 16 * 1024;

    private TaskCodec() {
    }

    // ---------------------------------------------------------------- tasks: controller -> worker

    /**
     * Builds a {@code task} message carrying several units.
     *
     * @param droppedJobs jobs whose functions the worker may forget (finished jobs)
     */
    public static Message encodeTasks(List<UnitWire> units, long[] droppedJobs) {
        Message m = new Message("task", new JsonObject(), new ArrayList<>(units.size() * 2 + 1));
        JsonArray list = new JsonArray(units.size());
        for (UnitWire u : units) {
            JsonObject o = new JsonObject();
            o.addProperty("u", u.unitId());
            o.addProperty("j", u.jobId());
            o.addProperty("n", u.count());
            if (u.function() != null) {
                o.addProperty("fn", m.addFrame(u.function()));
            }
            o.addProperty("a", m.addFrame(u.arguments()));
            if (u.attempt() > 1) {
                o.addProperty("t", u.attempt());
            }
            if (!u.extra().isEmpty()) {
                JsonArray x = new JsonArray();
                for (byte[] f : u.extra()) {
                    x.add(m.addFrame(f));
                }
                o.add("x", x);
            }
            list.add(o);
        }
        m.header().add("units", list);
        if (droppedJobs != null && droppedJobs.length > 0) {
            JsonArray d = new JsonArray();
            for (long j : droppedJobs) {
                d.add(j);
            }
            m.header().add("drop", d);
        }
        return m;
    }

    /** Reads the units of a {@code task} message. */
    public static List<UnitWire> decodeTasks(Message m) {
        try {
            JsonArray list = m.header().getAsJsonArray("units");
            List<UnitWire> units = new ArrayList<>(list.size());
            for (JsonElement e : list) {
                JsonObject o = e.getAsJsonObject();
                byte[] fn = o.has("fn") ? m.frame(o.get("fn").getAsInt()) : null;
                List<byte[]> extra = List.of();
                if (o.has("x")) {
                    extra = new ArrayList<>();
                    for (JsonElement x : o.getAsJsonArray("x")) {
                        extra.add(m.frame(x.getAsInt()));
                    }
                }
                units.add(new UnitWire(o.get("u").getAsLong(), o.get("j").getAsLong(), o.get("n").getAsInt(), fn,
                        m.frame(o.get("a").getAsInt()), extra, o.has("t") ? o.get("t").getAsInt() : 1));
            }
            return units;
        } catch (RuntimeException e) {
            throw new MalformedMessageException("bad task message", e);
        }
    }

    /** The jobs a {@code task} message tells the worker to forget. */
    public static long[] droppedJobs(Message m) {
        JsonArray d = m.header().getAsJsonArray("drop");
        if (d == null) {
            return new long[0];
        }
        long[] jobs = new long[d.size()];
        for (int i = 0; i < jobs.length; i++) {
            jobs[i] = d.get(i).getAsLong();
        }
        return jobs;
    }

    // ---------------------------------------------------------------- results: worker -> controller

    /** Builds a {@code result} message from finished units and output pieces (output first). */
    public static Message encodeResults(List<UnitResult> results, List<OutputPiece> output) {
        Message m = new Message("result", new JsonObject(), new ArrayList<>(results.size() + output.size()));
        if (!output.isEmpty()) {
            JsonArray out = new JsonArray(output.size());
            for (OutputPiece p : output) {
                JsonObject o = new JsonObject();
                o.addProperty("u", p.unitId());
                o.addProperty("s", p.stream());
                o.addProperty("p", m.addFrame(p.bytes()));
                out.add(o);
            }
            m.header().add("out", out);
        }
        if (!results.isEmpty()) {
            JsonArray res = new JsonArray(results.size());
            for (UnitResult r : results) {
                JsonObject o = new JsonObject();
                o.addProperty("u", r.unitId());
                o.addProperty("k", r.kind());
                o.addProperty("s", r.startedMicros());
                o.addProperty("f", r.finishedMicros());
                if (r.errorIndices().length > 0) {
                    JsonArray e = new JsonArray();
                    for (int i : r.errorIndices()) {
                        e.add(i);
                    }
                    o.add("e", e);
                }
                o.addProperty("p", m.addFrame(r.payload()));
                res.add(o);
            }
            m.header().add("res", res);
        }
        return m;
    }

    /** The output pieces of a {@code result} message. */
    public static List<OutputPiece> decodeOutput(Message m) {
        JsonArray out = m.header().getAsJsonArray("out");
        if (out == null) {
            return List.of();
        }
        try {
            List<OutputPiece> pieces = new ArrayList<>(out.size());
            for (JsonElement e : out) {
                JsonObject o = e.getAsJsonObject();
                pieces.add(new OutputPiece(o.get("u").getAsLong(), o.get("s").getAsInt(),
                        m.frame(o.get("p").getAsInt())));
            }
            return pieces;
        } catch (RuntimeException e) {
            throw new MalformedMessageException("bad output entry", e);
        }
    }

    /** The unit results of a {@code result} message. */
    public static List<UnitResult> decodeResults(Message m) {
        JsonArray res = m.header().getAsJsonArray("res");
        if (res == null) {
            return List.of();
        }
        try {
            List<UnitResult> results = new ArrayList<>(res.size());
            for (JsonElement e : res) {
                JsonObject o = e.getAsJsonObject();
                int[] errors = new int[0];
                if (o.has("e")) {
                    JsonArray ea = o.getAsJsonArray("e");
                    errors = new int[ea.size()];
                    for (int i = 0; i < errors.length; i++) {
                        errors[i] = ea.get(i).getAsInt();
                    }
                }
                results.add(new UnitResult(o.get("u").getAsLong(), o.get("k").getAsString(), o.get("s").getAsLong(),
                        o.get("f").getAsLong(), errors, m.frame(o.get("p").getAsInt())));
            }
            return results;
        } catch (RuntimeException e) {
            throw new MalformedMessageException("bad result entry", e);
        }
    }

    // ---------------------------------------------------------------- payloads

    /** Serialized per-element values with the indices of the failed elements. */
    public record EncodedValues(String kind, byte[] bytes, int[] errorIndices) {
    }

    /**
     * Encodes a chunk's per-element outcomes. Elements that are {@link RemoteFailure}s are failures. An
     * element whose value cannot be serialized becomes a failure itself (a NotSerializableException
     * explaining what to return instead); the other elements are unaffected. A lone large
     * {@code byte[]} is sent raw.
     */
    public static EncodedValues encodeValues(Object[] values) {
        if (values.length == 1 && values[0] instanceof byte[] b && b.length >= RAW_THRESHOLD) {
            return new EncodedValues(UnitResult.RAW, b, new int[0]);
        }
        byte[] compact = CompactArrays.tryEncode(values);
        if (compact != null) {
            return new EncodedValues(UnitResult.VALUES, compact, new int[0]);
        }
        try {
            return new EncodedValues(UnitResult.VALUES, PayloadCodec.serialize(values), errorIndices(values));
        } catch (IOException | RuntimeException whole) {
            Object[] fixed = values.clone();
            for (int i = 0; i < fixed.length; i++) {
                try {
                    PayloadCodec.serialize(fixed[i]);
                } catch (IOException | RuntimeException e) {
                    String type = fixed[i] == null ? "null" : fixed[i].getClass().getName();
                    NotSerializableException nse = new NotSerializableException("the task's result of type " + type
                            + " cannot be sent back: " + e + ". Return a java.io.Serializable value"
                            + " (e.g. copy it into a record or collection whose parts are all Serializable)");
                    nse.setStackTrace(new StackTraceElement[0]);
                    fixed[i] = RemoteFailure.of(nse);
                }
            }
            try {
                return new EncodedValues(UnitResult.VALUES, PayloadCodec.serialize(fixed), errorIndices(fixed));
            } catch (IOException e) {
                throw new IllegalStateException("cannot encode results", e);
            }
        }
    }

    private static int[] errorIndices(Object[] values) {
        int n = 0;
        int[] idx = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] instanceof RemoteFailure) {
                idx[n++] = i;
            }
        }
        return Arrays.copyOf(idx, n);
    }

    /** Decodes the per-element values of a unit result ({@link RemoteFailure} for failed elements). */
    public static Object[] decodeValues(UnitResult result, ClassLoader loader, Limits limits)
            throws IOException, ClassNotFoundException {
        if (UnitResult.RAW.equals(result.kind())) {
            return new Object[] {result.payload()};
        }
        return decodeArray(result.payload(), loader, limits);
    }

    /** Encodes the input elements of a chunk ({@link CompactArrays} when they allow it, else serialized). */
    public static byte[] encodeArguments(Object[] elements) throws IOException {
        return encodeArguments(elements, null);
    }

    /** {@link #encodeArguments(Object[])}, telling {@code observer} (if not null) of the classes written. */
    public static byte[] encodeArguments(Object[] elements, PayloadCodec.ClassObserver observer) throws IOException {
        byte[] compact = CompactArrays.tryEncode(elements);
        return compact != null ? compact : PayloadCodec.serialize(elements, observer);
    }

    /** Reads an {@code Object[]} payload (arguments or values), compact or serialized. */
    public static Object[] decodeArray(byte[] bytes, ClassLoader loader, Limits limits)
            throws IOException, ClassNotFoundException {
        if (CompactArrays.isCompact(bytes)) {
            return CompactArrays.decode(bytes);
        }
        Object o = PayloadCodec.deserialize(bytes, loader, limits);
        if (!(o instanceof Object[] array)) {
            throw new IOException("payload is not an Object[]: " + (o == null ? "null" : o.getClass().getName()));
        }
        return array;
    }

    /** Serializes a task function. */
    public static byte[] encodeFunction(Invocable function) throws IOException {
        return PayloadCodec.serialize(function);
    }

    /** Serializes a task function, telling {@code observer} (if not null) of the classes written. */
    public static byte[] encodeFunction(Invocable function, PayloadCodec.ClassObserver observer) throws IOException {
        return PayloadCodec.serialize(function, observer);
    }

    /** Reads a task function. */
    public static Invocable decodeFunction(byte[] bytes, ClassLoader loader, Limits limits)
            throws IOException, ClassNotFoundException {
        Object o = PayloadCodec.deserialize(bytes, loader, limits);
        if (!(o instanceof Invocable fn)) {
            throw new IOException("function payload is not a jpool.wire.Invocable");
        }
        return fn;
    }
}
