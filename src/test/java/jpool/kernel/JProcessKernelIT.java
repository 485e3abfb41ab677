package jpool.kernel;

import org.junit.jupiter.api.Test;

/** Runs src/test/python/jprocess_test.py: JProcess subclasses and targets written in notebook cells. */
class JProcessKernelIT {

    @Test
    void cellDefinedProcessesRunAndPrintInTheirCell() throws Exception {
        try (KernelInstall install = new KernelInstall()) {
            install.runPythonSuite("src/test/python/jprocess_test.py", 300);
        }
    }
}
