package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** Garbage and unsigned frames sent to the controller's port. */
@ExtendWith(NoWorkersLeft.class)
@Timeout(60)
class BadInputTest {

    @Test
    void garbageAndUnsignedMessagesAreDroppedAndCounted() throws Exception {
        try (Pool pool = Pool.create(2); ZContext ctx = new ZContext(1)) {
            assertEquals(1, pool.apply(() -> 1));
            String endpoint = ((ProcessPool) pool).endpoint();
            PoolStats before = pool.stats();
            int sent = 0;
            for (String id : List.of("intruder", "w1")) { // also an id that looks like one of ours
                ZMQ.Socket raw = ctx.createSocket(SocketType.DEALER);
                raw.setIdentity(id.getBytes(StandardCharsets.UTF_8));
                raw.setLinger(1000);
                raw.connect(endpoint);
                raw.send(new byte[] {1, 2, 3}); // one frame of garbage
                raw.send("0".repeat(64).getBytes(StandardCharsets.US_ASCII), ZMQ.SNDMORE); // bad signature
                raw.send("{\"v\":1,\"type\":\"result\",\"res\":[]}".getBytes(StandardCharsets.UTF_8));
                raw.send(new byte[64], ZMQ.SNDMORE);
                raw.send("not json at all");
                raw.send(new byte[0], ZMQ.SNDMORE);
                raw.send(new byte[0], ZMQ.SNDMORE);
                raw.send(new byte[1 << 16]);
                sent += 4;
            }
            int expected = sent;
            StatusTest.await(() -> pool.stats().dropped() - before.dropped() >= expected, Duration.ofSeconds(20),
                    expected + " messages dropped, have " + pool.stats());
            PoolStats stats = pool.stats();
            assertEquals(sent, stats.dropped() - before.dropped(), stats.toString());
            // per socket: the lone frame is malformed (no signature and header); the other three are unsigned
            assertEquals(2, stats.droppedMalformed() - before.droppedMalformed(), stats.toString());
            assertEquals(6, stats.droppedUnsigned() - before.droppedUnsigned(), stats.toString());
            assertEquals(0, stats.droppedOversized() - before.droppedOversized(), stats.toString());
            // the controller still works
            assertEquals(List.of(2, 3, 4), pool.map((Integer x) -> x + 1, List.of(1, 2, 3)));
        }
    }
}
