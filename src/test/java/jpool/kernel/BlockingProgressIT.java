package jpool.kernel;

import org.junit.jupiter.api.Test;

/**
 * Runs src/test/python/blocking_progress_test.py against the kernel installed from the built jar: the progress
 * displays of blocking pool calls and the Stop control of result displays.
 */
class BlockingProgressIT {

    @Test
    void blockingCallsShowTheirProgressAndDisplaysStopTheirResults() throws Exception {
        try (KernelInstall install = new KernelInstall()) {
            install.runPythonSuite("src/test/python/blocking_progress_test.py", 240);
        }
    }
}
