package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
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
            long before = pool.stats().dropped();
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
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (pool.stats().dropped() - before < sent && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            PoolStats stats = pool.stats();
            assertEquals(sent, stats.dropped() - before, stats.toString());
            assertTrue(stats.droppedUnsigned() + stats.droppedMalformed() >= sent);
            // the controller still works
            assertEquals(List.of(2, 3, 4), pool.map((Integer x) -> x + 1, List.of(1, 2, 3)));
        }
    }
}
