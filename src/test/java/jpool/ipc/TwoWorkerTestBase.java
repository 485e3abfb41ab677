package jpool.ipc;

import jpool.Pool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The IPC test classes that share one pool of two worker JVMs per class: started before the first test,
 * stopped after the last ({@link IpcTestSupport#stop}, which terminates tasks a failed test left waiting).
 */
abstract class TwoWorkerTestBase {

    static Pool pool;

    @BeforeAll
    static void startPool() {
        pool = IpcTestSupport.pool(2);
    }

    @AfterAll
    static void stopPool() throws InterruptedException {
        IpcTestSupport.stop(pool);
        pool = null;
    }
}
