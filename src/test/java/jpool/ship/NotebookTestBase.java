package jpool.ship;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh in-process {@link Notebook} (JShell plus its own class registry) for every test. */
abstract class NotebookTestBase {
    Notebook nb;

    @BeforeEach
    void openNotebook() {
        nb = new Notebook();
    }

    @AfterEach
    void closeNotebook() {
        nb.close();
    }
}
