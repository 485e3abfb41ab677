package jpool.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import jpool.AsyncResult;
import jpool.Pool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Queues between this JVM and pool worker JVMs, and between workers, over real sockets. */
@ExtendWith(IpcDiagnostics.class)
@Timeout(180)
class IpcQueueTest extends TwoWorkerTestBase {


    @Test
    void producerAndConsumerTasksOnTwoWorkersShareAQueue() throws Exception {
        // The tutorial's lesson: Python's plain Queue given to Pool workers prints nothing; ours works.
        IpcQueue<String> q = Ipc.queue();
        var consumer = IpcTestSupport.on(pool, 0, () -> q.get() + " from " + q.get());
        var producer = IpcTestSupport.on(pool, 1, () -> {
            q.put("a");
            q.put("b");
            return null;
        });
        producer.get(60, TimeUnit.SECONDS);
        assertEquals("a from b", consumer.get(60, TimeUnit.SECONDS));
        assertTrue(q.isEmpty());
    }

    @Test
    void boundedQueueBlocksTheProducerAndKeepsOrder() throws Exception {
        IpcQueue<Integer> q = Ipc.queue(2);
        IpcQueue<String> signals = Ipc.queue();
        assertEquals(2, q.capacity());
        AsyncResult<Integer> producer = pool.applyAsync(() -> {
            int full = 0;
            for (int i = 1; i <= 20; i++) {
                if (!q.offer(i)) {
                    if (full++ == 0) {
                        signals.put("full");
                    }
                    q.put(i); // waits in the owner until this JVM takes one
                }
            }
            q.put(-1);
            return full;
        });
        assertEquals("full", signals.get(60, TimeUnit.SECONDS));
        assertEquals(2, q.size());
        List<Integer> got = new ArrayList<>();
        for (Integer x = q.get(60, TimeUnit.SECONDS); x != -1; x = q.get(60, TimeUnit.SECONDS)) {
            got.add(x);
            assertTrue(q.size() <= 2, "never more than the capacity");
        }
        assertEquals(java.util.stream.IntStream.rangeClosed(1, 20).boxed().toList(), got);
        assertTrue(producer.get(60, TimeUnit.SECONDS) > 0, "the producer found the queue full at least once");
    }

    @Test
    void getWithTimeoutThrowsEmptyInTheOwnerAndInAWorker() throws Exception {
        IpcQueue<String> q = Ipc.queue();
        long t0 = System.nanoTime();
        QueueEmptyException e = assertThrows(QueueEmptyException.class, () -> q.get(150, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - t0 >= 150_000_000L, "waited the timeout");
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        String remote = pool.apply(() -> {
            long s = System.nanoTime();
            try {
                q.get(300, TimeUnit.MILLISECONDS);
                return "got something";
            } catch (QueueEmptyException x) {
                return "empty after " + ((System.nanoTime() - s) >= 300_000_000L ? "the timeout" : "too short a wait");
            }
        });
        assertEquals("empty after the timeout", remote);
        assertNull(q.poll());
        assertNull(pool.apply(() -> q.poll()));
        q.put("later");
        assertEquals("later", pool.apply(() -> q.get(10, TimeUnit.SECONDS)), "the timed-out waiter took nothing");
    }

    @Test
    void putWithTimeoutOnAFullQueueThrowsFull() throws Exception {
        IpcQueue<Integer> q = Ipc.queue(1);
        q.put(1);
        assertFalse(q.offer(2));
        assertThrows(QueueFullException.class, () -> q.put(2, 100, TimeUnit.MILLISECONDS));
        String remote = pool.apply(() -> {
            try {
                q.put(3, 200, TimeUnit.MILLISECONDS);
                return "added";
            } catch (QueueFullException x) {
                return q.offer(4) ? "offer added" : "full, size " + q.size();
            }
        });
        assertEquals("full, size 1", remote);
        assertEquals(1, q.get());
        assertTrue(q.isEmpty(), "the puts that timed out added nothing");
    }

    @Test
    void joinableQueueJoinReturnsOnlyAfterEveryTaskDone() throws Exception {
        JoinableIpcQueue<Integer> q = Ipc.joinableQueue();
        IpcQueue<Integer> processed = Ipc.queue();
        AsyncResult<Void> consumer = pool.applyAsync(() -> {
            while (true) {
                int item = q.get();
                if (item < 0) {
                    q.taskDone();
                    return;
                }
                Thread.sleep(20); // "useful work"
                processed.put(item);
                q.taskDone();
            }
        });
        for (int i = 1; i <= 4; i++) {
            q.put(i);
        }
        assertTrue(q.join(60, TimeUnit.SECONDS), "all four marked done");
        assertEquals(4, processed.size(), "join returned only after the consumer processed every item");
        assertEquals(0, q.unfinished());
        q.put(-1);
        consumer.get(60, TimeUnit.SECONDS);
        q.join(); // at once: nothing unfinished
        // join with a timeout while something is unfinished
        q.put(7);
        assertFalse(q.join(100, TimeUnit.MILLISECONDS));
        assertFalse(pool.apply(() -> q.join(100, TimeUnit.MILLISECONDS)));
        assertEquals(7, q.get());
        AsyncResult<Boolean> remoteJoin = pool.applyAsync(() -> q.join(60, TimeUnit.SECONDS));
        q.taskDone();
        assertTrue(remoteJoin.get(60, TimeUnit.SECONDS), "a join waiting in a worker returns when the count is zero");
    }

    @Test
    void aPutFromAnInterruptedThreadArrivesAndKeepsTheInterrupt() throws Exception {
        // A notebook user's interrupt, a cancelled task: the thread's flag is set when it calls the queue.
        @SuppressWarnings("unchecked")
        IpcQueue<String> q = (IpcQueue<String>) pool.apply(() -> List.<Object>of(Ipc.queue())).get(0);
        for (int i = 0; i < 3; i++) {
            Thread.currentThread().interrupt();
            q.put("while interrupted " + i); // no exception from the transport
            assertTrue(Thread.interrupted(), "the caller's interrupt status is kept");
        }
        for (int i = 0; i < 3; i++) {
            assertEquals("while interrupted " + i, q.get(30, TimeUnit.SECONDS));
        }
        q.put("after");
        assertEquals("after", q.get(30, TimeUnit.SECONDS));
    }

    @Test
    void oneTaskDoneTooManyIsAnError() throws Exception {
        JoinableIpcQueue<String> q = Ipc.joinableQueue();
        q.put("x");
        assertEquals("x", q.get());
        q.taskDone();
        IllegalStateException local = assertThrows(IllegalStateException.class, q::taskDone);
        assertTrue(local.getMessage().contains("taskDone() called more times"), local.getMessage());
        ExecutionException remote = assertThrows(ExecutionException.class, () -> pool.apply(() -> {
            q.taskDone();
            return "no error";
        }));
        assertInstanceOf(IllegalStateException.class, remote.getCause(), String.valueOf(remote.getCause()));
        assertTrue(remote.getCause().getMessage().contains("taskDone() called more times"));
        assertEquals(0, q.unfinished(), "the count stays at zero");
    }

    @Test
    void simpleQueueCrossesToAWorkerAndBack() throws Exception {
        SimpleIpcQueue<List<Integer>> q = Ipc.simpleQueue();
        pool.apply(() -> {
            q.put(List.of(1, 2, 3));
            return null;
        });
        assertEquals(List.of(1, 2, 3), q.get());
        assertTrue(q.isEmpty());
    }

    @Test
    void elementsAreCopiesAndBadElementsAreRefusedWithoutLoss() throws Exception {
        IpcQueue<Object> q = Ipc.queue();
        int[] a = {1};
        q.put(a);
        a[0] = 99;
        assertEquals(1, ((int[]) q.get())[0], "put copies, as Python pickles");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> q.put(new Object()));
        assertTrue(bad.getMessage().contains("java.lang.Object"), bad.getMessage());
        assertThrows(NullPointerException.class, () -> q.put(null));
        assertEquals(0, q.size(), "nothing was added");
        assertThrows(IllegalArgumentException.class, () -> Ipc.queue(0));
        assertThrows(IllegalArgumentException.class, () -> q.get(-1, TimeUnit.SECONDS));
        q.close();
        assertThrows(IllegalStateException.class, () -> q.put("x"));
    }

