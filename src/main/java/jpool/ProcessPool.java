package jpool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import jpool.cluster.ClusterConfig;
import jpool.cluster.CodeAttachment;
import jpool.cluster.ControllerStats;
import jpool.cluster.Controller;
import jpool.cluster.JobListener;
import jpool.cluster.JobSubmission;
import jpool.cluster.Placement;
import jpool.cluster.UnitFailure;
import jpool.cluster.WorkerInfo;
import jpool.ship.Shipment;
import jpool.wire.Invocable;
import jpool.wire.PayloadCodec;
import jpool.wire.TaskCodec;
import jpool.wire.UnitResult;

/**
 * A pool of worker JVMs driven by a {@link Controller}.
 *
 * <p>Everything that crosses to a worker takes one path: the function is serialized with
 * {@link TaskCodec}, and {@link CellCode} adds the code written in notebook cells that it reaches.
 * That holds for the initializer too, analysed once when the pool starts (so the cell variables it
 * reads have their values as at that moment, for every worker the pool ever starts). On workers its
 * shipment defines the worker's globals: later tasks share the cell classes and variables it
 * reaches instead of getting their own copies (see {@link jpool.ship.CodeCache#workerGlobals}).
 */
final class ProcessPool extends Pool {

    private final Controller controller;
    private final Executor callbacks = Callbacks.newExecutor();
    /** The size the pool keeps: as started, then as last resized (written under this pool's lock). */
    private volatile int processes;
    /** What jobs of this pool carry beyond the workers' class path (fixed when the pool starts). */
    private final CellCode cellCode;
    /** The initializer's shipment (the workers' globals), or null. */
    private final Shipment workerGlobals;
    /** Worker-global fields a warning was printed for. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private volatile boolean shutdown;

    /**
     * Starts the controller with the given settings plus the initializer, serialized and shipped here.
     *
     * @param settings everything but the initializer
     * @param initializer run once in each worker, or null
     */
    ProcessPool(ClusterConfig settings, Job initializer) {
        this.cellCode = CellCode.installed();
        this.processes = settings.processes();
        byte[] init = null;
        CellCode.Shipped initCode = null;
        if (initializer != null) {
            Invokers.OfJob job = new Invokers.OfJob(initializer);
            CellCode.Submission code = cellCode.begin();
            init = serializeFunction(job, initializer, "initializer", code.observer());
            try {
                initCode = code.finish();
            } catch (NotSerializableTaskException e) {
                String message = e.getMessage().replaceFirst("^The task\\b", "The pool initializer");
                throw new NotSerializableTaskException(message, e);
            }
        }
        workerGlobals = initCode == null ? null : initCode.shipment();
        ClusterConfig config = settings.toBuilder()
                .initializer(init, initCode == null ? null : initCode.attachment())
                .build();
        try {
            controller = Controller.start(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        UnitFailure failure = controller.awaitFirstWorker();
        if (failure != null) {
            throw new PoolStartException("the pool cannot start its worker JVMs: " + failure.message(),
                    failure.stderrTail());
        }
    }

    static String advice(Object function, Exception e) {
        String type = function == null ? "the task" : function.getClass().getName();
        return "cannot send " + type + " to a worker JVM: " + e + ". Declare task code as jpool.Fn, jpool.Fn2,"
                + " jpool.Task or jpool.Job (these are Serializable) and capture only Serializable values: copy"
                + " fields into local variables instead of using 'this', and make captured classes implement"
                + " java.io.Serializable";
    }

    private static byte[] serializeFunction(Invocable function, Object user, String what,
            PayloadCodec.ClassObserver observer) {
        try {
            return TaskCodec.encodeFunction(function, observer);
        } catch (IOException | RuntimeException e) {
            throw new NotSerializableTaskException(advice(user, e).replace("the task", "the " + what), e);
        }
    }

    @Override
    void submit(Invocable function, Object userFunction, Object[] elements, BaseResult<?> result, boolean strict) {
        if (shutdown) {
            throw new IllegalStateException("the pool is shut down");
        }
        CellCode.Submission code = cellCode.begin();
        byte[] fn = serializeFunction(function, userFunction, "task function", code.observer());
        List<JobSubmission.Unit> units = new ArrayList<>(result.chunks);
        for (int c = 0; c < result.chunks; c++) {
            Object[] slice = Arrays.copyOfRange(elements, result.chunkStart(c), result.chunkEnd(c));
            units.add(new JobSubmission.Unit(c, slice.length, encodeArguments(slice, strict, code.observer())));
        }
        if (units.isEmpty()) {
            return;
        }
        CellCode.Shipped shipped = code.finish();
        CodeAttachment attachment = null;
        if (shipped != null) {
            attachment = shipped.attachment();
            warnAboutWorkerGlobals(shipped.shipment());
        }
        long jobId = controller.newJobId();
        result.setCanceller(interrupt -> controller.cancel(jobId, interrupt));
        controller.submit(jobId, new JobSubmission(fn, units, new Listener(result, result.loaderForFailures()),
                attachment));
    }

    @Override
    List<Place> places() {
        List<Place> list = new ArrayList<>();
        for (WorkerInfo w : controller.workers()) {
            if (w.acceptsUnits() && w.state() != WorkerInfo.State.DEAD) {
                list.add(new Place(w.id(), w.index()));
            }
        }
        list.sort(Comparator.comparingInt(Place::index).thenComparing(Place::id));
        return list;
    }

    /** One job per target, each pinned to its worker ({@link Placement.OnWorker}), all cancelled together. */
    @Override
    void submitEach(Invocable function, Object userFunction, List<Place> targets, BaseResult<?> result) {
        if (shutdown) {
            throw new IllegalStateException("the pool is shut down");
        }
        if (targets.isEmpty()) {
            return;
        }
        CellCode.Submission code = cellCode.begin();
        byte[] fn = serializeFunction(function, userFunction, "task function", code.observer());
        byte[] arguments = encodeArguments(new Object[] {null}, true, code.observer());
        CellCode.Shipped shipped = code.finish();
        CodeAttachment attachment = null;
        if (shipped != null) {
            attachment = shipped.attachment();
            warnAboutWorkerGlobals(shipped.shipment());
        }
        long[] jobIds = new long[targets.size()];
        for (int i = 0; i < jobIds.length; i++) {
            jobIds[i] = controller.newJobId();
        }
        result.setCanceller(interrupt -> {
            for (long id : jobIds) {
                controller.cancel(id, interrupt);
            }
        });
        List<JobSubmission.Unit> unit = List.of(new JobSubmission.Unit(0, 1, arguments));
        for (int i = 0; i < jobIds.length; i++) {
            try {
                controller.submit(jobIds[i], new JobSubmission(fn, unit,
                        new Listener(result, result.loaderForFailures(), i), attachment,
                        Placement.onWorker(targets.get(i).id())));
            } catch (IllegalStateException e) {
                for (int j = 0; j < i; j++) {
                    controller.cancel(jobIds[j], true); // shut down meanwhile: all of the run or none of it
                }
                throw e;
            }
        }
    }

    /**
     * Says so, once per field and pool, when a task reads a worker-global whose kernel value changed
     * since the pool started: on the workers it reads the worker's value.
     */
    private void warnAboutWorkerGlobals(Shipment task) {
        if (workerGlobals == null) {
            return;
        }
        for (String field : task.valuesHiddenByWorkerGlobals(workerGlobals)) {
            if (warned.add(field)) {
                System.err.println("jpool: the pool's initializer uses " + field + ", so on this pool's workers it is"
                        + " a worker-global: tasks read the worker's value, not the one it has in the kernel now. Start"
                        + " a new pool for the new value, or pass it to the task as an argument.");
            }
        }
    }

    private static byte[] encodeArguments(Object[] slice, boolean strict, PayloadCodec.ClassObserver observer) {
        try {
            return TaskCodec.encodeArguments(slice, observer);
        } catch (IOException | RuntimeException whole) {
            Object[] fixed = slice.clone();
            for (int i = 0; i < fixed.length; i++) {
                try {
                    TaskCodec.encodeArguments(new Object[] {fixed[i]});
                } catch (IOException | RuntimeException e) {
                    String type = fixed[i] == null ? "null" : fixed[i].getClass().getName();
                    String message = "the task argument of type " + type + " cannot be sent to a worker JVM: " + e
                            + ". Pass java.io.Serializable values (records and collections of Serializable parts work)";
                    if (strict) {
                        throw new NotSerializableTaskException(message, e);
                    }
                    fixed[i] = new Invokers.BadArgument(message);
                }
            }
            try {
                return TaskCodec.encodeArguments(fixed, observer);
            } catch (IOException e) {
                throw new NotSerializableTaskException("the task arguments cannot be serialized: " + e, e);
            }
        }
    }

    /**
     * Routes controller events to a result (runs on the controller's I/O thread): unit {@code i} to chunk
     * {@code i}, or, for one of the jobs of a per-worker run, its only unit to the chunk of its worker.
     */
    private static final class Listener implements JobListener {
        private final BaseResult<?> result;
        private final ClassLoader loader;
        /** The chunk of every unit of the job, or -1 for unit i to chunk i. */
        private final int chunk;

        Listener(BaseResult<?> result, ClassLoader loader) {
            this(result, loader, -1);
        }

        Listener(BaseResult<?> result, ClassLoader loader, int chunk) {
            this.result = result;
            this.loader = loader;
            this.chunk = chunk;
        }

        private int chunk(int index) {
            return chunk < 0 ? index : chunk;
        }

        @Override
        public void dispatched(int index, String workerId) {
            result.dispatched(chunk(index), workerId);
        }

        @Override
        public void started(int index, String workerId, long startedMicros) {
            result.started(chunk(index), workerId, startedMicros);
        }

        @Override
        public void output(int index, String workerId, int stream, byte[] utf8) {
            result.output(chunk(index), workerId, stream, utf8);
        }

        @Override
        public void completed(int index, String workerId, UnitResult r) {
            result.completed(chunk(index), workerId, r);
        }

        @Override
        public void failed(int index, UnitFailure failure) {
            Failures.ExecutionFailure f = Failures.fromUnitFailure(failure, loader);
            if (f.cancelled()) {
                result.cancelledByPool();
            } else {
                result.failed(chunk(index), f.exception());
            }
        }
    }

    @Override
    boolean remote() {
        return true;
    }

    @Override
    Executor callbackExecutor() {
        return callbacks;
    }

    @Override
    public int processes() {
        return processes;
    }

    @Override
    public synchronized void resize(int processes) {
        if (shutdown) {
            throw new IllegalStateException("the pool is shut down");
        }
        controller.resize(processes); // checks the size and the pool's state
        this.processes = processes;
    }

    @Override
    public void shutdown() {
        shutdown = true;
        controller.shutdown();
    }

    @Override
    public void terminate() {
        shutdown = true;
        controller.terminate();
    }

    @Override
    public void join() throws InterruptedException {
        if (!shutdown) {
            throw new IllegalStateException("join() needs shutdown() or terminate() first");
        }
        controller.awaitTermination(Long.MAX_VALUE, TimeUnit.DAYS);
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return controller.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean isShutdown() {
        return shutdown || controller.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return controller.isTerminated();
    }

    @Override
    public List<PoolWorker> workers() {
        List<PoolWorker> list = new ArrayList<>();
        for (WorkerInfo w : controller.workers()) {
            if (w.state() != WorkerInfo.State.DEAD) {
                list.add(new PoolWorker(w.id(), w.pid(), PoolWorker.State.valueOf(w.state().name()), w.unitsDone(),
                        w.index(), w.host(), w.launcher(), w.unitsFailed(),
                        w.runningSinceMillis() == 0 ? null : java.time.Instant.ofEpochMilli(w.runningSinceMillis()),
                        w.heapUsed(), w.heapMax(), java.time.Instant.ofEpochMilli(w.launchedAtMillis()), w.restarts()));
            }
        }
        return list;
    }

    @Override
    public PoolStats stats() {
        ControllerStats s = controller.stats();
        return new PoolStats(s.messagesReceived(), s.messagesSent(), s.droppedUnsigned(), s.droppedMalformed(),
                s.droppedOversized(), s.workersStarted(), s.workersLost(), s.unitsRetried(), s.unitsCompleted(),
                s.unitsQueued(), s.unitsHeld());
    }

    /** The controller's endpoint, for diagnostics and tests. */
    String endpoint() {
        return controller.endpoint();
    }

    /**
     * Says how many of the pool's worker JVMs run now (connected and not leaving), e.g. {@code Pool[2 worker
     * JVMs at tcp://127.0.0.1:40123]} or {@code Pool[0 of 2 worker JVMs running at ..., broken: ...]}, with
     * the number starting and the number retiring (after {@code maxTasksPerChild} or a shrink), and whether
     * the pool is broken or shut down.
     */
    @Override
    public String toString() {
        int running = 0;
        int starting = 0;
        int retiring = 0;
        for (WorkerInfo w : controller.workers()) {
            switch (w.state()) {
                case STARTING -> starting++;
                case INITIALIZING, READY, BUSY -> running++;
                case RETIRING -> retiring++;
                default -> {
                }
            }
        }
        int size = processes;
        StringBuilder sb = new StringBuilder("Pool[");
        String jvms = size == 1 ? " worker JVM" : " worker JVMs";
        sb.append(running == size ? size + jvms : running + " of " + size + jvms + " running");
        if (starting > 0) {
            sb.append(", ").append(starting).append(" starting");
        }
        if (retiring > 0) {
            sb.append(", ").append(retiring).append(" retiring");
        }
        sb.append(" at ").append(controller.endpoint());
        String broken = controller.brokenMessage();
        if (broken != null) {
            sb.append(", broken: ").append(broken);
        } else if (shutdown) {
            sb.append(", shut down");
        }
        return sb.append(']').toString();
    }

}
