package jpool;

import java.util.List;

/**
 * A pool of worker JVMs could not start: no worker JVM came up (see {@link Pool.Builder#start()} for
 * when the pool gives up). The message says why and quotes the workers' last output, for instance the
 * JVM's {@code Too small maximum heap} for {@code -Xmx1k}; by the time this is thrown, every worker
 * process the pool launched has exited.
 */
public class PoolStartException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final List<String> lastStderr;

    /**
     * Creates the exception.
     *
     * @param message what happened, including the workers' last output
     * @param lastStderr the last lines the last failed worker wrote to its standard error
     */
    public PoolStartException(String message, List<String> lastStderr) {
        super(message);
        this.lastStderr = List.copyOf(lastStderr);
    }

    /** The last lines the last worker JVM that failed to start wrote to its standard error, possibly none. */
    public List<String> lastStderr() {
        return lastStderr;
    }
}
