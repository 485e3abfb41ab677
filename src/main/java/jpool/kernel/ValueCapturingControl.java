package jpool.kernel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl.ClassBytecodes;
import jpool.ship.ExitGuardClass;
import jpool.ship.StopCheckClass;

/**
 * JShell's in-process engine, with its own way of running and stopping a snippet, that also keeps the
 * object an invoked snippet returned so the kernel can render the value of an expression richly.
 *
 * <p>Running: each snippet runs on a fresh thread of the group {@code "jpool cells"}, and the invocation
 * waits for that thread only. JShell's base class instead joins every thread of its execution group that it
 * sees right after starting the snippet, so a cell hung whenever a thread it had started (a pool's I/O
 * thread, a user's background thread) was caught in that look; threads a cell starts keep running here and
 * never hold the cell, as in IPython.
 *
 * <p>{@code System.exit} and {@code Runtime.exit/halt} in cell code throw instead of ending the kernel
 * ({@link ExitGuardClass}).
 *
 * <p>Stopping reaches only the threads that run a snippet now (several while a cell runs
 * {@code eval(...)}): {@code Thread.stop} on JDKs whose engine does not instrument cell code (17), the
 * narrowed stop check of {@link StopCheckClass} plus an interrupt on those that do (22 and later). Threads a
 * cell started and library threads running cell callbacks are not stopped.
 */
final class ValueCapturingControl extends LocalExecutionControl {

    /** Returned by {@link #takeValue()} when no snippet was invoked. */
    static final Object NONE = new Object();

    private static final boolean INSTRUMENTED = StopCheckClass.engineInstruments();

    /** The group of snippet threads, and so of the threads cell code starts. */
    private static final ThreadGroup CELLS = new ThreadGroup("jpool cells");

    /** Threads running snippets now; what a stop reaches. */
    private final Set<Thread> snippetThreads = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Object> lastValue = ThreadLocal.withInitial(() -> NONE);
    private final ThreadLocal<String> lastInvoked = new ThreadLocal<>();
    private final Class<?> stopCheck;
    private volatile boolean stopPending;

    /** What a cell hears when its code calls {@code System.exit}, after "System.exit(n) ". */
    static final String EXIT_REFUSED = "was not run: in a cell it would end the kernel and every variable with it. "
            + "To start afresh, restart the kernel from the frontend; to end a program that runs in a cell, return "
            + "or throw from it.";

    ValueCapturingControl(LoaderDelegate delegate) {
        super(delegate);
        // Defined before any cell class: ours, not JShell's, stop check; and the guard cell code exits through.
        stopCheck = INSTRUMENTED ? define(delegate, StopCheckClass.NAME, StopCheckClass.bytes()) : null;
        Class<?> exitGuard = define(delegate, ExitGuardClass.NAME, ExitGuardClass.bytes());
        try {
            ExitGuardClass.refuse(exitGuard, EXIT_REFUSED);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot set up the exit guard: " + e, e);
        }
    }

    private static Class<?> define(LoaderDelegate delegate, String name, byte[] bytes) {
        try {
            delegate.load(new ClassBytecodes[] {new ClassBytecodes(name, bytes)});
            return delegate.findClass(name);
        } catch (Exception e) {
            throw new IllegalStateException("cannot define " + name + ": " + e, e);
        }
    }

    /** Cell classes exit through {@link ExitGuardClass} (the registry records, and workers get, these bytes). */
    @Override
    public void load(ClassBytecodes[] classes)
            throws ClassInstallException, NotImplementedException, EngineTerminationException {
        ClassBytecodes[] guarded = new ClassBytecodes[classes.length];
        for (int i = 0; i < classes.length; i++) {
            guarded[i] = new ClassBytecodes(classes[i].name(), ExitGuardClass.rewrite(classes[i].bytecodes()));
        }
        super.load(guarded);
    }

    /** A stop that arrived before the snippet started running (e.g. while it compiled): the next invoke is skipped. */
    void stopPending(boolean pending) {
        stopPending = pending;
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        lastInvoked.set(doitMethod.getDeclaringClass().getName());
        boolean outermost = snippetThreads.isEmpty();
        if (outermost && stopCheck != null) {
            StopCheckClass.reset(stopCheck);
        }
        SnippetRun run = new SnippetRun(doitMethod);
        Thread thread = new Thread(CELLS, run, "jpool-cell");
        thread.setContextClassLoader(doitMethod.getDeclaringClass().getClassLoader());
        thread.setDaemon(true);
        // Registered before the pending check, so that a stop either is seen here or reaches this thread.
        snippetThreads.add(thread);
        try {
            if (stopPending) {
                throw new StoppedException();
            }
            thread.start();
            joinUninterruptibly(thread);
        } finally {
            snippetThreads.remove(thread);
            lastValue.set(run.value);
        }
        if (run.stopped) {
            throw new StoppedException();
        }
        if (run.failure != null) {
            throw run.failure;
        }
        return valueString(run.value);
    }

    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The body of a snippet thread. */
    private static final class SnippetRun implements Runnable {
        private final Method target;
        volatile Object value = NONE;
        volatile InvocationTargetException failure;
        volatile boolean stopped;

        SnippetRun(Method target) {
            this.target = target;
        }

        @Override
        @SuppressWarnings("removal")
        public void run() {
            try {
                value = target.invoke(null);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof ThreadDeath) {
                    stopped = true;
                } else {
                    failure = e;
                }
            } catch (ThreadDeath e) {
                stopped = true; // Thread.stop arrived outside the snippet's own frames
            } catch (IllegalAccessException e) {
                failure = new InvocationTargetException(e);
            }
        }
    }

    /** The value the last snippet invoked by this thread returned, or {@link #NONE}; clears it. */
    Object takeValue() {
        Object v = lastValue.get();
        lastValue.set(NONE);
        return v;
    }

    /** The binary name of the wrapper class whose snippet this thread invoked last, or null; clears it. */
    String takeInvokedClass() {
        String c = lastInvoked.get();
        lastInvoked.remove();
        return c;
    }

    @Override
    public void stop() throws EngineTerminationException, InternalException {
        if (stopCheck != null) {
            try {
                StopCheckClass.stop(stopCheck, snippetThreads);
            } catch (ReflectiveOperationException e) {
                throw new InternalException("cannot stop the cell: " + e);
            }
            snippetThreads.forEach(Thread::interrupt);
            return;
        }
        for (Thread t : snippetThreads) {
            try {
                Thread.class.getMethod("stop").invoke(t);
            } catch (ReflectiveOperationException | RuntimeException e) {
                t.interrupt(); // a JDK without Thread.stop and without stop checks (20, 21)
            }
        }
    }
}
