package jpool;

import java.util.concurrent.TimeoutException;
import jpool.cluster.UnitFailure;
import jpool.wire.Limits;
import jpool.wire.PayloadCodec;
import jpool.wire.RemoteFailure;

/** Turns transported failures into the exceptions the API documents. */
final class Failures {

    private Failures() {
    }

    /** The exception thrown by a task, re-created from its transport form. */
    static Throwable recreate(RemoteFailure f, ClassLoader loader) {
        if (f.original() != null) {
            try {
                Object o = PayloadCodec.deserialize(f.original(), loader, Limits.DEFAULT);
                if (o instanceof Throwable t) {
                    return t;
                }
            } catch (Exception | LinkageError e) {
                // fall back to the carrier
            }
        }
        RemoteTaskException carrier = new RemoteTaskException(f.className(), f.message());
        carrier.setStackTrace(f.stackTrace());
        if (f.cause() != null) {
            carrier.initCause(recreate(f.cause(), loader));
        }
        return carrier;
    }

    static TaskFailedException taskFailed(RemoteFailure f, ClassLoader loader, String workerId) {
        Throwable cause = recreate(f, loader);
        return new TaskFailedException("task failed on worker " + workerId + ": " + cause, cause, workerId);
    }

    static TaskFailedException taskFailed(Throwable cause, String workerId) {
        return new TaskFailedException("task failed on " + workerId + ": " + cause, cause, workerId);
    }

    static ExecutionFailure fromUnitFailure(UnitFailure f, ClassLoader loader) {
        switch (f.kind()) {
            case WORKER_LOST:
            case START_FAILED: {
                StringBuilder msg = new StringBuilder(f.message());
                if (!f.stderrTail().isEmpty()) {
                    msg.append("; last stderr lines:");
                    for (String line : f.stderrTail()) {
                        msg.append("\n  ").append(line);
                    }
                }
                return new ExecutionFailure(new WorkerLostException(msg.toString(), f.workerId(), f.exitCode(),
                        f.stderrTail()), false);
            }
            case TIMEOUT:
                return new ExecutionFailure(new TaskFailedException(f.message(), new TimeoutException(f.message()),
                        f.workerId()), false);
            case INIT_FAILED: {
                Throwable cause = null;
                if (f.remote() != null) {
                    try {
                        Object o = PayloadCodec.deserialize(f.remote(), Failures.class.getClassLoader(),
                                Limits.DEFAULT);
                        if (o instanceof RemoteFailure rf) {
                            cause = recreate(rf, loader);
                        }
                    } catch (Exception e) {
                        cause = e;
                    }
                }
                return new ExecutionFailure(new TaskFailedException(f.message(), cause, f.workerId()), false);
            }
            case TERMINATED:
            default:
                return new ExecutionFailure(null, true);
        }
    }

    /** A failure for the result: an exception, or cancellation. */
    record ExecutionFailure(TaskFailedException exception, boolean cancelled) {
    }
}
