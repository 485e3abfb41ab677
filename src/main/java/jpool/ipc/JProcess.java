package jpool.ipc;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jpool.Fn;
import jpool.Fn2;
import jpool.Job;

/**
 * A single child process that runs one piece of code and exits: Python's {@code multiprocessing.Process}
 * for Java. The code is either a <em>target</em> given to a constructor (a {@link Job}, or an {@link Fn} or
 * {@link Fn2} with its arguments) or, in a subclass, an override of {@link #run()}:
 *
 * <pre>{@code
 * JProcess p = new JProcess(() -> System.out.println("hello from " + JProcess.current().pid()));
 * p.start();
 * p.join();
 * p.exitCode();        // 0
 *
 * class Clock extends JProcess {
 *     final int interval;
 *     Clock(int interval) { this.interval = interval; }
 *     @Override public void run() throws Exception { ... }
 * }
 * new Clock(1).start();
 * }</pre>
 *
 * <p>The child is a JVM of its own, started by {@link #start()}. The object is serialized and sent to it,
 * so a subclass's fields travel with it (they must be {@link Serializable}, or {@code transient}); in a
 * notebook, classes and variables defined in cells travel as they do for pool tasks. What the child
 * prints reaches this JVM's standard output and error, each line labelled with the process's name ({@code
 * [Clock-1] Run >>> 1}); in the Jupyter kernel it reaches the cell that started the process, while that cell
 * runs.
 *
 * <h2>Life cycle and exit code</h2>
 * A process is <em>new</em> until {@link #start()}, then <em>alive</em> until its JVM has exited, then
 * <em>ended</em>; {@link #close()} releases an ended one. {@link #exitCode()} is null until the end, and then
 * <ul>
 *   <li>0 when {@code run()} returned,</li>
 *   <li>1 when it threw (the exception's stack trace is printed on the child's standard error),</li>
 *   <li>{@code n} when it called {@code System.exit(n)},</li>
 *   <li>minus the signal's number when a signal ended it, as in Python: -15 after {@link #terminate()},
 *       -9 after {@link #kill()}. A JVM ended by signal {@code s} reports {@code 128 + s}, so an exit code
 *       from 129 to 159 is reported as {@code -(code - 128)}.</li>
 * </ul>
 *
 * <h2>Daemons, and what ends with the parent</h2>
 * A non-daemon process (the default) keeps a plain Java program running: at the normal end of {@code
 * main} the JVM waits until every non-daemon child has ended (a non-daemon thread waits for each). A
 * daemon process is ended when its parent JVM ends, however it ends. A daemon process cannot start
 * processes of its own. Every child ends within a few seconds when its parent dies, even by {@code kill
 * -9}: its standard input is a pipe from the parent, and it exits when that pipe closes. Every child is
 * reaped. When the JVM exits ({@code System.exit}, the kernel shutting down or restarting), every child
 * still running is killed.
 *
 * <h2>Threads</h2>
 * All methods are thread-safe. Methods other than {@link #name()}, {@link #isDaemon()} and {@link #run()}
 * may be called only in the JVM that created the object; in the child, {@link #current()} describes the
 * child.
 */