    @Test
    void inTheOwnerAQueueThatComesBackIsTheSameObject() throws Exception {
        IpcQueue<String> q = Ipc.queue();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(q);
        }
        Object back = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();
        assertSame(q, back, "the owner's own calls go straight to the queue");
        // and a queue sent to a worker and returned by it is this JVM's queue again
        assertSame(q, pool.apply(() -> q));
    }

    @Test
    void hundredThousandItemsFromTwoProducersToTwoConsumersArriveExactlyOnce() throws Exception {
        // Producers: a worker task (its puts do not wait for the owner) and a thread of the owner;
        // consumers: a worker task (each get a request to the owner) and a thread of the owner.
        IpcQueue<Integer> q = Ipc.queue();
        int per = 50_000;
        var remoteConsumer = IpcTestSupport.on(pool, 0, () -> drain(q, 2 * per));
        var remoteProducer = IpcTestSupport.on(pool, 1, () -> {
            produce(q, 0, per);
            return null;
        });
        java.util.concurrent.CompletableFuture<int[]> localConsumer = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return drain(q, 2 * per);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
        produce(q, per, per);
        remoteProducer.get(300, TimeUnit.SECONDS);
        BitSet seen = new BitSet(2 * per);
        int total = 0;
        List<int[]> parts = List.of(remoteConsumer.get(300, TimeUnit.SECONDS), localConsumer.get(300, TimeUnit.SECONDS));
        for (int[] part : parts) {
            for (int x : part) {
                assertFalse(seen.get(x), "item " + x + " arrived twice");
                seen.set(x);
                total++;
            }
        }
        assertEquals(2 * per, total, "remote consumer took " + parts.get(0).length);
        assertEquals(2 * per, seen.cardinality());
        assertTrue(q.isEmpty());
    }

    static void produce(IpcQueue<Integer> q, int base, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            q.put(base + i);
        }
        q.put(-1); // one end mark per producer: each consumer stops at the one it takes
    }

    static int[] drain(IpcQueue<Integer> q, int max) throws InterruptedException {
        int[] got = new int[max];
        int n = 0;
        for (int x = q.get(); x >= 0; x = q.get()) {
            got[n++] = x;
        }
        return java.util.Arrays.copyOf(got, n);
    }
}
