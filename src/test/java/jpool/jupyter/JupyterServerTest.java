package jpool.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/** The protocol layer against a real ZeroMQ client, without a kernel behind it. */
class JupyterServerTest {

    private JupyterServer server;
    private ZMQ.Context ctx;
    private ZMQ.Socket shell;
    private ZMQ.Socket control;
    private ZMQ.Socket iopub;
    private ZMQ.Socket hb;
    private WireCodec codec;
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @BeforeEach
    void start() throws Exception {
        ConnectionInfo info = new ConnectionInfo("tcp", "127.0.0.1", freePort(), freePort(), freePort(), freePort(),
                freePort(), "hmac-sha256", "test-key");
        codec = new WireCodec(new JupyterSigner("hmac-sha256", "test-key"));
        server = new JupyterServer(info, new PrintStream(logBytes, true, StandardCharsets.UTF_8));
        server.on("kernel_info_request", r -> {
            JsonObject c = new JsonObject();
            c.addProperty("protocol_version", "5.3");
            return c;
        });
        server.on("echo_request", r -> {
            JsonObject c = new JsonObject();
            c.addProperty("text", r.message().contentString("text", ""));
            r.publish("stream", c);
            return c;
        });
        server.start();
        ctx = ZMQ.context(1);
        shell = connect(SocketType.DEALER, info.address(info.shellPort()));
        control = connect(SocketType.DEALER, info.address(info.controlPort()));
        iopub = connect(SocketType.SUB, info.address(info.iopubPort()));
        iopub.subscribe(new byte[0]);
        hb = connect(SocketType.REQ, info.address(info.hbPort()));
        awaitIopubSubscription();
    }

    /**
     * A SUB socket gets nothing until its subscription has reached the PUB side (ZeroMQ's slow joiner).
     * Every request makes the server publish its status, so ask until something arrives on iopub; the
     * tests tell their own messages apart by the parent header.
     */
    private void awaitIopubSubscription() throws Exception {
        iopub.setReceiveTimeOut(50);
        long deadline = System.nanoTime() + 10_000_000_000L;
        try {
            while (true) {
                send(shell, codec, "kernel_info_request", new JsonObject());
                assertEquals("kernel_info_reply", receive(shell).msgType());
                if (receive(iopub) != null) {
                    return;
                }
                assertTrue(System.nanoTime() < deadline, "iopub received nothing within 10 s");
            }
        } finally {
            iopub.setReceiveTimeOut(5000);
        }
    }

    private ZMQ.Socket connect(SocketType type, String address) {
        ZMQ.Socket s = ctx.socket(type);
        s.setLinger(0);
        s.setReceiveTimeOut(5000);
        s.connect(address);
        return s;
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        assertTrue(server.awaitTermination(5, TimeUnit.SECONDS));
        for (ZMQ.Socket s : List.of(shell, control, iopub, hb)) {
            s.close();
        }
        ctx.term();
    }

    /** Sends a request; returns its message id. */
    private String send(ZMQ.Socket s, WireCodec c, String type, JsonObject content) {
        JsonObject header = JupyterMessage.newHeader(type, "client", "test");
        List<byte[]> frames = c.encode(new JupyterMessage(List.of(), header, null, null, content, null));
        for (int i = 0; i < frames.size(); i++) {
            s.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
        }
        return header.get("msg_id").getAsString();
    }

    private JupyterMessage receive(ZMQ.Socket s) throws Exception {
        List<byte[]> frames = new ArrayList<>();
        byte[] f = s.recv(0);
        if (f == null) {
            return null;
        }
        frames.add(f);
        while (s.hasReceiveMore()) {
            frames.add(s.recv(0));
        }
        return codec.decode(frames);
    }

    @Test
    void requestGetsReplyBetweenBusyAndIdle() throws Exception {
        JsonObject c = new JsonObject();
        c.addProperty("text", "hi");
        String id = send(shell, codec, "echo_request", c);
        JupyterMessage reply = receive(shell);
        assertEquals("echo_reply", reply.msgType());
        assertEquals("ok", reply.contentString("status", ""));
        assertEquals("hi", reply.contentString("text", ""));
        List<String> seen = new ArrayList<>();
        JupyterMessage m;
        while ((m = receive(iopub)) != null) {
            if (!m.parentHeader().has("msg_id") || !m.parentHeader().get("msg_id").getAsString().equals(id)) {
                continue; // published for a request of the subscription probe
            }
            seen.add(m.msgType() + (m.msgType().equals("status") ? ":" + m.contentString("execution_state", "") : ""));
            assertTrue(m.header().get("date").getAsString().matches(".*\\.\\d{6}Z"));
            if (seen.get(seen.size() - 1).equals("status:idle")) {
                break;
            }
        }
        int busy = seen.indexOf("status:busy");
        assertTrue(busy >= 0 && seen.indexOf("stream") > busy && seen.indexOf("status:idle") > seen.indexOf("stream"),
                seen.toString());
    }

    @Test
    void badlySignedRequestIsDroppedAndServerStaysUp() throws Exception {
        send(shell, new WireCodec(new JupyterSigner("hmac-sha256", "not-the-key")), "kernel_info_request", new JsonObject());
        shell.setReceiveTimeOut(500);
        assertNull(receive(shell), "no reply to a forged message");
        assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("invalid signature"));
        shell.setReceiveTimeOut(5000);
        send(shell, codec, "kernel_info_request", new JsonObject());
        JupyterMessage reply = receive(shell);
        assertEquals("kernel_info_reply", reply.msgType());
        assertEquals("5.3", reply.contentString("protocol_version", ""));
    }

    @Test
    void controlAndHeartbeatAnswer() throws Exception {
        send(control, codec, "kernel_info_request", new JsonObject());
        assertEquals("kernel_info_reply", receive(control).msgType());
        hb.send("ping");
        assertEquals("ping", hb.recvStr());
    }

    @Test
    void unknownRequestGetsErrorReplyAndCommInfoWorks() throws Exception {
        send(shell, codec, "frobnicate_request", new JsonObject());
        JupyterMessage reply = receive(shell);
        assertEquals("frobnicate_reply", reply.msgType());
        assertEquals("error", reply.contentString("status", ""));
        send(shell, codec, "comm_info_request", new JsonObject());
        JupyterMessage info = receive(shell);
        assertEquals("comm_info_reply", info.msgType());
        assertTrue(info.content().getAsJsonObject("comms").entrySet().isEmpty());
    }
}
