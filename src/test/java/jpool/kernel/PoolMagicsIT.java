package jpool.kernel;

import org.junit.jupiter.api.Test;

/**
 * Runs src/test/python/pool_magics_test.py: {@code %pool start|status|stop|restart|scale} through the installed
 * kernel, their bad arguments, and the end of the magic's pools when the kernel shuts down.
 */
class PoolMagicsIT {

    @Test
    void poolMagicsStartShowScaleRestartAndStopPools() throws Exception {
        try (KernelInstall install = new KernelInstall()) {
            install.runPythonSuite("src/test/python/pool_magics_test.py", 600);
        }
    }
}
