package jpool.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jpool.NoWorkersLeft;
import jpool.wire.Invocable;
import jpool.wire.Limits;
import jpool.wire.TaskCodec;
import jpool.wire.UnitResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Placements and listener failures through a real controller, with real worker JVMs. */
@ExtendWith(NoWorkersLeft.class)
@Timeout(120)
class ControllerPlacementTest {

    /** Returns the process id of the worker that runs it. */
    record Pid() implements Invocable {
        @Override
        public Object invoke(Object argument) {
            return ProcessHandle.current().pid();
        }
    }

    /** Halts the worker JVM with the given process id; elsewhere returns the process id. */
    record HaltOn(long victim) implements Invocable {
        @Override
        public Object invoke(Object argument) {
            if (ProcessHandle.current().pid() == victim) {
                Runtime.getRuntime().halt(1);
            }
            return ProcessHandle.current().pid();
        }
    }

    /** Records outcomes as "completed index worker value" and "failed index worker kind"; counts them down. */
    static class Recorder implements JobListener {
        final List<String> outcomes = Collections.synchronizedList(new ArrayList<>());
        final List<String> copies = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch resolved;

        Recorder(int units) {
            resolved = new CountDownLatch(units);
        }

        @Override
        public void dispatched(int index, String workerId) {
        }

        @Override
        public void started(int index, String workerId, long startedMicros) {
        }

        @Override
        public void output(int index, String workerId, int stream, byte[] utf8) {
        }

        @Override
        public void completed(int index, String workerId, UnitResult result) {
            try {
                Object value = TaskCodec.decodeValues(result, getClass().getClassLoader(), Limits.DEFAULT)[0];
                outcomes.add("completed " + index + " " + workerId + " " + value);
            } catch (Exception e) {
                outcomes.add("completed " + index + " " + workerId + " undecodable " + e);
            }
            resolved.countDown();
        }

        @Override
        public void failed(int index, UnitFailure failure) {
            outcomes.add("failed " + index + " " + failure.workerId() + " " + failure.kind());
            resolved.countDown();
        }

        @Override
        public void copied(int index, List<String> workerIds) {
            copies.add(index + " " + workerIds);
        }

        List<String> await() throws InterruptedException {
            assertTrue(resolved.await(60, TimeUnit.SECONDS), "outcomes so far: " + outcomes);
            List<String> sorted = new ArrayList<>(outcomes);
            Collections.sort(sorted);
            return sorted;
        }
    }

    static JobSubmission job(Invocable fn, int units, JobListener listener, Placement placement)
            throws Exception {
        List<JobSubmission.Unit> list = new ArrayList<>();
        for (int i = 0; i < units; i++) {
            list.add(new JobSubmission.Unit(i, 1, TaskCodec.encodeArguments(new Object[] {i})));
        }
        return new JobSubmission(TaskCodec.encodeFunction(fn), list, listener, null, placement);
    }

    static Controller start(int processes, int retries) throws Exception {
        Controller c = Controller.start(ClusterConfig.builder().processes(processes).retries(retries).build());
        assertNull(c.awaitFirstWorker());
        return c;
    }

    static void stop(Controller c) throws InterruptedException {
        c.terminate();
        assertTrue(c.awaitTermination(30, TimeUnit.SECONDS));
    }

    private static Map<String, Long> pids(Controller c) {
        Map<String, Long> pids = new TreeMap<>();
        for (WorkerInfo w : c.workers()) {
            pids.put(w.id(), w.pid());
        }
        return pids;
    }

    @Test
    void aListenerThatThrowsIsReportedAndTheControllerCarriesOn() throws Exception {
        Controller c = start(1, 0);
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            Recorder throwing = new Recorder(1) {
                @Override
                public void completed(int index, String workerId, UnitResult result) {
                    super.completed(index, workerId, result);
                    throw new IllegalStateException("a bug in the listener");
                }
            };
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            long jobId = c.newJobId();
            c.submit(jobId, job(new Pid(), 1, throwing, Placement.any()));
            assertEquals(1, throwing.await().size());
            Recorder next = new Recorder(2);
            c.submit(c.newJobId(), job(new Pid(), 2, next, Placement.any()));
            assertEquals(2, next.await().size(), "the controller still runs jobs");
            assertEquals(0, c.stats().droppedMalformed(), "a listener's bug is not a malformed message");
            System.setErr(saved);
            String text = err.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("the listener of job " + jobId + " threw on 'completed'"), text);
            assertTrue(text.contains("a bug in the listener"), text);
        } finally {
            System.setErr(saved);
            stop(c);
        }
    }

    @Test
    void everyWorkerRunsOneCopyAndAGivenWorkerRunsAllItsUnits() throws Exception {
        Controller c = start(2, 0);
        try {
            Map<String, Long> pids = pids(c);
            assertEquals(List.of("w1", "w2"), new ArrayList<>(pids.keySet()));
            Recorder every = new Recorder(2);
            c.submit(c.newJobId(), job(new Pid(), 1, every, Placement.onEveryWorker()));
            assertEquals(List.of("completed 0 w1 " + pids.get("w1"), "completed 0 w2 " + pids.get("w2")),
                    every.await());
            assertEquals(List.of("0 [w1, w2]"), every.copies);

            Recorder onW2 = new Recorder(3);
            c.submit(c.newJobId(), job(new Pid(), 3, onW2, Placement.onWorker("w2")));
            String w2 = " w2 " + pids.get("w2");
            assertEquals(List.of("completed 0" + w2, "completed 1" + w2, "completed 2" + w2), onW2.await());

            Recorder nowhere = new Recorder(1);
            c.submit(c.newJobId(), job(new Pid(), 1, nowhere, Placement.onWorker("w9")));
            assertEquals(List.of("failed 0 w9 WORKER_LOST"), nowhere.await());
        } finally {
            stop(c);
        }
    }

    @Test
    void aCopyWhoseWorkerDiesFailsWithWorkerLostAndIsNotRetriedElsewhere() throws Exception {
        Controller c = start(2, 2);
        try {
            Map<String, Long> pids = pids(c);
            Recorder every = new Recorder(2);
            c.submit(c.newJobId(), job(new HaltOn(pids.get("w1")), 1, every, Placement.onEveryWorker()));
            assertEquals(List.of("completed 0 w2 " + pids.get("w2"), "failed 0 w1 WORKER_LOST"), every.await());
            assertEquals(0, c.stats().unitsRetried());
            assertEquals(1, c.stats().workersLost());
        } finally {
            stop(c);
        }
    }
}
