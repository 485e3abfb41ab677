package jpool.kernel;

import org.junit.jupiter.api.Test;

/** Runs src/test/python/px_magics_test.py: %%px, %px, %pxresult and %%task from notebook cells on a pool of three. */
class PxMagicsIT {

    @Test
    void cellBodiesRunOnEachWorkerAndAsTasks() throws Exception {
        try (KernelInstall install = new KernelInstall()) {
            install.runPythonSuite("src/test/python/px_magics_test.py", 420);
        }
    }
}
