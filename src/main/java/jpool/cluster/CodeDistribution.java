package jpool.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jpool.wire.Message;
import jpool.wire.Protocol;
import jpool.wire.UnitWire;

/**
 * What code each worker has been sent, and the frames that carry code to it.
 *
 * <p>A worker is sent a job's function (and its {@link CodeAttachment} manifest) with the first unit of
 * that job it gets, and each content-addressed blob at most once in its life, however many jobs or its
 * initializer list it. When a job is finished, every worker that was sent its function is told, with its
 * next task message, that it may forget it.
 *
 * <p>Invariants: a worker's blob set only grows while it lives; a job id is in a worker's known set from
 * its first unit there until the job finishes (then it moves to the worker's pending drops) or the worker
 * is forgotten.
 *
 * <p>Confined to the controller's I/O thread (blob bytes are read there, through {@link
 * CodeAttachment#blobs()}).
 */
final class CodeDistribution {

    private static final class Holdings {
        final Set<String> blobs = new HashSet<>();
        final Set<Long> jobs = new HashSet<>();
        final List<Long> pendingDrops = new ArrayList<>();
    }

    private final Map<String, Holdings> workers = new HashMap<>();

    private Holdings of(String workerId) {
        return workers.computeIfAbsent(workerId, k -> new Holdings());
    }

    /**
     * The manifest, then (hash, bytes) for each blob the worker has not been sent yet; the blobs count as
     * sent from now on. Empty when {@code code} is null.
     */
    List<byte[]> frames(String workerId, CodeAttachment code) {
        if (code == null) {
            return List.of();
        }
        Holdings h = of(workerId);
        List<byte[]> frames = new ArrayList<>();
        frames.add(code.manifest());
        for (String hash : code.blobHashes()) {
            if (h.blobs.add(hash)) {
                frames.add(hash.getBytes(StandardCharsets.UTF_8));
                frames.add(code.blobs().apply(hash));
            }
        }
        return frames;
    }

    /**
     * The {@code task} message that sends these units to a worker: each job's function and code with the
     * first of its units the worker gets, and the finished jobs the worker may forget.
     */
    Message tasks(String workerId, List<UnitRecord> batch) {
        Holdings h = of(workerId);
        List<UnitWire> wires = new ArrayList<>(batch.size());
        for (UnitRecord u : batch) {
            byte[] fn = null;
            List<byte[]> extra = List.of();
            if (h.jobs.add(u.job.id)) {
                fn = u.job.function;
                extra = frames(workerId, u.job.code);
            }
            wires.add(new UnitWire(u.id, u.job.id, u.count, fn, u.arguments, extra, u.attempts + 1));
        }
        long[] drops = h.pendingDrops.stream().mapToLong(Long::longValue).toArray();
        h.pendingDrops.clear();
        return Protocol.encode(new Protocol.Tasks(wires, drops));
    }

    /** The job is finished: each worker that has its function may forget it. */
    void jobFinished(long jobId) {
        for (Holdings h : workers.values()) {
            if (h.jobs.remove(jobId)) {
                h.pendingDrops.add(jobId);
            }
        }
    }

    /** Forgets a worker that is gone. */
    void forget(String workerId) {
        workers.remove(workerId);
    }
}
