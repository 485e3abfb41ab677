package jpool.ipc;

/**
 * The two ends of a pipe, as Python's {@code Pipe()} returns them: {@code var p = Ipc.pipe();
 * var a = p.first(); var b = p.second();}. For a one-way pipe ({@code Ipc.pipe(false)}) the first end
 * only receives and the second only sends, in Python's order {@code (reader, writer)}.
 *
 * Serializable, so that a lambda may capture the pair; each end arrives as a handle of the same pipe.
 *
 * @param first the first end (the reader of a one-way pipe)
 * @param second the second end (the writer of a one-way pipe)
 */
public record IpcPipe(PipeConnection first, PipeConnection second) implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
}
