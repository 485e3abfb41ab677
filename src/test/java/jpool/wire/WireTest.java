package jpool.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.InvalidClassException;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** Signing, limits and the task codec. */
class WireTest {

    @Test
    void signatureCoversHeaderAndFramesAndTheirBoundaries() {
        Signer s = new Signer(Signer.newKey());
        byte[] header = "{\"v\":1}".getBytes();
        byte[] sig = s.sign(header, List.of(new byte[] {1, 2}, new byte[] {3}));
        assertEquals(64, sig.length);
        assertTrue(s.verify(sig, header, List.of(new byte[] {1, 2}, new byte[] {3})));
        assertFalse(s.verify(sig, header, List.of(new byte[] {1}, new byte[] {2, 3})), "re-split frames");
        assertFalse(s.verify(sig, header, List.of(new byte[] {1, 2}, new byte[] {4})));
        assertFalse(new Signer(Signer.newKey()).verify(sig, header, List.of(new byte[] {1, 2}, new byte[] {3})));
        assertEquals(32, Signer.newKey().length);
    }

    @Test
    void signatureIsHmacSha256OfLengthPrefixedFrames() throws Exception {
        byte[] header = "{\"v\":1}".getBytes();
        byte[] big = new byte[100_000];
        new java.util.Random(7).nextBytes(big);
        for (byte[] key : List.of(Signer.newKey(), new byte[100])) {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
            for (byte[] frame : List.of(header, new byte[0], big)) {
                mac.update(java.nio.ByteBuffer.allocate(8).putLong(frame.length).array());
                mac.update(frame);
            }
            String expected = java.util.HexFormat.of().formatHex(mac.doFinal());
            Signer s = new Signer(key);
            for (int i = 0; i < 2; i++) { // the signer is reused
                assertEquals(expected, new String(s.sign(header, List.of(new byte[0], big))));
            }
        }
    }

    @Test
    void receiveDropsAndCountsBadMessagesOverRealSockets() throws Exception {
        byte[] key = Signer.newKey();
        WireStats stats = new WireStats();
        Wire server = new Wire(key, new Limits(1000, 100, 1000, 1000), stats);
        Wire client = new Wire(key, Limits.DEFAULT, new WireStats());
        Wire stranger = new Wire(Signer.newKey(), Limits.DEFAULT, new WireStats());
        try (ZContext ctx = new ZContext(1)) {
            ZMQ.Socket router = ctx.createSocket(SocketType.ROUTER);
            int port = router.bindToRandomPort("tcp://127.0.0.1");
            ZMQ.Socket dealer = ctx.createSocket(SocketType.DEALER);
            dealer.connect("tcp://127.0.0.1:" + port);
            dealer.send("garbage");
            stranger.send(dealer, null, Message.of("hb"));
            Message big = Message.of("result");
            big.addFrame(new byte[5000]);
            client.send(dealer, null, big);
            JsonObject h = new JsonObject();
            h.addProperty("x", 1);
            Message ok = new Message("hb", h, null);
            client.send(dealer, null, ok);
            List<Wire.Received> got = new ArrayList<>();
            ZMQ.Poller poller = ctx.createPoller(1);
            poller.register(router, ZMQ.Poller.POLLIN);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (got.stream().filter(r -> !r.dropped()).count() < 1 && System.nanoTime() < deadline) {
                poller.poll(100);
                Wire.Received r;
                while ((r = server.receive(router, true)) != null) {
                    got.add(r);
                }
            }
            assertEquals(4, got.size());
            assertEquals(1, stats.droppedMalformed());
            assertEquals(1, stats.droppedUnsigned());
            assertEquals(1, stats.droppedOversized());
            Wire.Received last = got.get(3);
            assertEquals("hb", last.message().type());
            assertEquals(1, last.message().header().get("x").getAsInt());
        }
    }

    @Test
    void filterRejectsDeepAndLargeGraphs() throws Exception {
        Limits small = new Limits(1 << 20, 20, 1000, 100);
        LinkedList<Object> deep = new LinkedList<>();
        Object[] nested = new Object[1];
        Object[] cur = nested;
        for (int i = 0; i < 50; i++) {
            Object[] next = new Object[1];
            cur[0] = next;
            cur = next;
        }
        byte[] bytes = PayloadCodec.serialize(nested);
        assertThrows(InvalidClassException.class, () -> PayloadCodec.deserialize(bytes, (ClassLoader) null, small));
        byte[] array = PayloadCodec.serialize(new int[1000]);
        assertThrows(InvalidClassException.class, () -> PayloadCodec.deserialize(array, (ClassLoader) null, small));
        assertEquals(0, deep.size());
        assertArrayEquals(new int[10], (int[]) PayloadCodec.deserialize(PayloadCodec.serialize(new int[10]), (ClassLoader) null, small));
    }

    static final class Twice implements Invocable {
        private static final long serialVersionUID = 1L;

        @Override
        public Object invoke(Object argument) {
            return ((Integer) argument) * 2;
        }
    }

    @Test
    void taskAndResultCodecRoundTrip() throws Exception {
        byte[] fn = TaskCodec.encodeFunction(new Twice());
        byte[] args = TaskCodec.encodeArguments(new Object[] {1, 2});
        Message m = TaskCodec.encodeTasks(List.of(new UnitWire(7, 3, 2, fn, args, List.of(new byte[] {9}))),
                new long[] {1, 2});
        List<UnitWire> back = TaskCodec.decodeTasks(m);
        assertEquals(1, back.size());
        assertEquals(7, back.get(0).unitId());
        assertEquals(3, back.get(0).jobId());
        assertArrayEquals(new byte[] {9}, back.get(0).extra().get(0));
        assertArrayEquals(new long[] {1, 2}, TaskCodec.droppedJobs(m));
        Invocable f = TaskCodec.decodeFunction(back.get(0).function(), null, Limits.DEFAULT);
        assertEquals(4, f.invoke(2));

        Object[] values = {1, RemoteFailure.of(new IllegalStateException("x")), new Object()};
        TaskCodec.EncodedValues enc = TaskCodec.encodeValues(values);
        assertArrayEquals(new int[] {1, 2}, enc.errorIndices(), "unserializable value becomes a failure");
        UnitResult r = new UnitResult(7, enc.kind(), 1, 2, enc.errorIndices(), enc.bytes());
        Message rm = TaskCodec.encodeResults(List.of(r), List.of(new OutputPiece(7, OutputPiece.STDOUT, "hi".getBytes())));
        UnitResult rb = TaskCodec.decodeResults(rm).get(0);
        assertEquals("hi", new String(TaskCodec.decodeOutput(rm).get(0).bytes()));
        Object[] decoded = TaskCodec.decodeValues(rb, null, Limits.DEFAULT);
        assertEquals(1, decoded[0]);
        RemoteFailure rf = assertInstanceOf(RemoteFailure.class, decoded[1]);
        assertEquals(IllegalStateException.class.getName(), rf.className());
        assertInstanceOf(RemoteFailure.class, decoded[2]);

        byte[] big = new byte[TaskCodec.RAW_THRESHOLD];
        TaskCodec.EncodedValues raw = TaskCodec.encodeValues(new Object[] {big});
        assertEquals(UnitResult.RAW, raw.kind());
        assertTrue(raw.bytes() == big, "raw results are not copied");
        assertNull(TaskCodec.decodeValues(new UnitResult(1, UnitResult.VALUES, 0, 0, new int[0],
                PayloadCodec.serialize(new Object[] {null})), null, Limits.DEFAULT)[0]);
    }
}
