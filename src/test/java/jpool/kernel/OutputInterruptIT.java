package jpool.kernel;

import org.junit.jupiter.api.Test;

/**
 * Runs src/test/python/output_interrupt_test.py against the kernel installed from the built jar: task output in
 * the submitting cell (labelled, per stream, bounded, never under a later cell) and interrupts that cancel pool
 * calls.
 */
class OutputInterruptIT {

    @Test
    void taskOutputAndInterruptsPassTheJupyterClientSuite() throws Exception {
        try (KernelInstall install = new KernelInstall()) {
            install.runPythonSuite("src/test/python/output_interrupt_test.py", 180);
        }
    }
}