public class JProcess implements AutoCloseable, Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private static final AtomicInteger NUMBER = new AtomicInteger();
    /** The children this JVM started that have not ended yet. */
    private static final Set<JProcess> ACTIVE = ConcurrentHashMap.newKeySet();
    /** In a child JVM: the process it runs (set before {@code run()}); null elsewhere. */
    private static volatile Info self;

    private final Job target;
    private volatile String name;
    private volatile boolean daemon;
    /** The parent's view: null until start, and in the child. */
    private transient volatile JProcessParent parent;
    private transient volatile boolean closed;
    /** True in the object a constructor made; false in the child's deserialized copy. */
    private transient boolean original;

    /**
     * A process that runs {@code target}.
     *
     * @throws NullPointerException if {@code target} is null
     */
    public JProcess(Job target) {
        this.target = Objects.requireNonNull(target, "target");
        this.name = defaultName();
        this.original = true;
    }

    /**
     * A process that runs {@code target.apply(arg)} (its result is discarded, as Python discards a target's
     * return value).
     *
     * @throws NullPointerException if {@code target} is null
     */
    public <T> JProcess(Fn<? super T, ?> target, T arg) {
        this(job(Objects.requireNonNull(target, "target"), arg));
    }

    /**
     * A process that runs {@code target.apply(a, b)}.
     *
     * @throws NullPointerException if {@code target} is null
     */
    public <A, B> JProcess(Fn2<? super A, ? super B, ?> target, A a, B b) {
        this(job(Objects.requireNonNull(target, "target"), a, b));
    }

    /** A process whose code is this subclass's {@link #run()}. */
    protected JProcess() {
        this.target = null;
        this.name = defaultName();
        this.original = true;
    }

    private static <T> Job job(Fn<? super T, ?> fn, T arg) {
        return () -> fn.apply(arg);
    }

    private static <A, B> Job job(Fn2<? super A, ? super B, ?> fn, A a, B b) {
        return () -> fn.apply(a, b);
    }

    private String defaultName() {
        String simple = getClass().getSimpleName();
        if (simple.isEmpty() || getClass() == JProcess.class) {
            simple = "JProcess";
        }
        return simple + "-" + NUMBER.incrementAndGet();
    }

    /**
     * What the process does, in the child JVM: runs the target given to the constructor. Subclasses override
     * it with their own code (and then usually pass no target). An exception thrown here ends the child
     * with exit code 1.
     *
     * @throws Exception whatever the code throws
     */
    public void run() throws Exception {
        if (target != null) {
            target.run();
        }
    }

    // ----------------------------------------------------------------------------- life cycle

    /**
     * Starts the child JVM and sends it this process to run. Returns once the child has been launched (its
     * {@link #pid()} is known); the child connects and begins {@link #run()} a few hundred milliseconds
     * later (a JVM's start-up). A child that cannot start at all (a bad JVM setting) ends with a non-zero
     * exit code and its output printed.
     *
     * @throws IllegalStateException if the process was started before or is closed, if called in the child's
     *     copy, or if the calling process is itself a daemon process (daemons cannot have children)
     * @throws jpool.NotSerializableTaskException if the process (a field of a subclass, a value its target
     *     captures) cannot be serialized; nothing was started
     * @throws java.io.UncheckedIOException if the child cannot be launched
     */
    public void start() {
        checkOriginal("start");
        Info me = self;
        if (me != null && me.daemon()) {
            throw new IllegalStateException("daemon process " + me.name() + " cannot start process " + name
                    + ": daemon processes are not allowed to have children (start it from a non-daemon process)");
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("process " + name + " is closed");
            }
            if (parent != null) {
                throw new IllegalStateException("process " + name + " was started already; a process can be started"
                        + " only once (create a new JProcess to run it again)");
            }
            JProcessParent p = new JProcessParent(this, name, daemon, ACTIVE::remove);
            ACTIVE.add(this);
            try {
                p.start();
            } catch (RuntimeException | Error e) {
                ACTIVE.remove(this);
                throw e;
            }
            parent = p;
        }
    }

    /**
     * Waits until the process has ended.
     *
     * @throws IllegalStateException if it was not started
     * @throws InterruptedException if the waiting thread is interrupted (the process keeps running)
     */
    public void join() throws InterruptedException {
        started("join").awaitEnd(Long.MAX_VALUE);
    }

    /**
     * Waits at most {@code timeout} for the process to end.
     *
     * @return true if it has ended, false if the time passed first (it keeps running)
     * @throws IllegalStateException if it was not started
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean join(Duration timeout) throws InterruptedException {
        long nanos = Objects.requireNonNull(timeout, "timeout").isNegative() ? 0 : saturatedNanos(timeout);
        return started("join").awaitEnd(nanos);
    }

    /**
     * Waits at most the given time for the process to end.
     *
     * @see #join(Duration)
     */
    public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
        return join(Duration.of(Math.max(0, timeout), unit.toChronoUnit()));
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Whether the process was started and has not ended yet. */
    public boolean isAlive() {
        checkOriginal("isAlive");
        JProcessParent p = parent;
        return p != null && !p.ended();
    }

    /**
     * The child's process id: null before {@link #start()}; in the child, the child's own. It stays known
     * after the end.
     */
    public Long pid() {
        if (!original) {
            return ProcessHandle.current().pid();
        }
        JProcessParent p = parent;
        return p == null ? null : p.pid();
    }

    /**
     * The exit code: null while the process is new or alive; see the class documentation for the values.
     */
    public Integer exitCode() {
        checkOriginal("exitCode");
        JProcessParent p = parent;
        return p == null ? null : p.exitCode();
    }

    /** The name: {@code JProcess-1}, {@code Clock-2} (the subclass's simple name), or as set. */
    public String name() {
        return name;
    }

    /**
     * Sets the name, used to label the process's output.
     *
     * @return this process
     * @throws IllegalStateException if the process was started
     */
    public JProcess setName(String name) {
        Objects.requireNonNull(name, "name");
        synchronized (this) {
            notStarted("setName");
            this.name = name;
        }
        return this;
    }

    /** Whether this is a daemon process (see the class documentation); false unless set. */
    public boolean isDaemon() {
        return daemon;
    }

    /**
     * Makes this a daemon process or not; must be set before {@link #start()}.
     *
     * @return this process
     * @throws IllegalStateException if the process was started
     */
    public JProcess setDaemon(boolean daemon) {
        synchronized (this) {
            notStarted("setDaemon");
            this.daemon = daemon;
        }
        return this;
    }

    /**
     * Asks the process to end with SIGTERM: the child JVM runs its shutdown hooks (not the target's {@code
     * finally} blocks) and exits; its exit code is then -15. Does nothing if it has ended.
     *
     * @throws IllegalStateException if it was not started
     */
    public void terminate() {
        started("terminate").signal(false);
    }

    /**
     * Ends the process at once with SIGKILL; its exit code is then -9. Does nothing if it has ended.
     *
     * @throws IllegalStateException if it was not started
     */
    public void kill() {
        started("kill").signal(true);
    }

    /**
     * Interrupts the target: the thread that runs {@link #run()} in the child is interrupted, so that a
     * blocking call throws {@link InterruptedException} (cell code is stopped also where it does not block),
     * the target's {@code finally} blocks run, and the child exits, with code 1 if the exception ends {@code
     * run()}, or 0 if the code catches it and returns. Python 3.14's {@code Process.interrupt}. Does nothing if
     * the process has ended; if it has not begun {@code run()} yet, the target does not run and the exit code
     * is 1.
     *
     * @throws IllegalStateException if it was not started
     */
    public void interrupt() {
        started("interrupt").interrupt();
    }

    /**
     * Releases what the process object holds. Closing twice does nothing more; closing a process that was
     * never started only marks it closed.
     *
     * @throws IllegalStateException if the process is still alive (join, terminate or kill it first)
     */
    @Override
    public void close() {
        checkOriginal("close");
        synchronized (this) {
            JProcessParent p = parent;
            if (p != null && !p.ended()) {
                throw new IllegalStateException("process " + name + " is still running; join, terminate or kill it"
                        + " before closing it");
            }
            closed = true;
        }
    }

    /** E.g. {@code JProcess[name=Clock-1, pid=4711, alive]} or {@code ..., exitCode=0]}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("JProcess[name=").append(name);
        if (!original) {
            return sb.append(", in the child]").toString();
        }
        JProcessParent p = parent;
        if (p == null) {
            sb.append(closed ? ", closed" : ", new");
        } else {
            sb.append(", pid=").append(p.pid());
            Integer code = p.exitCode();
            sb.append(code == null ? ", alive" : ", exitCode=" + code);
        }
        if (daemon) {
            sb.append(", daemon");
        }
        return sb.append(']').toString();
    }

    private synchronized void notStarted(String what) {
        if (parent != null) {
            throw new IllegalStateException(what + ": process " + name + " was started already");
        }
    }

    private JProcessParent started(String what) {
        checkOriginal(what);
        JProcessParent p = parent;
        if (p == null) {
            throw new IllegalStateException(what + ": process " + name + " was not started");
        }
        return p;
    }

    private void checkOriginal(String what) {
        if (!original) {
            throw new IllegalStateException(what + " is for the JVM that started process " + name
                    + "; in the process itself use JProcess.current()");
        }
    }

    // ------------------------------------------------------------------------------------ statics

    /**
     * A description of a process: the running JVM's, or a child's.
     *
     * @param name {@code MainProcess} for a JVM that is not a {@link JProcess} child, else the process's name
     * @param pid the process id
     * @param parentPid the parent's process id, or -1 if unknown (a parent that ended)
     * @param daemon whether it is a daemon process
     */
    public record Info(String name, long pid, long parentPid, boolean daemon) {
    }

    /**
     * The process the caller runs in (Python's {@code current_process()}): in a child started by {@link
     * #start()}, the child's name, pid and parent pid; elsewhere {@code MainProcess} with this JVM's.
     */
    public static Info current() {
        Info me = self;
        if (me != null) {
            return me;
        }
        ProcessHandle h = ProcessHandle.current();
        return new Info("MainProcess", h.pid(), h.parent().map(ProcessHandle::pid).orElse(-1L), false);
    }

    /**
     * The children this JVM started that are still alive (Python's {@code active_children()}), in no
     * particular order; the caller itself is not among them. Ended children are never listed: they have
     * been reaped already.
     */
    public static List<JProcess> activeChildren() {
        List<JProcess> list = new ArrayList<>();
        for (JProcess p : ACTIVE) {
            if (p.isAlive()) {
                list.add(p);
            }
        }
        return list;
    }

    /** The number of processors available to this JVM (Python's {@code cpu_count()}). */
    public static int cpuCount() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The non-daemon children still alive: a child joins them before it exits. */
    static List<JProcess> nonDaemonChildren() {
        List<JProcess> list = new ArrayList<>();
        for (JProcess p : ACTIVE) {
            if (!p.daemon && p.isAlive()) {
                list.add(p);
            }
        }
        return list;
    }

    /** In the child: marks this JVM as running {@code process} (before its {@code run()}). */
    static void enterChild(JProcess process, long parentPid) {
        self = new Info(process.name, ProcessHandle.current().pid(), parentPid, process.daemon);
    }
}
