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
}
