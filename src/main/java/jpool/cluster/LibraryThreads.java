package jpool.cluster;

/**
 * Makes the threads that jpool itself owns (controller I/O, JeroMQ's threads, callbacks, output readers,
 * display updaters) in one thread group of their own, outside whatever group the creating thread is in.
 *
 * <p>Why: in the kernel, a pool is usually created by cell code, which runs in a thread group the kernel
 * may stop or interrupt as a whole. A library thread that inherited that group would be stopped with the
 * cell that happened to create it, and would look like a thread the cell started. Threads made here are
 * daemons in the group {@code "jpool"}, whose parent is the JVM's top-level group.
 */
public final class LibraryThreads {

    private static final ThreadGroup GROUP = new ThreadGroup(topGroup(), "jpool");

    private LibraryThreads() {
    }

    /** The group every library thread belongs to. */
    public static ThreadGroup group() {
        return GROUP;
    }

    /** A new, unstarted daemon thread in the library group. */
    public static Thread newThread(Runnable body, String name) {
        Thread t = new Thread(GROUP, body, name);
        t.setDaemon(true);
        return t;
    }

    private static ThreadGroup topGroup() {
        ThreadGroup g = Thread.currentThread().getThreadGroup();
        while (g.getParent() != null) {
            g = g.getParent();
        }
        return g;
    }
}
