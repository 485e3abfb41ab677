package jpool.kernel;

import org.junit.jupiter.api.Test;

/** Runs src/test/python/kernel_e2e_test.py against the kernel installed from the built jar. */
class KernelE2EIT {

    @Test
    void kernelPassesTheJupyterClientSuite() throws Exception {
        try (KernelInstall install = new KernelInstall()) {
            install.runPythonSuite("src/test/python/kernel_e2e_test.py", 420);
        }
    }
}
