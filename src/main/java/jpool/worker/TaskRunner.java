package jpool.worker;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import jpool.wire.Invocable;
import jpool.wire.Limits;
import jpool.wire.OutputPiece;
import jpool.wire.RemoteFailure;
import jpool.wire.RunningTask;
import jpool.wire.StartRecord;
import jpool.wire.TaskCodec;
import jpool.wire.UnitResult;
import jpool.wire.UnitWire;

/**
 * The worker's task thread: runs units one at a time in arrival order, with their output captured,
 * and hands outcomes to the I/O thread through {@link Outbox}.
 *
 * <p>All decoding of task payloads goes through {@link TaskCodec} with the class loader chosen by
 * {@link TaskClassLoaders}. A job's function is decoded once per job on this worker and reused for the
 * job's later units (as multiprocessing reuses a function within a chunk).
 */
final class TaskRunner implements Runnable {

    /** Where the task thread puts outcomes and output; implemented by the I/O side. */
    interface Outbox {
        void put(List<OutputPiece> output, UnitResult result);

        void initDone(List<OutputPiece> output, RemoteFailure failure);

        void retire();
    }


    private final Outbox outbox;
    private final TaskClassLoaders loaders;
    private final Limits limits;
    private final OutputCapture capture;
    private final LinkedBlockingDeque<Object> queue = new LinkedBlockingDeque<>();
    private final Map<Long, byte[]> functionBytes = new ConcurrentHashMap<>();
    private final Map<Long, Invocable> functions = new ConcurrentHashMap<>();
    private final Set<Long> cancelRequested = ConcurrentHashMap.newKeySet();
    private final Object runLock = new Object();
    private volatile long currentUnit;
    private volatile long currentStartNanos;
    private volatile long currentStartMicros;
    /** Units handed over by {@link #add} and not removed again by {@link #cancel} or {@link #takeBack}. */
    private long handed; // I/O thread only
    /** Units the task thread has finished with (run, or dropped as cancelled); written by it only. */
    private volatile long settled;
    private volatile Thread thread;
    private final int maxTasks;
    private final StartRecord startRecord;
    private final String workerId;
    private final int workerIndex;
    private int done;

    /**
     * @param workerId this worker's id, and {@code workerIndex} its place in the pool, for {@link RunningTask}
     */
    TaskRunner(Outbox outbox, TaskClassLoaders loaders, Limits limits, OutputCapture capture, int maxTasks,
            StartRecord startRecord, String workerId, int workerIndex) {
        this.outbox = outbox;
        this.workerId = workerId;
        this.workerIndex = workerIndex;
        this.startRecord = startRecord;
        this.loaders = loaders;
        this.limits = limits;
        this.capture = capture;
        this.maxTasks = maxTasks;
    }

    /**
     * Starts the task thread.
     *
     * @param initializer the serialized initializer, or null
     * @param code the code frames that came with it (see {@link TaskClassLoaders#forInitializer})
     */
    void start(byte[] initializer, List<byte[]> code) {
        if (initializer != null) {
            queue.add(new Init(initializer, List.copyOf(code)));
        } else {
            outbox.initDone(List.of(), null);
        }
        Thread t = new Thread(this, "jpool-task");
        thread = t;
        t.start();
    }

    private record Init(byte[] function, List<byte[]> code) {
    }

    /** Queues units (called by the I/O thread). */
    void add(List<UnitWire> units) {
        for (UnitWire u : units) {
            if (u.function() != null) {
                functionBytes.putIfAbsent(u.jobId(), u.function());
            }
            loaders.received(u);
            handed++;
            queue.add(u);
        }
    }

    /** Forgets a finished job's function. */
    void dropJob(long jobId) {
        functionBytes.remove(jobId);
        functions.remove(jobId);
        loaders.jobDropped(jobId);
    }

    /**
     * Cancels a unit: removed from the queue if still there (returns true: report it cancelled),
     * otherwise the task thread is interrupted if it runs that unit.
     */
    boolean cancel(long unitId) {
        boolean removed = queue.removeIf(o -> o instanceof UnitWire u && u.unitId() == unitId);
        if (removed) {
            handed--;
            return true;
        }
        cancelRequested.add(unitId);
        synchronized (runLock) {
            if (currentUnit == unitId && thread != null) {
                thread.interrupt();
            }
        }
        return false;
    }

    /** Removes a unit that has not started from the queue; true if it was there. */
    boolean takeBack(long unitId) {
        boolean removed = queue.removeIf(o -> o instanceof UnitWire u && u.unitId() == unitId);
        if (removed) {
            handed--;
        }
        return removed;
    }

    /**
     * Whether the task thread holds a unit it has not finished: running, waiting in the queue, or just
     * taken from it and about to start (called by the I/O thread, which alone hands units over).
     */
    boolean holdsUnits() {
        return handed - settled > 0;
    }

