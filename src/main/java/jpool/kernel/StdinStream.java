package jpool.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** System.in of cell code: each line is asked from the frontend with an input_request when it is needed. */
final class StdinStream extends InputStream {

    private final Notebook.InputSource source;
    private byte[] line = new byte[0];
    private int pos;

    StdinStream(Notebook.InputSource source) {
        this.source = source;
    }

    private boolean fill() throws IOException {
        if (pos < line.length) {
            return true;
        }
        String text = source.readLine("", false);
        if (text == null) {
            return false;
        }
        line = (text + "\n").getBytes(StandardCharsets.UTF_8);
        pos = 0;
        return true;
    }

    @Override
    public synchronized int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return line[pos++] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, line.length - pos);
        System.arraycopy(line, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public synchronized int available() {
        return line.length - pos;
    }

    /** Forgets unread input (at the start of a cell). */
    synchronized void reset0() {
        line = new byte[0];
        pos = 0;
    }
}
