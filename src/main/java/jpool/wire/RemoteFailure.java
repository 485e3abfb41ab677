package jpool.wire;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The transport form of an exception thrown by a task: class name, message, stack trace and cause
 * chain as plain data (always readable on the other side), plus the original exception serialized
 * when that was possible (so that it can be re-created as the same class).
 */
public final class RemoteFailure implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String className;
    private final String message;
    private final StackTraceElement[] stackTrace;
    private final RemoteFailure cause;
    private final byte[] original;

    /** Creates a carrier from its parts. */
    public RemoteFailure(String className, String message, StackTraceElement[] stackTrace, RemoteFailure cause,
            byte[] original) {
        this.className = className;
        this.message = message;
        this.stackTrace = stackTrace == null ? new StackTraceElement[0] : stackTrace;
        this.cause = cause;
        this.original = original;
    }

    /** Captures a throwable; the original is serialized when it can be. */
    public static RemoteFailure of(Throwable t) {
        return of(t, true, new ArrayList<>());
    }

    private static RemoteFailure of(Throwable t, boolean withOriginal, List<Throwable> seen) {
        seen.add(t);
        RemoteFailure cause = null;
        Throwable c = t.getCause();
        if (c != null && !seen.contains(c) && seen.size() < 32) {
            cause = of(c, false, seen);
        }
        byte[] original = null;
        if (withOriginal) {
            try {
                original = serializeWithMessages(t);
            } catch (IOException | RuntimeException e) {
                original = null;
            }
        }
        return new RemoteFailure(t.getClass().getName(), t.getMessage(), t.getStackTrace(), cause, original);
    }

    /**
     * Serializes a throwable so that every NullPointerException in it keeps the message this JVM computed
     * ("Cannot invoke ... because ... is null"): that message is made from the JVM's own backtrace on first
     * use and is not part of the serialized form, so a plain copy arrives without one.
     */
    static byte[] serializeWithMessages(Throwable t) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(512);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes) {
            {
                enableReplaceObject(true);
            }

            @Override
            protected Object replaceObject(Object obj) {
                if (obj != null && obj.getClass() == NullPointerException.class) {
                    NullPointerException npe = (NullPointerException) obj;
                    String message = npe.getMessage();
                    if (message != null) {
                        NullPointerException frozen = new NullPointerException(message);
                        frozen.setStackTrace(npe.getStackTrace());
                        if (npe.getCause() != null) {
                            frozen.initCause(npe.getCause());
                        }
                        for (Throwable s : npe.getSuppressed()) {
                            frozen.addSuppressed(s);
                        }
                        return frozen;
                    }
                }
                return obj;
            }
        }) {
            out.writeObject(t);
        }
        return bytes.toByteArray();
    }

    /** The binary name of the remote exception class. */
    public String className() {
        return className;
    }

    /** The remote exception's message (may be null). */
    public String message() {
        return message;
    }

    /** The remote stack trace. */
    public StackTraceElement[] stackTrace() {
        return stackTrace.clone();
    }

    /** The carrier of the remote cause, or null. */
    public RemoteFailure cause() {
        return cause;
    }

    /** The serialized original exception, or null when it could not be serialized. */
    public byte[] original() {
        return original;
    }

    @Override
    public String toString() {
        return message == null ? className : className + ": " + message;
    }
}
