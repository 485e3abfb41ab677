package jpool.ship;

import java.util.Map;
import java.util.function.Function;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * A JShell execution engine that runs snippets in this JVM (like JShell's "local" engine) and
 * records every class it loads in a {@link ClassRegistry}.
 *
 * <pre>{@code
 * var engine = new RecordingExecutionControlProvider(new ClassRegistry(), getClass().getClassLoader());
 * JShell shell = JShell.builder().executionEngine(engine, Map.of()).build();
 * }</pre>
 *
 * <p>One provider serves one JShell instance: {@link #delegate()} is the delegate of the engine
 * most recently generated.
 */
public final class RecordingExecutionControlProvider implements ExecutionControlProvider {

    private final ClassRegistry registry;
    private final ClassLoader parent;
    private final Function<? super RecordingLoaderDelegate, ? extends ExecutionControl> engine;
    private volatile RecordingLoaderDelegate delegate;

    /**
     * @param registry where loaded classes are recorded
     * @param parent parent loader of cell classes (the class path cell code compiles against)
     */
    public RecordingExecutionControlProvider(ClassRegistry registry, ClassLoader parent) {
        this(registry, parent, LocalExecutionControl::new);
    }

    /**
     * Like {@link #RecordingExecutionControlProvider(ClassRegistry, ClassLoader)}, with a custom in-process
     * engine built around the recording delegate (the kernel uses a {@link LocalExecutionControl} subclass
     * that keeps the value objects of expressions). The engine must load classes through the delegate.
     *
     * @param engine makes the execution control from the delegate, e.g. {@code LocalExecutionControl::new}
     */
    public RecordingExecutionControlProvider(ClassRegistry registry, ClassLoader parent,
                                             Function<? super RecordingLoaderDelegate, ? extends ExecutionControl> engine) {
        this.registry = registry;
        this.parent = parent;
        this.engine = engine;
    }

    @Override
    public String name() {
        return "jpool-recording";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        RecordingLoaderDelegate fresh = new RecordingLoaderDelegate(registry, parent);
        delegate = fresh;
        return engine.apply(fresh);
    }

    /**
     * The loader delegate of the engine most recently generated.
     *
     * @throws IllegalStateException if JShell has not generated an engine yet
     */
    public RecordingLoaderDelegate delegate() {
        RecordingLoaderDelegate current = delegate;
        if (current == null) {
            throw new IllegalStateException("JShell has not started this engine yet");
        }
        return current;
    }
}
