package jpool.kernel;

import org.junit.jupiter.api.Test;

/** Runs src/test/python/cell_code_test.py: notebook code on worker JVMs, through the installed kernel. */
class CellCodeIT {

    @Test
    void cellDefinedCodeGivesTheSameAnswerOnWorkers() throws Exception {
        try (KernelInstall install = new KernelInstall()) {
            install.runPythonSuite("src/test/python/cell_code_test.py", 420);
        }
    }
}
