package jpool.kernel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.execution.LocalExecutionControl;

/**
 * JShell's in-process engine (with its stop support: Thread.stop on JDK 17, instrumented stop checks on
 * newer JDKs) that also keeps the object an invoked snippet returned, so the kernel can render the value
 * of an expression richly instead of from JShell's string.
 *
 * <p>The snippet's method is invoked through {@link #run()}, a trampoline that the base class runs on
 * its snippet thread; the trampoline rethrows the snippet's own exception unchanged.
 */
final class ValueCapturingControl extends LocalExecutionControl {

    /** Returned by {@link #takeValue()} when no snippet was invoked. */
    static final Object NONE = new Object();

    private static final Method RUN;

    static {
        try {
            RUN = ValueCapturingControl.class.getDeclaredMethod("run");
            RUN.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Threads running snippets now (more than one while a cell runs eval(...)). */
    private static final java.util.Set<Thread> snippetThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Handed from {@link #invoke(Method)} to the snippet thread (Thread.start orders the write before the read). */
    private static volatile Slot pending;

    private static final class Slot {
        final Method target;
        volatile Object value = NONE;

        Slot(Method target) {
            this.target = target;
        }
    }

    private final ThreadLocal<Object> lastValue = ThreadLocal.withInitial(() -> NONE);
    private final ThreadLocal<String> lastInvoked = new ThreadLocal<>();
    private volatile boolean stopPending;
    private int depth; // guarded by this: nested invocations (eval(...) called from a running cell)

    ValueCapturingControl(LoaderDelegate delegate) {
        super(delegate);
    }

    /** A stop that arrived before the snippet started running (e.g. while it compiled): the next invoke is skipped. */
    void stopPending(boolean pending) {
        stopPending = pending;
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        if (stopPending) {
            throw new StoppedException();
        }
        Slot slot = new Slot(doitMethod);
        lastInvoked.set(doitMethod.getDeclaringClass().getName());
        pending = slot;
        try {
            return super.invoke(RUN);
        } finally {
            lastValue.set(slot.value);
        }
    }

    /** The value the last snippet invoked by this thread returned, or {@link #NONE}; clears it. */
    Object takeValue() {
        Object v = lastValue.get();
        lastValue.set(NONE);
        return v;
    }

    /**
     * A cell that calls {@code eval(...)} invokes a snippet while its own is running; the base class would
     * consider user code finished when the inner one returns, and ignore a later stop. Only the outermost
     * invocation enters and leaves.
     */
    @Override
    protected void clientCodeEnter() {
        synchronized (this) {
            if (depth++ > 0) {
                return;
            }
        }
        super.clientCodeEnter();
    }

    @Override
    protected void clientCodeLeave() {
        synchronized (this) {
            if (--depth > 0) {
                return;
            }
        }
        super.clientCodeLeave();
    }

    /**
     * JShell's stop reaches the threads of the latest invocation only; with nested invocations the outer
     * cell's thread must be reached too. On JDK 17-19 that is Thread.stop (as JShell itself does); later
     * JDKs stop instrumented cell code through the flag the base class sets.
     */
    @Override
    public void stop() throws EngineTerminationException, InternalException {
        super.stop();
        boolean nested;
        synchronized (this) {
            nested = depth > 1;
        }
        if (nested && Runtime.version().feature() < 20) {
            for (Thread t : snippetThreads) {
                try {
                    Thread.class.getMethod("stop").invoke(t);
                } catch (ReflectiveOperationException | RuntimeException ignored) {
                    t.interrupt();
                }
            }
        }
    }

    /** The binary name of the wrapper class whose snippet this thread invoked last, or null; clears it. */
    String takeInvokedClass() {
        String c = lastInvoked.get();
        lastInvoked.remove();
        return c;
    }

    /** The trampoline run on JShell's snippet thread. */
    public static Object run() throws Throwable {
        Slot slot = pending;
        // libraries added with %maven/%jars that look classes up through the context loader find them
        Thread.currentThread().setContextClassLoader(slot.target.getDeclaringClass().getClassLoader());
        Object value;
        snippetThreads.add(Thread.currentThread());
        try {
            value = slot.target.invoke(null);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } finally {
            snippetThreads.remove(Thread.currentThread());
        }
        slot.value = value;
        return value;
    }
}
