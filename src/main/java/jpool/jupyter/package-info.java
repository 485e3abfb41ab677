/**
 * The Jupyter messaging protocol 5.3, kernel side, on JeroMQ and Gson: connection files
 * ({@link jpool.jupyter.ConnectionInfo}), HMAC signing ({@link jpool.jupyter.Signer}), the wire format
 * ({@link jpool.jupyter.WireCodec}), and {@link jpool.jupyter.JupyterServer}, which owns the shell, control,
 * stdin, iopub and heartbeat sockets on one poller thread and dispatches requests to registered
 * {@link jpool.jupyter.RequestHandler}s. Comms are in {@link jpool.jupyter.CommManager}.
 *
 * <p>This package knows nothing of Java evaluation; it does not depend on {@code jpool.kernel}.
 */
package jpool.jupyter;
