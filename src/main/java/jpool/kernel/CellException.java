package jpool.kernel;

import java.util.List;

/**
 * A cell failed: compile error, runtime exception, incomplete source, interrupt or magic usage error,
 * already formatted for Jupyter's error message.
 */
public final class CellException extends Exception {

    private final String ename;
    private final String evalue;
    private final List<String> traceback;

    public CellException(String ename, String evalue, List<String> traceback) {
        super(ename + ": " + evalue, null, false, false);
        this.ename = ename;
        this.evalue = evalue;
        this.traceback = List.copyOf(traceback);
    }

    /** The error's name, e.g. {@code java.lang.ArithmeticException} or {@code CompilationError}. */
    public String ename() {
        return ename;
    }

    /** The error's message. */
    public String evalue() {
        return evalue;
    }

    /** The lines shown to the user. */
    public List<String> traceback() {
        return traceback;
    }
}
