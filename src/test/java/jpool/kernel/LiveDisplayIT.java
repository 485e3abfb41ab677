package jpool.kernel;

import org.junit.jupiter.api.Test;

/** Runs src/test/python/live_display_test.py against the kernel installed from the built jar. */
class LiveDisplayIT {

    @Test
    void liveDisplaysPassTheJupyterClientSuite() throws Exception {
        try (KernelInstall install = new KernelInstall()) {
            install.runPythonSuite("src/test/python/live_display_test.py", 180);
        }
    }
}
