package jpool.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jpool.wire.MalformedMessageException;
import jpool.wire.Message;
import jpool.wire.OutputPiece;
import jpool.wire.PayloadCodec;
import jpool.wire.Protocol;
import jpool.wire.Timeouts;
import jpool.wire.UnitResult;
import jpool.wire.WireStats;

/**
 * Acts on the messages workers send: lifecycle messages go to the {@link WorkerSupervisor}, unit events to
 * the {@link Scheduler} and the {@link JobTable}.
 *
 * <p>Two kinds of failure are kept apart. A message from an unknown sender, one that does not decode
 * ({@link Protocol#decode}), or one of a type only the controller sends, is dropped and counted as
 * malformed. A failure while acting on a
 * well-formed message is a bug of ours: it is reported on standard error with the message type and the
 * worker, is not counted as a bad message, and does not stop the I/O loop. (A listener's exception is
 * reported by the job table and does not even interrupt the message.)
 *
 * <p>Confined to the controller's I/O thread.
 */
final class WorkerProtocol {

    /** What acting on a message may need from the rest of the controller. */
    interface Effects {
        /** Publish a worker snapshot. */
        void publish();

        /** Units were resolved: a shutdown may be able to finish. */
        void unitsResolved();

        /** The pool cannot run tasks any more. */
        void broken(UnitFailure failure);
    }

    private final ClusterConfig config;
    private final WireStats wireStats;
    private final JobTable jobs;
    private final Scheduler scheduler;
    private final WorkerSupervisor supervisor;
    private final ControllerStatus status;
    private final Effects effects;
    private final ServiceDirectory services;

    WorkerProtocol(ClusterConfig config, WireStats wireStats, JobTable jobs, Scheduler scheduler,
            WorkerSupervisor supervisor, ControllerStatus status, ServiceDirectory services, Effects effects) {
        this.services = services;
        this.config = config;
        this.wireStats = wireStats;
        this.jobs = jobs;
        this.scheduler = scheduler;
        this.supervisor = supervisor;
        this.status = status;
        this.effects = effects;
    }

    /** Acts on a signed message from the worker with this routing identity. */
    void handle(byte[] identity, Message m) {
        WorkerRecord w = supervisor.byRoutingId(new String(identity, StandardCharsets.UTF_8));
        if (w == null) {
            wireStats.countMalformed(); // not one of ours, or one that has exited
            return;
        }
        w.lastHeard = System.nanoTime();
        Protocol.Msg in;
        try {
            in = Protocol.decode(m);
        } catch (MalformedMessageException e) {
            wireStats.countMalformed();
            return;
        }
        if (!in.type().sentByWorker()) {
            wireStats.countMalformed();
            return;
        }
        try {
            act(w, in);
        } catch (RuntimeException e) {
            System.err.println("jpool controller: internal error while handling a " + m.type() + " message from "
                    + w.id + "; the controller carries on: " + e);
            e.printStackTrace();
        }
    }

    private void act(WorkerRecord w, Protocol.Msg in) {
        switch (in.type()) {
            case RESULT -> results(w, (Protocol.Results) in);
            case HEARTBEAT -> {
                Protocol.Heartbeat hb = (Protocol.Heartbeat) in;
                supervisor.heartbeat(w, hb.runningUnit(), hb.runningForMs(), hb.heapUsed(), hb.heapMax());
            }
            case STARTED -> {
                Protocol.Started st = (Protocol.Started) in;
                UnitRecord u = scheduler.held(w.id, st.unitId());
                if (u != null) {
                    jobs.started(u, w.id, st.startedMicros());
                    supervisor.started(w, st.unitId());
                }
            }
            case HELLO -> supervisor.hello(w, ((Protocol.Hello) in).host());
            case READY -> supervisor.ready(w);
            case TIMEOUT -> {
                UnitRecord u = scheduler.take(w.id, ((Protocol.Timeout) in).unitId());
                if (u != null) {
                    timedOut(w, u);
                }
                supervisor.stop(w, "task timeout", Timeouts.EXITING_GRACE.toMillis());
            }
            case INIT_FAILED -> {
                byte[] remote = ((Protocol.InitFailed) in).failure();
                String text = "the pool initializer failed on worker " + w.id;
                try {
                    text += ": " + PayloadCodec.deserialize(remote, getClass().getClassLoader(), config.limits());
                } catch (Exception e) {
                    // keep the short text
                }
                effects.broken(new UnitFailure(UnitFailure.Kind.INIT_FAILED, w.id, -1, List.of(), text, remote));
            }
            case EXITING -> supervisor.stop(w, "the task called System.exit or the worker JVM is exiting",
                    Timeouts.EXITING_GRACE.toMillis());
            case BYE -> supervisor.bye(w);
            case SERVICE -> services.call(w.id, (Protocol.ServiceCall) in);
            default -> wireStats.countMalformed(); // a controller-only type (excluded above)
        }
    }

    private void results(WorkerRecord w, Protocol.Results m) {
        for (OutputPiece p : m.output()) {
            UnitRecord u = jobs.unit(p.unitId());
            if (u != null) {
                jobs.output(u, w.id, p.stream(), p.bytes());
            } else {
                (p.stream() == OutputPiece.STDERR ? System.err : System.out)
                        .print(prefix(w.id, new String(p.bytes(), StandardCharsets.UTF_8)));
            }
        }
        List<UnitRecord> finishedUnits = new ArrayList<>(m.results().size());
        List<UnitResult> finishedResults = new ArrayList<>(m.results().size());
        for (UnitResult r : m.results()) {
            UnitRecord u = scheduler.take(w.id, r.unitId());
            if (u == null) {
                continue; // e.g. finished after a timeout was reported
            }
            if (UnitResult.RETURNED.equals(r.kind())) {
                scheduler.givenBack(w.id);
                if (u.job.cancelled) {
                    jobs.resolve(u);
                } else {
                    scheduler.requeueFirst(List.of(u));
                }
                continue;
            }
            scheduler.ran(w.id, r);
            if (r.errorIndices() != null && r.errorIndices().length > 0) {
                w.unitsFailed++;
            }
            finishedUnits.add(u);
            finishedResults.add(r);
        }
        // Publish the workers' new counts before any result is delivered: whoever has seen a result
        // complete then reads a snapshot that includes it.
        effects.publish();
        for (int i = 0; i < finishedUnits.size(); i++) {
            UnitRecord u = finishedUnits.get(i);
            UnitResult r = finishedResults.get(i);
            if (UnitResult.CANCELLED.equals(r.kind()) || u.job.cancelled) {
                jobs.resolve(u);
            } else {
                status.unitCompleted();
                jobs.complete(u, w.id, r);
            }
        }
        effects.unitsResolved();
    }

    private static String prefix(String wid, String text) {
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("(?<=\n)")) {
            sb.append('[').append(wid).append("] ").append(line);
        }
        return sb.toString();
    }

    /** Fails a unit its worker ran past the task timeout (the worker is being stopped). */
    void timedOut(WorkerRecord w, UnitRecord u) {
        jobs.fail(u, new UnitFailure(UnitFailure.Kind.TIMEOUT, w.id, -1, List.of(),
                "the task ran longer than the timeout of " + config.taskTimeoutMs() + " ms; worker " + w.id
                        + " was killed and is replaced", null));
    }
}
