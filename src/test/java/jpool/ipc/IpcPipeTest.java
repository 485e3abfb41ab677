package jpool.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jpool.AsyncResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Pipes between this JVM and worker JVMs, and between two workers. */
@ExtendWith(IpcDiagnostics.class)
@Timeout(180)
class IpcPipeTest extends TwoWorkerTestBase {


    @Test
    void duplexPipeBothWaysBetweenThisJvmAndAWorker() throws Exception {
        IpcPipe p = Ipc.pipe();
        PipeConnection here = p.first();
        PipeConnection there = p.second();
        AsyncResult<Integer> echo = pool.applyAsync(() -> {
            int n = 0;
            while (true) {
                String s = there.recv();
                if (s.equals("bye")) {
                    there.send("ok, bye");
                    return n;
                }
                there.send(s.toUpperCase());
                n++;
            }
        });
        for (String s : List.of("a", "bc", "def")) {
            here.send(s);
            assertEquals(s.toUpperCase(), here.recv());
        }
        here.send("bye");
        assertEquals("ok, bye", here.recv());
        assertEquals(3, echo.get(60, TimeUnit.SECONDS));
    }

    @Test
    void theTutorialsProducerAndConsumerOnTwoWorkers() throws Exception {
        IpcPipe p = Ipc.pipe();
        PipeConnection pipe1 = p.first();
        PipeConnection pipe2 = p.second();
        var consumer = IpcTestSupport.on(pool, 0, () -> pipe2.recv());
        var producer = IpcTestSupport.on(pool, 1, () -> {
            pipe1.send("a");
            return null;
        });
        producer.get(60, TimeUnit.SECONDS);
        assertEquals("a", consumer.get(60, TimeUnit.SECONDS));
        // and back the other way, worker to worker
        var back = IpcTestSupport.on(pool, 1, () -> pipe1.recv());
        IpcTestSupport.on(pool, 0, () -> {
            pipe2.send(List.of(1, 2));
            return null;
        }).get(60, TimeUnit.SECONDS);
        assertEquals(List.of(1, 2), back.get(60, TimeUnit.SECONDS));
    }

    @Test
    void oneWayPipeReceivesOnTheFirstEndOnly() throws Exception {
        IpcPipe p = Ipc.pipe(false);
        PipeConnection reader = p.first();
        PipeConnection writer = p.second();
        assertTrue(reader.readable());
        assertFalse(reader.writable());
        assertThrows(IllegalStateException.class, () -> reader.send("x"));
        assertThrows(IllegalStateException.class, writer::recv);
        pool.apply(() -> {
            writer.sendBytes(new byte[] {1, 2, 3});
            writer.send(42);
            return null;
        });
        assertTrue(reader.poll(30, TimeUnit.SECONDS));
        assertArrayEquals(new byte[] {1, 2, 3}, reader.recvBytes());
        assertEquals(42, (Integer) reader.recv());
        assertFalse(reader.poll());
        assertFalse(reader.poll(100, TimeUnit.MILLISECONDS), "nothing more came");
    }

    @Test
    void recvAfterTheOtherEndClosedReadsWhatWasSentThenThrowsEndOfFile() throws Exception {
        IpcPipe p = Ipc.pipe();
        PipeConnection here = p.first();
        PipeConnection there = p.second();
        pool.apply(() -> {
            for (int i = 0; i < 3; i++) {
                there.send(i);
            }
            there.close();
            return null;
        });
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            got.add(here.recv());
        }
        assertEquals(List.of(0, 1, 2), got);
        assertTrue(here.poll(), "poll says a recv would not wait");
        PipeClosedException eof = assertThrows(PipeClosedException.class, here::recv);
        assertTrue(eof.getMessage().contains("other end"), eof.getMessage());
        assertThrows(PipeClosedException.class, () -> here.send("x"));
        // a worker waiting in recv when this JVM closes its end gets end of file too
        IpcPipe q = Ipc.pipe();
        PipeConnection mine = q.first();
        PipeConnection theirs = q.second();
        IpcQueue<String> ready = Ipc.queue();
        AsyncResult<String> waiting = pool.applyAsync(() -> {
            ready.put("waiting");
            try {
                theirs.recv();
                return "received";
            } catch (PipeClosedException e) {
                return "eof";
            }
        });
        assertEquals("waiting", ready.get(60, TimeUnit.SECONDS));
        mine.close();
        assertEquals("eof", waiting.get(60, TimeUnit.SECONDS));
    }

    @Test
    void recvOnAPipeWhoseOtherProcessDiedThrowsEndOfFile() throws Exception {
        IpcPipe p = Ipc.pipe();
        PipeConnection here = p.first();
        PipeConnection there = p.second();
        AsyncResult<Void> victim = pool.applyAsync(() -> {
            there.send(ProcessHandle.current().pid());
            there.recv(); // holds the end, waiting, until killed
        });
        long pid = here.<Long>recv();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL
        long t0 = System.nanoTime();
        assertThrows(PipeClosedException.class, here::recv);
        assertTrue(System.nanoTime() - t0 < 30_000_000_000L, "within a bounded time");
        assertThrows(java.util.concurrent.ExecutionException.class, () -> victim.get(60, TimeUnit.SECONDS));
    }
}
