package jpool.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Executes the teaching notebooks with nbconvert; any cell error fails the test. */
class NotebookIT {

    @Test
    void javaKernelTourRunsWithoutErrors() throws Exception {
        execute("00-java-kernel-tour.ipynb");
    }

    @Test
    void notebookCodeOnWorkersRunsWithoutErrors() throws Exception {
        execute("01-notebook-code-on-workers.ipynb");
    }

    private static void execute(String notebook) throws Exception {
        try (KernelInstall install = new KernelInstall()) {
            Path out = Path.of("target", "notebooks").toAbsolutePath();
            Files.createDirectories(out);
            int code = install.run(List.of("/usr/bin/jupyter", "nbconvert", "--to", "notebook", "--execute",
                    "--ExecutePreprocessor.kernel_name=jpool", "--ExecutePreprocessor.timeout=300",
                    "--output-dir", out.toString(), "notebooks/" + notebook), 400);
            // nbconvert exits non-zero on any error outside cells tagged raises-exception
            assertEquals(0, code, "nbconvert --execute of " + notebook + " failed: a cell raised an error (see above)");
            assertTrue(Files.exists(out.resolve(notebook)));
            assertTrue(install.leftoverKernels().isEmpty(), "nbconvert left a kernel running");
        }
    }
}
