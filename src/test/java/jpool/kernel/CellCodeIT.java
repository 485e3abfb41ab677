package jpool.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs src/test/python/cell_code_test.py: notebook code on worker JVMs, through the installed kernel. */
class CellCodeIT {

    @Test
    void cellDefinedCodeGivesTheSameAnswerOnWorkers() throws Exception {
        try (KernelInstall install = new KernelInstall()) {
            install.env.put("PYTHONPATH", "src/test/python");
            int code;
            try {
                code = install.run(List.of(KernelInstall.PYTHON, "src/test/python/cell_code_test.py"), 420);
            } finally {
                Thread.sleep(500);
                List<ProcessHandle> left = install.leftoverKernels();
                assertTrue(left.isEmpty(), "kernel JVMs left running: " + left.stream()
                        .map(p -> p.pid() + " " + p.info().commandLine().orElse("")).toList());
            }
            assertEquals(0, code, "the cell-code suite failed (see its output above)");
        }
    }
}
