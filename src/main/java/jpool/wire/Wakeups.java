package jpool.wire;

import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * Sending the wake-up byte that ends an I/O thread's poll, from any thread.
 *
 * <p>Why this needs care: JeroMQ fails a call from a thread whose interrupt flag is set (EINTR,
 * clearing the flag), and an interrupt that arrives while it writes to its signalling channel closes
 * that channel for good (NIO's interruptible channels), which would leave the poller deaf to wake-ups.
 * So the caller's interrupt status is set aside for the send and restored after it.
 */
public final class Wakeups {

    private static final byte[] BYTE = {1};

    private Wakeups() {
    }

    /**
     * Sends one byte without blocking, keeping the calling thread's interrupt status as it was.
     * The caller synchronizes on whatever guards {@code socket}.
     *
     * @return false if the socket refused it (the poll then ends at its own timeout)
     */
    public static boolean send(ZMQ.Socket socket) {
        boolean interrupted = Thread.interrupted();
        try {
            return socket.send(BYTE, ZMQ.DONTWAIT);
        } catch (ZMQException | IllegalStateException e) {
            return false;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
