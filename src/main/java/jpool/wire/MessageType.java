package jpool.wire;

import java.util.HashMap;
import java.util.Map;

/**
 * Every message type of the jpool wire protocol, with the side that sends it. A type arriving at
 * the side that should have sent it is as malformed as an unknown one (docs/PROTOCOL.md).
 */
public enum MessageType {
    /** Worker: here I am (repeated until welcomed). */
    HELLO("hello", Sender.WORKER),
    /** Controller: your settings, and the pool initializer. */
    WELCOME("welcome", Sender.CONTROLLER),
    /** Worker: initializer done, ready for tasks. */
    READY("ready", Sender.WORKER),
    /** Worker: the initializer threw. */
    INIT_FAILED("init_failed", Sender.WORKER),
    /** Controller: units to run. */
    TASK("task", Sender.CONTROLLER),
    /** Worker: unit results and captured output. */
    RESULT("result", Sender.WORKER),
    /** Worker: a unit has been running for a moment. */
    STARTED("started", Sender.WORKER),
    /** Both: still alive (the worker's says what it runs). */
    HEARTBEAT("hb", Sender.BOTH),
    /** Worker: a unit exceeded the task timeout; the worker exits. */
    TIMEOUT("timeout", Sender.WORKER),
    /** Worker: the JVM is exiting (a task called System.exit). */
    EXITING("exiting", Sender.WORKER),
    /** Worker: done its maxTasksPerChild; retiring. */
    BYE("bye", Sender.WORKER),
    /** Controller: cancel these units. */
    CANCEL("cancel", Sender.CONTROLLER),
    /** Controller: give these queued units back. */
    STEAL("steal", Sender.CONTROLLER),
    /** Controller: flush and exit. */
    SHUTDOWN("shutdown", Sender.CONTROLLER),
    /** Both: a request to, or a reply from, a named service of the controller (queues, pipes, managers). */
    SERVICE("svc", Sender.BOTH);

    /** Which side of the protocol sends a type. */
    public enum Sender {
        CONTROLLER, WORKER, BOTH
    }

    private static final Map<String, MessageType> BY_NAME = new HashMap<>();

    static {
        for (MessageType t : values()) {
            BY_NAME.put(t.wireName, t);
        }
    }

    private final String wireName;
    private final Sender sender;

    MessageType(String wireName, Sender sender) {
        this.wireName = wireName;
        this.sender = sender;
    }

    /** The {@code type} field of the header. */
    public String wireName() {
        return wireName;
    }

    /** Whether the controller may send this type. */
    public boolean sentByController() {
        return sender != Sender.WORKER;
    }

    /** Whether a worker may send this type. */
    public boolean sentByWorker() {
        return sender != Sender.CONTROLLER;
    }

    /** The type named {@code wireName}, or null for a name the protocol does not have. */
    public static MessageType of(String wireName) {
        return BY_NAME.get(wireName);
    }
}
