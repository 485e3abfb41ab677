/**
 * Shipping code written in notebook cells to worker JVMs.
 *
 * <h2>Kernel (submitting) side</h2>
 * <ol>
 *   <li>The kernel's JShell runs on {@link jpool.ship.RecordingExecutionControlProvider}, which
 *       records every class it loads and every class-path addition in a {@link jpool.ship.ClassRegistry}.</li>
 *   <li>Per submission: {@code Capture c = analyzer.capture(task, args)} with one
 *       {@link jpool.ship.CaptureAnalyzer} per registry (it caches). It throws
 *       {@link jpool.ship.NotShippableException} with a message for the user when something cannot
 *       be sent. Send {@code c.shipment().encode()}, {@code c.task()} and {@code c.args()}.</li>
 *   <li>When a worker lacks some of {@link jpool.ship.Shipment#hashes()}, send
 *       {@code analyzer.bytes(hash)} for each, once per worker.</li>
 *   <li>Results and exceptions: {@code PayloadCodec.decodeValue(bytes, registry.resolver(kernelLoader), limits)}, so
 *       cell-defined types come back as the kernel's own classes.</li>
 * </ol>
 *
 * <h2>Worker side</h2>
 * <ol>
 *   <li>One {@link jpool.ship.CodeCache} per kernel session, over the worker's application loader.</li>
 *   <li>Per task: {@code Shipment s = Shipment.decode(frame)}; fetch {@code cache.missing(s)} and
 *       store each with {@code cache.accept(s, hash, bytes)}; then
 *       {@code SnapshotLoader l = cache.loader(s)}, {@code l.decode(taskBytes)},
 *       {@code l.decode(argBytes)}; run with {@code l} as the thread's context loader.</li>
 *   <li>Encode results and exceptions with {@link jpool.wire.PayloadCodec}.</li>
 *   <li>The pool initializer's shipment goes to {@link jpool.ship.CodeCache#workerGlobals} instead,
 *       before any task's: the classes it lists become the worker's globals, shared by later task
 *       loaders (see {@link jpool.ship.SnapshotLoader}).</li>
 * </ol>
 */
package jpool.ship;
