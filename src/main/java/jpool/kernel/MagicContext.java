package jpool.kernel;

import java.nio.file.Path;
import java.util.List;

/** What a magic can do in the kernel. */
public interface MagicContext {

    /**
     * Evaluates cell text (Java, may contain magics) as if it were a cell, output going to the current cell.
     *
     * @return the value of the last expression, or null
     * @throws Exception the cell's error (a compile or runtime error is a {@link CellException})
     */
    Object evalCell(String code) throws Exception;

    /** Adds jars or folders to the class path of cell code (and records them for shipping to workers). */
    void addToClasspath(List<Path> entries);

    /** The kernel's working directory, against which relative paths are resolved. */
    Path workingDirectory();

    /** The magic registry, e.g. to list magics. */
    Magics magics();

    /**
     * Declares a cell variable {@code name} of {@code type} holding {@code value}, as the cell {@code TYPE NAME
     * = value;} would (replacing a variable of that name, as JShell does); later cells use it.
     *
     * @param type the variable's type as Java source, fully qualified (e.g. {@code jpool.Pool}); {@code value}
     *     must be an instance of it
     * @throws IllegalArgumentException if {@code name} is not a Java variable name
     * @throws Exception the declaring cell's error (a {@link CellException})
     */
    default void declareVariable(String type, String name, Object value) throws Exception {
        CellHandoff.Handed handed = CellHandoff.declaration(type, name, value);
        try {
            evalCell(handed.code());
        } finally {
            CellHandoff.drop(handed.ticket()); // taken by the cell, unless it failed before
        }
    }

    /**
     * Evaluates Java (no magics) in the notebook's state as part of the current cell: its output goes to the
     * cell, its value is not shown. Lines are counted from {@code firstLine}: an error on the first line of
     * {@code java} is reported at cell line {@code firstLine + 1}.
     *
     * @return the value of the last snippet when it is an expression (or names a variable), else null
     * @throws CellException a compile or runtime error (ename {@code CompilationError} if it did not compile)
     */
    Object evalJava(String java, int firstLine) throws CellException;

    /** The line of the current cell (0-based) at which the running magic stands: its {@code %%} or {@code %} line. */
    int magicLine();

    /**
     * Runs the action on the kernel's thread at the start of every cell from now on, before the cell's code
     * (e.g. to bind a variable to the result of work that has finished meanwhile). A failing action is logged.
     */
    void onCellStart(Runnable action);

    /**
     * The stack frames of an exception thrown by cell code, here or on a worker (not of its causes), as the
     * kernel shows them: {@code "    at ..."}, cell code as cell and line, without jpool's own frames and the
     * machinery below the last frame of cell code.
     */
    List<String> frames(Throwable t);

    /** JShell's analysis of source text in the notebook's state (e.g. to split Java into snippets). */
    jdk.jshell.SourceCodeAnalysis analysis() throws CellException;
}
