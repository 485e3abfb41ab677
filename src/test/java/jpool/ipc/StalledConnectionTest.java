package jpool.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jpool.Pool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A connection to an owner that is established but never completes ZeroMQ's handshake (what JeroMQ
 * now and then leaves behind under load) is replaced, and the calls sent on it reach the owner.
 */
@Timeout(120)
class StalledConnectionTest {

    @Test
    void aCallOnAConnectionThatNeverHandshakesIsSentAgainOnANewOne() throws Exception {
        try (Pool pool = IpcTestSupport.pool(1); StallingProxy proxy = new StallingProxy()) {
            @SuppressWarnings("unchecked")
            QueueHandle<String> owned = (QueueHandle<String>) pool.apply(() -> {
                IpcQueue<String> q = Ipc.queue();
                q.put("across");
                return List.<Object>of(q);
            }).get(0);
            IpcRef real = owned.ref;
            proxy.forwardTo(Integer.parseInt(real.endpoint().substring(real.endpoint().lastIndexOf(':') + 1)));
            // the same queue, reached through the proxy (another hub id: a link of its own)
            IpcRef viaProxy = new IpcRef("tcp://127.0.0.1:" + proxy.port(), real.keyHex(), real.hubId() + "-proxied",
                    real.ownerPid(), real.objectId(), real.part(), real.kind(), real.capacity());
            @SuppressWarnings("unchecked")
            IpcQueue<String> q = (IpcQueue<String>) Hub.get().resolve(viaProxy);
            long t0 = System.nanoTime();
            assertEquals("across", q.get(30, TimeUnit.SECONDS));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < Hub.SILENCE_NANOS / 1_000_000, "recovered before the silence limit, in " + ms + " ms");
            assertEquals(2, proxy.accepted.get(), "the stalled connection, then the one that worked");
            q.put("and back");
            IpcQueue<String> inTheOwner = owned; // serialized into the task, it is the owner's own queue there
            assertEquals("and back", pool.apply(() -> inTheOwner.get(30, TimeUnit.SECONDS)));
        }
    }

    /** Holds its first connection silent (no ZeroMQ greeting, nothing read); forwards later ones. */
    private static final class StallingProxy implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final AtomicInteger accepted = new AtomicInteger();
        final List<Socket> sockets = new CopyOnWriteArrayList<>();
        volatile int target;
        final Thread acceptor = new Thread(this::accept, "stalling-proxy");

        StallingProxy() throws IOException {
            acceptor.setDaemon(true);
        }

        int port() {
            return server.getLocalPort();
        }

        void forwardTo(int port) {
            target = port;
            acceptor.start();
        }

        private void accept() {
            try {
                while (true) {
                    Socket in = server.accept();
                    sockets.add(in);
                    if (accepted.incrementAndGet() == 1) {
                        continue; // stalled: established, never answered
                    }
                    Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
                    sockets.add(out);
                    pump(in.getInputStream(), out.getOutputStream());
                    pump(out.getInputStream(), in.getOutputStream());
                }
            } catch (IOException e) {
                // closed
            }
        }

        private void pump(InputStream from, OutputStream to) {
            Thread t = new Thread(() -> {
                try {
                    from.transferTo(to);
                } catch (IOException e) {
                    // one side closed
                }
            }, "stalling-proxy-pump");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
