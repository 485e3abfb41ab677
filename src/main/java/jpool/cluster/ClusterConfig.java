package jpool.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import jpool.wire.Limits;
import jpool.wire.Timeouts;

/**
 * Settings of a {@link Controller}, made by a {@link Builder} that checks each value once, when it is
 * set, and their combination in {@link Builder#build()}. Instances are immutable.
 *
 * <p>Durations are kept as given. Where the wire protocol or the controller's timers need whole
 * milliseconds (the {@code ...Ms()} accessors), a positive duration is rounded up, so that a limit
 * below one millisecond is a limit of one millisecond, never "none" (see {@link Timeouts#wireMillis}).
 * A task timeout of zero means no limit. No duration may exceed {@link #MAX_DURATION}. Defaults are in
 * {@link Timeouts}.
 */
public final class ClusterConfig {

    /** JVM options every worker gets before the user's: quick start, one GC thread, die on OOM. */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xshare:auto",
            "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData", "-Djava.awt.headless=true");

    /** The longest duration any setting accepts: 100 years, so that no timer arithmetic overflows. */
    public static final Duration MAX_DURATION = Duration.ofDays(36_500);

    private final int processes;
    private final List<String> jvmOptions;
    private final int maxTasksPerChild;
    private final Duration taskTimeout;
    private final int retries;
    private final byte[] initializer;
    private final CodeAttachment initializerCode;
    private final Duration heartbeat;
    private final Duration workerSilence;
    private final Duration controllerSilence;
    private final Duration cancelGrace;
    private final Duration startTimeout;
    private final Limits limits;
    private final String javaCommand;
    private final String classPath;
    private final String bindAddress;
    private final WorkerLauncher launcher;
    private final boolean replaceWorkers;

    private ClusterConfig(Builder b) {
        processes = b.processes;
        jvmOptions = b.jvmOptions;
        maxTasksPerChild = b.maxTasksPerChild;
        taskTimeout = b.taskTimeout;
        retries = b.retries;
        initializer = b.initializer;
        initializerCode = b.initializerCode;
        heartbeat = b.heartbeat;
        workerSilence = b.workerSilence;
        controllerSilence = b.controllerSilence;
        cancelGrace = b.cancelGrace;
        startTimeout = b.startTimeout;
        limits = b.limits;
        javaCommand = b.javaCommand;
        classPath = b.classPath;
        bindAddress = b.bindAddress;
        launcher = b.launcher;
        replaceWorkers = b.replaceWorkers;
    }

    /** A builder with the defaults: one worker per available processor, settings of {@link Timeouts}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Number of worker JVMs kept running (at least 1). */
    public int processes() {
        return processes;
    }

    /** Extra options for worker JVMs, after {@link #DEFAULT_JVM_OPTIONS} (so they override them). */
    public List<String> jvmOptions() {
        return jvmOptions;
    }

    /** Units a worker runs before it is replaced (0: unlimited). */
    public int maxTasksPerChild() {
        return maxTasksPerChild;
    }

    /** Longest a unit may run before its worker is killed and replaced ({@link Duration#ZERO}: no limit). */
    public Duration taskTimeout() {
        return taskTimeout;
    }

    /** {@link #taskTimeout()} in milliseconds, rounded up (0: no limit). */
    public long taskTimeoutMs() {
        return Timeouts.wireMillis(taskTimeout);
    }

    /** How many times a unit whose worker died is re-run elsewhere. */
    public int retries() {
        return retries;
    }

    /** Serialized {@link jpool.wire.Invocable} run once in each worker, or null. The array is shared, not copied. */
    public byte[] initializer() {
        return initializer;
    }

    /**
     * Classes and jars the initializer needs beyond the workers' class path (code written in notebook
     * cells), sent to every worker with it; null when it needs none.
     */
    public CodeAttachment initializerCode() {
        return initializerCode;
    }

    /** Interval of heartbeats in both directions. */
    public Duration heartbeat() {
        return heartbeat;
    }

    /** {@link #heartbeat()} in milliseconds, rounded up. */
    public long heartbeatMs() {
        return Timeouts.wireMillis(heartbeat);
    }

    /** A worker exits after hearing nothing from the controller for this long. */
    public Duration workerSilence() {
        return workerSilence;
    }

    /** {@link #workerSilence()} in milliseconds, rounded up. */
    public long workerSilenceMs() {
        return Timeouts.wireMillis(workerSilence);
    }

    /** The controller kills a worker it has not heard from for this long. */
    public Duration controllerSilence() {
        return controllerSilence;
    }

    /** {@link #controllerSilence()} in milliseconds, rounded up. */
    public long controllerSilenceMs() {
        return Timeouts.wireMillis(controllerSilence);
    }

    /** How long a cancelled running unit may take to stop before its worker is killed (0: killed at once). */
    public Duration cancelGrace() {
        return cancelGrace;
    }

    /** {@link #cancelGrace()} in milliseconds, rounded up. */
    public long cancelGraceMs() {
        return Timeouts.wireMillis(cancelGrace);
    }

    /** How long a new worker may take to say hello. */
    public Duration startTimeout() {
        return startTimeout;
    }

    /** {@link #startTimeout()} in milliseconds, rounded up. */
    public long startTimeoutMs() {
        return Timeouts.wireMillis(startTimeout);
    }

    /** Message and deserialization limits. */
    public Limits limits() {
        return limits;
    }

    /** The java launcher for workers. */
    public String javaCommand() {
        return javaCommand;
    }

    /** The workers' class path. */
    public String classPath() {
        return classPath;
    }

    /** The address the controller's socket binds, and that workers connect to (default 127.0.0.1). */
    public String bindAddress() {
        return bindAddress;
    }

    /** What starts the workers (default {@link WorkerLauncher#local()}). */
    public WorkerLauncher launcher() {
        return launcher;
    }

    /**
     * Whether a worker that ends is replaced (the default); when false the controller launches
     * {@link #processes()} workers in all, as for a single process that runs one job and exits.
     */
    public boolean replaceWorkers() {
        return replaceWorkers;
    }

    @Override
    public String toString() {
        return "ClusterConfig[processes=" + processes + ", jvmOptions=" + jvmOptions + ", maxTasksPerChild="
                + maxTasksPerChild + ", taskTimeout=" + taskTimeout + ", retries=" + retries + ", initializer="
                + (initializer != null) + ", heartbeat=" + heartbeat + ", workerSilence=" + workerSilence
                + ", controllerSilence=" + controllerSilence + ", cancelGrace=" + cancelGrace + ", startTimeout="
                + startTimeout + ", limits=" + limits + ", javaCommand=" + javaCommand + ", bindAddress=" + bindAddress
                + ", launcher=" + launcher + "]";
    }

    /**
     * Settings of a controller. Every setter checks its value at once and throws
     * {@link IllegalArgumentException} naming the setting and the value it refuses (or
     * {@link NullPointerException} naming the setting for null); {@link #build()} checks how the
     * settings fit together. Not thread-safe.
     */
    public static final class Builder {
        private int processes = Runtime.getRuntime().availableProcessors();
        private List<String> jvmOptions = List.of();
        private int maxTasksPerChild;
        private Duration taskTimeout = Duration.ZERO;
        private int retries;
        private byte[] initializer;
        private CodeAttachment initializerCode;
        private Duration heartbeat = Timeouts.HEARTBEAT;
        private Duration workerSilence = Timeouts.WORKER_SILENCE;
        private Duration controllerSilence = Timeouts.CONTROLLER_SILENCE;
        private Duration cancelGrace = Timeouts.CANCEL_GRACE;
        private Duration startTimeout = Timeouts.WORKER_START;
        private Limits limits = Limits.DEFAULT;
        private String javaCommand = System.getProperty("java.home") + "/bin/java";
        private String classPath = System.getProperty("java.class.path");
        private String bindAddress = "127.0.0.1";
        private WorkerLauncher launcher = WorkerLauncher.local();
        private boolean replaceWorkers = true;

        private Builder() {
        }

        private Builder(ClusterConfig c) {
            processes = c.processes;
            jvmOptions = c.jvmOptions;
            maxTasksPerChild = c.maxTasksPerChild;
            taskTimeout = c.taskTimeout;
            retries = c.retries;
            initializer = c.initializer;
            initializerCode = c.initializerCode;
            heartbeat = c.heartbeat;
            workerSilence = c.workerSilence;
            controllerSilence = c.controllerSilence;
            cancelGrace = c.cancelGrace;
            startTimeout = c.startTimeout;
            limits = c.limits;
            javaCommand = c.javaCommand;
            classPath = c.classPath;
            bindAddress = c.bindAddress;
            launcher = c.launcher;
            replaceWorkers = c.replaceWorkers;
        }

        /** Number of worker JVMs (default: available processors); at least 1. */
        public Builder processes(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("processes must be at least 1, got " + n);
            }
            processes = n;
            return this;
        }

        /** Extra options for worker JVMs (default none); copied, no element may be null. */
        public Builder jvmOptions(List<String> options) {
            Objects.requireNonNull(options, "jvmOptions");
            for (String o : options) {
                Objects.requireNonNull(o, "jvmOptions must not contain null");
            }
            jvmOptions = List.copyOf(options);
            return this;
        }

        /** Units a worker runs before it is replaced (default 0: unlimited); not negative. */
        public Builder maxTasksPerChild(int k) {
            if (k < 0) {
                throw new IllegalArgumentException("maxTasksPerChild must not be negative, got " + k);
            }
            maxTasksPerChild = k;
            return this;
        }

        /** Longest a unit may run (default {@link Duration#ZERO}: no limit); not negative. */
        public Builder taskTimeout(Duration timeout) {
            taskTimeout = notNegative("taskTimeout", timeout);
            return this;
        }

        /** How many times a unit whose worker died is re-run elsewhere (default 0); not negative. */
        public Builder retries(int r) {
            if (r < 0) {
                throw new IllegalArgumentException("retries must not be negative, got " + r);
            }
            retries = r;
            return this;
        }

        /**
         * The serialized initializer and the code it needs beyond the workers' class path (either may be
         * null; default: no initializer). Code without an initializer is refused.
         */
        public Builder initializer(byte[] serialized, CodeAttachment code) {
            if (serialized == null && code != null) {
                throw new IllegalArgumentException("initializer code given without an initializer");
            }
            initializer = serialized;
            initializerCode = code;
            return this;
        }

        /** Interval of heartbeats (default {@link Timeouts#HEARTBEAT}); positive. */
        public Builder heartbeat(Duration interval) {
            heartbeat = positive("heartbeat", interval);
            return this;
        }

        /**
         * How long a worker tolerates silence from the controller (default {@link Timeouts#WORKER_SILENCE});
         * longer than the heartbeat interval.
         */
        public Builder workerSilence(Duration silence) {
            workerSilence = positive("workerSilence", silence);
            return this;
        }

        /**
         * How long the controller tolerates silence from a worker (default
         * {@link Timeouts#CONTROLLER_SILENCE}); longer than the heartbeat interval.
         */
        public Builder controllerSilence(Duration silence) {
            controllerSilence = positive("controllerSilence", silence);
            return this;
        }

        /**
         * How long a cancelled, interrupted unit may take to stop before its worker is killed (default
         * {@link Timeouts#CANCEL_GRACE}); not negative, zero kills at the controller's next check.
         */
        public Builder cancelGrace(Duration grace) {
            cancelGrace = notNegative("cancelGrace", grace);
            return this;
        }

        /** How long a launched worker may take to say hello (default {@link Timeouts#WORKER_START}); positive. */
        public Builder startTimeout(Duration timeout) {
            startTimeout = positive("startTimeout", timeout);
            return this;
        }

        /** Message and deserialization limits (default {@link Limits#DEFAULT}). */
        public Builder limits(Limits l) {
            limits = Objects.requireNonNull(l, "limits");
            return this;
        }

        /** The java launcher for workers (default: this JVM's). */
        public Builder javaCommand(String command) {
            javaCommand = Objects.requireNonNull(command, "javaCommand");
            return this;
        }

        /** The workers' class path (default: this JVM's). */
        public Builder classPath(String path) {
            classPath = Objects.requireNonNull(path, "classPath");
            return this;
        }

        /**
         * The address the controller binds and workers connect to: a literal IP address or host name of
         * this machine that the workers can reach (default 127.0.0.1, so that nothing outside this
         * machine can connect).
         *
         * @throws IllegalArgumentException if blank or with characters no address has
         */
        public Builder bindAddress(String address) {
            Objects.requireNonNull(address, "bindAddress");
            if (!address.matches("[A-Za-z0-9.:\\-\\[\\]]+")) {
                throw new IllegalArgumentException("bindAddress must be an IP address or host name, got '" + address
                        + "'");
            }
            bindAddress = address;
            return this;
        }

        /** What starts the workers (default: child JVMs of this one, {@link WorkerLauncher#local()}). */
        public Builder launcher(WorkerLauncher l) {
            launcher = Objects.requireNonNull(l, "launcher");
            return this;
        }

        /** Whether workers that end are replaced (default true); see {@link ClusterConfig#replaceWorkers()}. */
        public Builder replaceWorkers(boolean replace) {
            replaceWorkers = replace;
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalArgumentException if a silence is not longer than the heartbeat interval (a
         *     side would give up between two heartbeats)
         */
        public ClusterConfig build() {
            longerThanHeartbeat("workerSilence", workerSilence);
            longerThanHeartbeat("controllerSilence", controllerSilence);
            return new ClusterConfig(this);
        }

        private void longerThanHeartbeat(String name, Duration silence) {
            if (silence.compareTo(heartbeat) <= 0) {
                throw new IllegalArgumentException(name + " must be longer than heartbeat (" + heartbeat + "), got "
                        + silence);
            }
        }

        private static Duration notNegative(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, got " + d);
            }
            return notTooLong(name, d);
        }

        private static Duration positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return notTooLong(name, d);
        }

        private static Duration notTooLong(String name, Duration d) {
            if (d.compareTo(MAX_DURATION) > 0) {
                throw new IllegalArgumentException(name + " must be at most " + MAX_DURATION + " (100 years), got "
                        + d);
            }
            return d;
        }
    }
}
