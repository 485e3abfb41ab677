package jpool.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs src/test/python/kernel_e2e_test.py against the kernel installed from the built jar. */
class KernelE2EIT {

    @Test
    void kernelPassesTheJupyterClientSuite() throws Exception {
        try (KernelInstall install = new KernelInstall()) {
            int code;
            try {
                code = install.run(List.of(KernelInstall.PYTHON, "src/test/python/kernel_e2e_test.py"), 420);
            } finally {
                Thread.sleep(500);
                List<ProcessHandle> left = install.leftoverKernels();
                assertTrue(left.isEmpty(), "kernel JVMs left running: " + left.stream()
                        .map(p -> p.pid() + " " + p.info().commandLine().orElse("")).toList());
            }
            assertEquals(0, code, "the end-to-end suite failed (see its output above)");
        }
    }
}
