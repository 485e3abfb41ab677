package jpool.kernel;

/**
 * The running kernel as extensions see it: register magics and renderers, and hook into interrupt and
 * shutdown (e.g. to cancel or end work the notebook started). Obtain it in a cell with
 * {@link Notebook#kernel()} or receive it in a {@link KernelExtension}.
 */
public interface KernelContext {

    /** The magic registry. */
    Magics magics();

    /** The renderer registry. */
    Renderers renderers();

    /** Runs the action (on the control thread) when the user interrupts the kernel, after the cell is stopped. */
    void onInterrupt(Runnable action);

    /** Runs the action when the kernel shuts down or restarts, before it exits. */
    void onShutdown(Runnable action);

    /** The comm registry: register targets frontends can open comms to, or open comms from the kernel. */
    jpool.jupyter.CommManager comms();

    /** Runs a line magic as {@code %name args} would and returns its value. */
    Object lineMagic(String name, String args) throws Exception;

    /** Runs a cell magic as a cell {@code %%name args} + body would and returns its value. */
    Object cellMagic(String name, String args, String body) throws Exception;

    /** Evaluates cell text as a cell would (see {@link MagicContext#evalCell}). */
    Object eval(String code) throws Exception;
}
