package jpool.kernel;

import org.junit.jupiter.api.Test;

/**
 * Runs the Jupyter community's kernel conformance suite (jupyter_kernel_test, from Debian's
 * python3-jupyter-kernel-test) against the kernel installed from the built jar:
 * src/test/python/conformance_test.py.
 */
class KernelConformanceIT {

    @Test
    void kernelPassesJupyterKernelTest() throws Exception {
        try (KernelInstall install = new KernelInstall()) {
            install.runPythonSuite("src/test/python/conformance_test.py", 300);
        }
    }
}
