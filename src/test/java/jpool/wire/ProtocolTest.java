package jpool.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every message of the protocol survives its encoder and decoder, and malformed ones are refused. */
class ProtocolTest {

    /** Encodes, puts through a real signed wire round trip's header parsing, and decodes. */
    private static Protocol.Msg roundTrip(Protocol.Msg msg) {
        Message m = Protocol.encode(msg);
        Message received = new Message(com.google.gson.JsonParser.parseString(m.header().toString()).getAsJsonObject(),
                m.frames(), true);
        Protocol.Msg back = Protocol.decode(received);
        assertEquals(msg.type(), back.type());
        return back;
    }

    @Test
    void everyTypeRoundTrips() {
        Set<MessageType> seen = EnumSet.noneOf(MessageType.class);
        Protocol.Hello hello = (Protocol.Hello) roundTrip(new Protocol.Hello("w3", 4242, "node7"));
        assertEquals(new Protocol.Hello("w3", 4242, "node7"), hello);
        seen.add(hello.type());

        Limits limits = new Limits(1000, 10, 100, 50);
        Protocol.Welcome w = (Protocol.Welcome) roundTrip(new Protocol.Welcome(250, 5000, 0, 7, limits, 1,
                new byte[] {1, 2}, List.of(new byte[] {3}, new byte[] {4, 5})));
        assertEquals(List.of(250L, 5000L, 0L, 7L, 1L), List.of(w.heartbeatMs(), w.silenceMs(), w.taskTimeoutMs(),
                (long) w.maxTasks(), (long) w.workerIndex()));
        assertEquals(limits, w.limits());
        assertArrayEquals(new byte[] {1, 2}, w.initializer());
        assertEquals(2, w.initializerCode().size());
        assertArrayEquals(new byte[] {4, 5}, w.initializerCode().get(1));
        Protocol.Welcome plain = (Protocol.Welcome) roundTrip(new Protocol.Welcome(1, 2, 3, 0, limits, 0, null,
                List.of()));
        assertNull(plain.initializer());
        assertEquals(List.of(), plain.initializerCode());
        seen.add(w.type());

        seen.add(roundTrip(new Protocol.Ready()).type());
        Protocol.InitFailed failed = (Protocol.InitFailed) roundTrip(new Protocol.InitFailed(new byte[] {9}));
        assertArrayEquals(new byte[] {9}, failed.failure());
        assertNull(((Protocol.InitFailed) roundTrip(new Protocol.InitFailed(null))).failure());
        seen.add(failed.type());

        Protocol.Tasks tasks = (Protocol.Tasks) roundTrip(new Protocol.Tasks(List.of(
                new UnitWire(5, 2, 3, new byte[] {1}, new byte[] {2}, List.of(), 1),
                new UnitWire(6, 2, 1, null, new byte[] {3}, List.of(new byte[] {7}), 3)), new long[] {1}));
        assertEquals(2, tasks.units().size());
        assertEquals(1, tasks.units().get(0).attempt());
        assertEquals(3, tasks.units().get(1).attempt());
        assertNull(tasks.units().get(1).function());
        assertArrayEquals(new long[] {1}, tasks.droppedJobs());
        seen.add(tasks.type());

        Protocol.Results results = (Protocol.Results) roundTrip(new Protocol.Results(List.of(
                new UnitResult(5, UnitResult.VALUES, 10, 20, new int[] {1}, new byte[] {8})),
                List.of(new OutputPiece(5, 1, "hi".getBytes()))));
        assertEquals(5, results.results().get(0).unitId());
        assertArrayEquals(new int[] {1}, results.results().get(0).errorIndices());
        assertEquals("hi", new String(results.output().get(0).bytes()));
        seen.add(results.type());

        assertEquals(new Protocol.Started(5, 123), roundTrip(new Protocol.Started(5, 123)));
        seen.add(MessageType.STARTED);
        assertEquals(new Protocol.Heartbeat(5, 40, 1000, 4000), roundTrip(new Protocol.Heartbeat(5, 40, 1000, 4000)));
        assertEquals(Protocol.Heartbeat.IDLE, roundTrip(Protocol.Heartbeat.IDLE));
        seen.add(MessageType.HEARTBEAT);
        assertEquals(new Protocol.Timeout(5, 1000), roundTrip(new Protocol.Timeout(5, 1000)));
        seen.add(MessageType.TIMEOUT);
        assertEquals(new Protocol.Exiting(0), roundTrip(new Protocol.Exiting(0)));
        seen.add(MessageType.EXITING);
        seen.add(roundTrip(new Protocol.Bye()).type());
        assertArrayEquals(new long[] {3, 4}, ((Protocol.Cancel) roundTrip(new Protocol.Cancel(new long[] {3, 4}, true))).units());
        seen.add(MessageType.CANCEL);
        assertArrayEquals(new long[] {8}, ((Protocol.Steal) roundTrip(new Protocol.Steal(new long[] {8}))).units());
        seen.add(MessageType.STEAL);
        seen.add(roundTrip(new Protocol.Shutdown()).type());

        JsonObject body = new JsonObject();
        body.addProperty("op", "put");
        Protocol.ServiceCall call = (Protocol.ServiceCall) roundTrip(new Protocol.ServiceCall("queue", 17, body,
                List.of(new byte[] {6})));
        assertEquals("queue", call.service());
        assertEquals(17, call.callId());
        assertEquals("put", call.body().get("op").getAsString());
        assertArrayEquals(new byte[] {6}, call.frames().get(0));
        seen.add(call.type());

        assertEquals(EnumSet.allOf(MessageType.class), seen, "a test for every type");
    }

    @Test
    void malformedMessagesAreRefusedWithWhatIsWrong() {
        MalformedMessageException unknown = assertThrows(MalformedMessageException.class,
                () -> Protocol.decode(Message.of("teleport")));
        assertEquals("unknown message type teleport", unknown.getMessage());

        MalformedMessageException missing = assertThrows(MalformedMessageException.class,
                () -> Protocol.decode(Message.of("started")));
        assertTrue(missing.getMessage().startsWith("bad started message"), missing.getMessage());

        JsonObject h = new JsonObject();
        h.addProperty("wid", 12);
        h.addProperty("pid", 1);
        MalformedMessageException notAString = assertThrows(MalformedMessageException.class,
                () -> Protocol.decode(new Message("hello", h, null)));
        assertEquals("field wid is not a string", notAString.getMessage());

        Message welcome = Protocol.encode(new Protocol.Welcome(1, 2, 3, 0, Limits.DEFAULT, 0, new byte[] {1}, List.of()));
        welcome.header().addProperty("init", 5);
        MalformedMessageException range = assertThrows(MalformedMessageException.class,
                () -> Protocol.decode(welcome));
        assertEquals("frame index 5 out of range", range.getMessage());

        Message cancel = Protocol.encode(new Protocol.Cancel(new long[] {1}, false));
        cancel.header().addProperty("units", "all");
        assertInstanceOf(MalformedMessageException.class, assertThrows(RuntimeException.class,
                () -> Protocol.decode(cancel)));
    }

    @Test
    void eachTypeSaysWhichSideSendsIt() {
        assertTrue(MessageType.HELLO.sentByWorker());
        assertFalse(MessageType.HELLO.sentByController());
        assertTrue(MessageType.WELCOME.sentByController());
        assertFalse(MessageType.WELCOME.sentByWorker());
        assertTrue(MessageType.HEARTBEAT.sentByWorker() && MessageType.HEARTBEAT.sentByController());
        assertEquals(MessageType.INIT_FAILED, MessageType.of("init_failed"));
        assertNull(MessageType.of("nope"));
    }
}
