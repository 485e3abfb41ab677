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
}
