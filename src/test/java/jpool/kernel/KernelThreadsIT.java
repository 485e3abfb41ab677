package jpool.kernel;

import org.junit.jupiter.api.Test;

/**
 * Runs src/test/python/kernel_threads_test.py against the kernel installed from the built jar: cells that
 * start threads or create pools never hang, and an interrupt stops only the cell's own code.
 */
class KernelThreadsIT {

    @Test
    void cellThreadsNeitherHoldNorDieWithTheCell() throws Exception {
        try (KernelInstall install = new KernelInstall()) {
            install.runPythonSuite("src/test/python/kernel_threads_test.py", 900);
        }
    }
}
