package jpool.cluster;

import java.util.List;
import jpool.wire.Limits;

/**
 * Settings of a {@link Controller}.
 *
 * @param processes number of worker JVMs kept running
 * @param jvmOptions extra options for worker JVMs (after the defaults, so they override them)
 * @param maxTasksPerChild units a worker runs before it is replaced (0: unlimited)
 * @param taskTimeoutMs longest a unit may run before its worker is killed and replaced (0: none)
 * @param retries how many times a unit whose worker died is re-run elsewhere
 * @param initializer serialized {@link jpool.wire.Invocable} run once in each worker, or null
 * @param initializerCode classes and jars the initializer needs beyond the workers' class path (code
 *     written in notebook cells), sent to every worker with it; null when it needs none
 * @param heartbeatMs interval of heartbeats in both directions
 * @param workerSilenceMs a worker exits after hearing nothing from the controller for this long
 * @param controllerSilenceMs the controller kills a worker it has not heard from for this long
 * @param cancelGraceMs how long a cancelled running unit may take to stop before its worker is killed
 * @param startTimeoutMs how long a new worker may take to say hello
 * @param limits message and deserialization limits
 * @param javaCommand the java launcher for workers
 * @param classPath the workers' class path
 */
public record ClusterConfig(int processes, List<String> jvmOptions, int maxTasksPerChild, long taskTimeoutMs,
        int retries, byte[] initializer, CodeAttachment initializerCode, long heartbeatMs, long workerSilenceMs,
        long controllerSilenceMs, long cancelGraceMs, long startTimeoutMs, Limits limits, String javaCommand,
        String classPath) {

    /** JVM options every worker gets before the user's: quick start, one GC thread, die on OOM. */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xshare:auto",
            "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData", "-Djava.awt.headless=true");

    /** Validates the settings. */
    public ClusterConfig {
        if (processes < 1) {
            throw new IllegalArgumentException("processes must be at least 1");
        }
        if (maxTasksPerChild < 0 || taskTimeoutMs < 0 || retries < 0) {
            throw new IllegalArgumentException("maxTasksPerChild, taskTimeout and retries must not be negative");
        }
        jvmOptions = List.copyOf(jvmOptions);
    }

    /** Settings with defaults for everything but the given values (an initializer needing no shipped code). */
    public static ClusterConfig of(int processes, List<String> jvmOptions, int maxTasksPerChild, long taskTimeoutMs,
            int retries, byte[] initializer) {
        return new ClusterConfig(processes, jvmOptions, maxTasksPerChild, taskTimeoutMs, retries, initializer, null,
                1000, 5000, 10_000, 2000, 60_000, Limits.DEFAULT,
                System.getProperty("java.home") + "/bin/java", System.getProperty("java.class.path"));
    }
}
