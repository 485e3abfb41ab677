package jpool.jupyter;

import com.google.gson.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Comms: targets the kernel accepts, and the comms that are open. A comm_open for an unknown target is
 * answered with a comm_close, so the frontend does not wait for it.
 *
 * <p>The messages of a comm are handled one at a time, in order. Those of an ordinary target wait in the
 * shell queue like every request, behind a running cell; those of a target registered with
 * {@link #registerTargetOutsideShell} are handled on the server's comm thread as soon as they arrive, also
 * while a cell runs (the kernel then sends no busy/idle status for them, since it stays busy with the cell).
 */
public final class CommManager {

    /** Called when a frontend opens a comm for a registered target. */
    @FunctionalInterface
    public interface Target {
        /** The comm has been opened; register a message handler with {@link Comm#onMessage}. */
        void opened(Comm comm, JsonObject data);
    }

    /** Receives comm messages. */
    @FunctionalInterface
    public interface MessageHandler {
        void received(Comm comm, JsonObject data);
    }

    /** One open comm. */
    public final class Comm {
        private final String id;
        private final String target;
        private volatile MessageHandler onMessage;
        private volatile Runnable onClose;

        Comm(String id, String target) {
            this.id = id;
            this.target = target;
        }

        public String id() {
            return id;
        }

        public String target() {
            return target;
        }

        public void onMessage(MessageHandler handler) {
            this.onMessage = handler;
        }

        public void onClose(Runnable handler) {
            this.onClose = handler;
        }

        /** Sends comm_msg to the frontend. */
        public void send(JsonObject data) {
            JsonObject c = new JsonObject();
            c.addProperty("comm_id", id);
            c.add("data", data == null ? new JsonObject() : data);
            server.publish("comm_msg", c);
        }

        /** Closes the comm from the kernel side. */
        public void close(JsonObject data) {
            outsideShell.remove(id);
            if (comms.remove(id) != null) {
                JsonObject c = new JsonObject();
                c.addProperty("comm_id", id);
                c.add("data", data == null ? new JsonObject() : data);
                server.publish("comm_close", c);
            }
        }
    }

    private final JupyterServer server;
    private final Map<String, Target> targets = new ConcurrentHashMap<>();
    private final Map<String, Comm> comms = new ConcurrentHashMap<>();
    private final Set<String> targetsOutsideShell = ConcurrentHashMap.newKeySet();
    /** Ids of comms whose messages are served outside the shell queue, entered when their comm_open arrives. */
    private final Set<String> outsideShell = ConcurrentHashMap.newKeySet();

    CommManager(JupyterServer server) {
        this.server = server;
        server.on("comm_info_request", this::info);
        server.on("comm_open", r -> {
            opened(r);
            return null;
        });
        server.on("comm_msg", r -> {
            Comm c = comms.get(r.message().contentString("comm_id", ""));
            if (c != null && c.onMessage != null) {
                c.onMessage.received(c, data(r.content()));
            }
            return null;
        });
        server.on("comm_close", r -> {
            outsideShell.remove(r.message().contentString("comm_id", ""));
            Comm c = comms.remove(r.message().contentString("comm_id", ""));
            if (c != null && c.onClose != null) {
                c.onClose.run();
            }
            return null;
        });
    }

    /** Registers a target that frontends may open comms to. */
    public void registerTarget(String name, Target target) {
        targets.put(name, target);
    }

    /**
     * Registers a target whose comms are served outside the shell queue, on the server's comm thread, also
     * while a cell runs: for controls that act on running work, such as the Stop button of a result's display.
     * The target's handlers must be quick and thread-safe, and must not wait for the running cell.
     */
    public void registerTargetOutsideShell(String name, Target target) {
        targetsOutsideShell.add(name);
        targets.put(name, target);
    }

    /**
     * Whether a shell message is a comm message to be served outside the shell queue (called by the server's
     * poller as messages arrive, so that a comm_open decides for the messages of its comm that follow it).
     */
    boolean servedOutsideShell(JupyterMessage m) {
        String id = m.contentString("comm_id", "");
        switch (m.msgType()) {
            case "comm_open":
                if (targetsOutsideShell.contains(m.contentString("target_name", ""))) {
                    outsideShell.add(id);
                    return true;
                }
                return false;
            case "comm_msg":
            case "comm_close":
                return outsideShell.contains(id);
            default:
                return false;
        }
    }

    /** Opens a comm from the kernel side. */
    public Comm open(String target, JsonObject data) {
        Comm c = new Comm(UUID.randomUUID().toString(), target);
        comms.put(c.id, c);
        JsonObject content = new JsonObject();
        content.addProperty("comm_id", c.id);
        content.addProperty("target_name", target);
        content.add("data", data == null ? new JsonObject() : data);
        server.publish("comm_open", content);
        return c;
    }

    private void opened(Request r) {
        String id = r.message().contentString("comm_id", "");
        String targetName = r.message().contentString("target_name", "");
        Target target = targets.get(targetName);
        if (target == null) {
            JsonObject c = new JsonObject();
            c.addProperty("comm_id", id);
            JsonObject data = new JsonObject();
            data.addProperty("error", "no comm target named '" + targetName + "' in this kernel");
            c.add("data", data);
            r.publish("comm_close", c);
            return;
        }
        Comm comm = new Comm(id, targetName);
        comms.put(id, comm);
        target.opened(comm, data(r.content()));
    }

    private JsonObject info(Request r) {
        String filter = r.message().contentString("target_name", null);
        JsonObject all = new JsonObject();
        for (Comm c : comms.values()) {
            if (filter == null || filter.equals(c.target)) {
                JsonObject o = new JsonObject();
                o.addProperty("target_name", c.target);
                all.add(c.id, o);
            }
        }
        JsonObject reply = new JsonObject();
        reply.add("comms", all);
        reply.addProperty("status", "ok");
        return reply;
    }

    private static JsonObject data(JsonObject content) {
        return content.has("data") && content.get("data").isJsonObject() ? content.getAsJsonObject("data") : new JsonObject();
    }
}
