package jpool.ipc;

import java.io.EOFException;

/**
 * End of file on a pipe (Python's {@code EOFError} from {@code recv}, {@code BrokenPipeError} from
 * {@code send}): the other end was closed, the process holding it died, or the JVM that owns the pipe
 * is gone. Messages buffered before that were delivered first.
 */
public class PipeClosedException extends EOFException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says which end and why. */
    public PipeClosedException(String message) {
        super(message);
    }
}
