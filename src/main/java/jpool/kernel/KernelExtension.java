package jpool.kernel;

/**
 * Extends the kernel at start: magics, renderers, interrupt and shutdown hooks. Implementations are found
 * with {@link java.util.ServiceLoader} (a {@code META-INF/services/jpool.kernel.KernelExtension} file on the
 * kernel's class path) and run before the first cell.
 */
public interface KernelExtension {

    /** Registers what the extension adds. */
    void register(KernelContext kernel);
}
