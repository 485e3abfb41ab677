package jpool.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jpool.NoWorkersLeft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The controller starts its workers only through its launcher, and acts on what the handles say. */
@ExtendWith(NoWorkersLeft.class)
@Timeout(120)
class WorkerLauncherTest {

    /** Starts local workers and keeps what it was asked and what it handed back. */
    static final class Recording implements WorkerLauncher {
        final List<String> ids = Collections.synchronizedList(new ArrayList<>());
        final List<WorkerHandle> handles = Collections.synchronizedList(new ArrayList<>());
        final java.util.concurrent.Semaphore launched = new java.util.concurrent.Semaphore(0);

        @Override
        public WorkerHandle launch(Launch launch) throws IOException {
            WorkerHandle h = WorkerLauncher.local().launch(launch);
            ids.add(launch.routingId().substring(0, launch.routingId().indexOf('.')));
            handles.add(h);
            launched.release();
            return h;
        }
    }

    @Test
    void workersComeFromTheLauncherAndALostOneIsLaunchedAgain() throws Exception {
        Recording launcher = new Recording();
        Controller c = Controller.start(ClusterConfig.builder().processes(2).launcher(launcher).build());
        try {
            assertEquals(null, c.awaitFirstWorker());
            assertTrue(launcher.launched.tryAcquire(2, 30, TimeUnit.SECONDS));
            assertEquals(List.of("w1", "w2"), launcher.ids);
            WorkerHandle first = launcher.handles.get(0);
            assertEquals(first.pid(), c.workers().stream().filter(w -> w.id().equals("w1")).findFirst()
                    .orElseThrow().pid(), "the pool reports the handle's process");
            first.kill();
            assertNotNull(first.onExit().get(30, TimeUnit.SECONDS));
            assertTrue(launcher.launched.tryAcquire(1, 30, TimeUnit.SECONDS), "a replacement was launched");
            assertEquals(List.of("w1", "w2", "w3"), launcher.ids);
        } finally {
            ControllerPlacementTest.stop(c);
        }
        for (WorkerHandle h : launcher.handles) {
            assertTrue(h.onExit().isDone(), "every launched worker has exited");
        }
    }

    @Test
    void aLauncherThatCannotStartWorkersBreaksThePoolWithItsReason() throws Exception {
        WorkerLauncher failing = launch -> {
            throw new IOException("no such host: tests.invalid");
        };
        Controller c = Controller.start(ClusterConfig.builder().processes(1).launcher(failing).build());
        try {
            UnitFailure f = c.awaitFirstWorker();
            assertNotNull(f);
            assertEquals(UnitFailure.Kind.START_FAILED, f.kind());
            assertEquals("cannot start a worker JVM: no such host: tests.invalid", f.message());
        } finally {
            ControllerPlacementTest.stop(c);
        }
    }

    @Test
    void theBindAddressIsChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClusterConfig.builder().bindAddress("local host"));
        assertEquals("bindAddress must be an IP address or host name, got 'local host'", e.getMessage());
        assertEquals("127.0.0.1", ClusterConfig.builder().build().bindAddress());
    }
}
