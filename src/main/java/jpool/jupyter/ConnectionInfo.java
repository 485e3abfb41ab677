package jpool.jupyter;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The contents of a Jupyter connection file: where the five sockets live and how messages are signed.
 *
 * @param transport {@code tcp} or {@code ipc}
 * @param ip the address to bind
 * @param shellPort shell ROUTER port
 * @param controlPort control ROUTER port
 * @param iopubPort iopub PUB port
 * @param stdinPort stdin ROUTER port
 * @param hbPort heartbeat REP port
 * @param signatureScheme e.g. {@code hmac-sha256}
 * @param key the signing key; empty disables signing
 */
public record ConnectionInfo(String transport, String ip, int shellPort, int controlPort, int iopubPort,
                             int stdinPort, int hbPort, String signatureScheme, String key) {

    /** Reads a connection file written by jupyter_client. */
    public static ConnectionInfo read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Parses the JSON text of a connection file. */
    public static ConnectionInfo parse(String json) {
        JsonObject o = JsonParser.parseString(json).getAsJsonObject();
        return new ConnectionInfo(
                o.has("transport") ? o.get("transport").getAsString() : "tcp",
                o.has("ip") ? o.get("ip").getAsString() : "127.0.0.1",
                o.get("shell_port").getAsInt(),
                o.get("control_port").getAsInt(),
                o.get("iopub_port").getAsInt(),
                o.get("stdin_port").getAsInt(),
                o.get("hb_port").getAsInt(),
                o.has("signature_scheme") ? o.get("signature_scheme").getAsString() : "hmac-sha256",
                o.has("key") ? o.get("key").getAsString() : "");
    }

    /** The ZeroMQ address of a port, e.g. {@code tcp://127.0.0.1:5555} ({@code ipc://ip-5555} for ipc). */
    public String address(int port) {
        if ("ipc".equals(transport)) {
            return "ipc://" + ip + "-" + port;
        }
        return transport + "://" + ip + ":" + port;
    }
}