    /** Whether exactly one unit is queued or running. */
    boolean soleUnit() {
        int queued = queue.size();
        return currentUnit != 0 ? queued == 0 : queued == 1;
    }

    /** The unit running now, 0 if none. */
    long currentUnit() {
        return currentUnit;
    }

    /** When the current unit started ({@link System#nanoTime()}). */
    long currentStartNanos() {
        return currentStartNanos;
    }

    /** When the current unit started, in microseconds since the epoch (as in its result). */
    long currentStartMicros() {
        return currentStartMicros;
    }

    @Override
    public void run() {
        try {
            while (true) {
                Object item = queue.take();
                if (item instanceof Init init) {
                    runInitializer(init);
                    continue;
                }
                UnitWire unit = (UnitWire) item;
                if (cancelRequested.remove(unit.unitId())) {
                    settled++;
                    long now = micros();
                    outbox.put(List.of(), new UnitResult(unit.unitId(), UnitResult.CANCELLED, 0, now, new int[0],
                            new byte[0]));
                    continue;
                }
                runUnit(unit);
                if (maxTasks > 0 && ++done >= maxTasks) {
                    outbox.retire();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runInitializer(Init item) {
        RemoteFailure failure = null;
        Thread self = Thread.currentThread();
        ClassLoader previous = self.getContextClassLoader();
        try {
            ClassLoader loader = loaders.forInitializer(item.code());
            self.setContextClassLoader(loader);
            Invocable init = TaskCodec.decodeFunction(item.function(), loader, limits);
            RunningTask before = RunningTask.enter(new RunningTask(workerId, workerIndex, 0, 1));
            try {
                init.invoke(null);
            } finally {
                RunningTask.leave(before);
            }
        } catch (Throwable t) {
            failure = RemoteFailure.of(t);
        } finally {
            self.setContextClassLoader(previous);
        }
        Thread.interrupted();
        outbox.initDone(capture.drain(true), failure);
    }

    private void runUnit(UnitWire unit) {
        if (startRecord != null) {
            startRecord.started(unit.unitId());
        }
        List<OutputPiece> before = capture.switchTo(unit.unitId());
        long started = micros();
        synchronized (runLock) {
            currentStartNanos = System.nanoTime();
            currentStartMicros = started; // written before currentUnit: see WorkerMain.noticeStart
            currentUnit = unit.unitId();
        }
        Object[] values = new Object[unit.count()];
        boolean cancelled = false;
        Thread self = Thread.currentThread();
        ClassLoader previous = self.getContextClassLoader();
        try {
            ClassLoader loader = loaders.forUnit(unit);
            self.setContextClassLoader(loader);
            Invocable fn = function(unit, loader);
            Object[] args = TaskCodec.decodeArray(unit.arguments(), loader, limits);
            if (args.length != unit.count()) {
                throw new IllegalStateException("unit carries " + args.length + " arguments, expected " + unit.count());
            }
            RunningTask outer = RunningTask.enter(new RunningTask(workerId, workerIndex, unit.jobId(), unit.attempt()));
            try {
                for (int i = 0; i < values.length; i++) {
                    if (cancelRequested.contains(unit.unitId())) {
                        cancelled = true; // the rest of a cancelled chunk does not run
                        break;
                    }
                    try {
                        values[i] = fn.invoke(args[i]);
                    } catch (Throwable t) {
                        values[i] = RemoteFailure.of(t);
                    }
                }
            } finally {
                RunningTask.leave(outer);
            }
        } catch (Throwable t) {
            RemoteFailure f = RemoteFailure.of(t);
            java.util.Arrays.fill(values, f);
        } finally {
            self.setContextClassLoader(previous);
        }
        synchronized (runLock) {
            currentUnit = 0;
            settled++;
            Thread.interrupted();
        }
        cancelRequested.remove(unit.unitId());
        long finished = micros();
        TaskCodec.EncodedValues encoded = cancelled ? null : TaskCodec.encodeValues(values);
        List<OutputPiece> output = capture.switchTo(0);
        if (!before.isEmpty()) {
            java.util.ArrayList<OutputPiece> all = new java.util.ArrayList<>(before);
            all.addAll(output);
            output = all;
        }
        outbox.put(output, cancelled
                ? new UnitResult(unit.unitId(), UnitResult.CANCELLED, started, finished, new int[0], new byte[0])
                : new UnitResult(unit.unitId(), encoded.kind(), started, finished, encoded.errorIndices(),
                        encoded.bytes()));
    }

    private Invocable function(UnitWire unit, ClassLoader loader) throws Exception {
        Invocable fn = functions.get(unit.jobId());
        if (fn == null) {
            byte[] bytes = functionBytes.get(unit.jobId());
            if (bytes == null) {
                throw new IllegalStateException("worker has no function for job " + unit.jobId());
            }
            fn = TaskCodec.decodeFunction(bytes, loader, limits);
            functions.put(unit.jobId(), fn);
        }
        return fn;
    }

    static long micros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
