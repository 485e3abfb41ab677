/**
 * The Java kernel: JShell evaluation of cells, magics and display.
 *
 * <p>Public, for cell code and extensions:
 * <ul>
 *   <li>{@link jpool.kernel.Display}, {@link jpool.kernel.DisplayHandle}, {@link jpool.kernel.MimeBundle}:
 *       showing values, updating them in place by display id from any thread at any time;</li>
 *   <li>{@link jpool.kernel.Renderers}, {@link jpool.kernel.Renderer}, {@link jpool.kernel.Displayable}: how a
 *       type is shown, including <em>live</em> types re-rendered in the background;</li>
 *   <li>{@link jpool.kernel.Magics}, {@link jpool.kernel.MagicContext}, {@link jpool.kernel.MagicException}:
 *       line and cell magics;</li>
 *   <li>{@link jpool.kernel.Notebook}, {@link jpool.kernel.KernelContext}, {@link jpool.kernel.KernelExtension}:
 *       eval, input, and hooks into interrupt and shutdown;</li>
 *   <li>{@link jpool.kernel.KernelMain}: {@code java -jar jpool-all.jar CONNECTION_FILE}.</li>
 * </ul>
 */
package jpool.kernel;
