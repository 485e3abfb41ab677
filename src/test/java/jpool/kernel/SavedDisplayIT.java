package jpool.kernel;

import org.junit.jupiter.api.Test;

/** Runs src/test/python/saved_display_test.py: a notebook executed with nbclient saves its live displays finished. */
class SavedDisplayIT {

    @Test
    void executedNotebooksSaveFinishedDisplays() throws Exception {
        try (KernelInstall install = new KernelInstall()) {
            install.runPythonSuite("src/test/python/saved_display_test.py", 120);
        }
    }
}
