package jpool.kernel;

import org.junit.jupiter.api.Test;

/** Runs src/test/python/worker_local_test.py: per-worker holders and runs on each worker from notebook cells. */
class WorkerLocalIT {

    @Test
    void cellHoldersKeepOneValuePerWorker() throws Exception {
        try (KernelInstall install = new KernelInstall()) {
            install.runPythonSuite("src/test/python/worker_local_test.py", 240);
        }
    }
}
