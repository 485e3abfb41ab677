package jpool.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import jpool.Pool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Managed dicts, lists and namespaces changed by worker JVMs and seen here, and the other way round. */
@ExtendWith(IpcDiagnostics.class)
@Timeout(300)
class ManagedCollectionsTest extends TwoWorkerTestBase {

    private static final IpcManager m = Ipc.manager();

    /** A record key: equal values serialize to equal bytes. */
    record Point(int x, int y) implements java.io.Serializable {
    }

    @Test
    void theTutorialsWorkerFillsTheDictAndReversesTheList() throws Exception {
        ManagedDict<String, Object> d = m.dict();
        ManagedList<Integer> l = m.list(IntStream.range(0, 10).boxed().collect(Collectors.toList()));
        assertEquals("[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]", l.toString());
        pool.apply(() -> {
            d.put("name", "zhangchunhua");
            d.put("age", 21);
            d.put("job", "teacher");
            Collections.reverse(l);
            return null;
        });
        assertEquals("{name=zhangchunhua, age=21, job=teacher}", d.toString());
        assertEquals(List.of(9, 8, 7, 6, 5, 4, 3, 2, 1, 0), l);
    }

    @Test
    void fourProcessesIncrementingUnderAManagedLockLoseNoUpdate() throws Exception {
        ManagedDict<String, Integer> d = m.dict(Map.of("n", 0, "racy", 0));
        ManagedLock lock = m.lock();
        try (Pool four = IpcTestSupport.pool(4)) {
            try {
                List<IpcTestSupport.Pinned<Integer>> tasks = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    tasks.add(IpcTestSupport.on(four, w, () -> {
                        for (int i = 0; i < 1000; i++) {
                            try (ManagedHold h = lock.hold()) {
                                d.put("n", d.get("n") + 1);
                            }
                        }
                        for (int i = 0; i < 1000; i++) {
                            d.put("racy", d.get("racy") + 1); // no lock: updates may be lost
                        }
                        return 1;
                    }));
                }
                for (var t : tasks) {
                    t.get(240, TimeUnit.SECONDS);
                }
            } finally {
                four.terminate();
            }
        }
        assertEquals(4000, d.get("n"));
        System.out.println("managed dict += 1 by 4 processes x 1000: under the lock " + d.get("n")
                + ", without a lock " + d.get("racy"));
    }

    @Test
    void valuesAreCopiesInAndOut() throws Exception {
        ManagedDict<String, ArrayList<Integer>> d = m.dict();
        d.put("l", new ArrayList<>(List.of(1)));
        d.get("l").add(2); // changes the copy only, as in Python
        assertEquals(List.of(1), d.get("l"));
        ArrayList<Integer> v = d.get("l");
        v.add(2);
        d.put("l", v); // write it back
        assertEquals(List.of(1, 2), pool.apply(() -> d.get("l")));

        ManagedNamespace ns = m.namespace();
        ns.set("x", 1);
        ns.set("items", new ArrayList<>(List.of("a")));
        pool.apply(() -> {
            ns.set("x", (Integer) ns.get("x") + 10);
            ArrayList<String> items = ns.get("items");
            items.add("b"); // not stored
            ns.set("y", "from a worker");
            return null;
        });
        assertEquals(11, (Integer) ns.get("x"));
        assertEquals(List.of("a"), ns.get("items"));
        assertEquals("from a worker", ns.get("y"));
        assertEquals(java.util.Set.of("x", "items", "y"), ns.names());
        NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> ns.get("z"));
        assertTrue(e.getMessage().contains("'z'"));
        assertEquals("none", pool.apply(() -> ns.get("z", "none")));
        assertTrue(ns.remove("y"));
        assertFalse(ns.has("y"));
    }

    @Test
    void aDictIsAMapViewWithKeysComparedByTheirSerializedForm() throws Exception {
        ManagedDict<Point, String> d = m.dict();
        d.put(new Point(1, 2), "a");
        assertEquals("a", pool.apply(() -> d.get(new Point(1, 2))), "an equal key made in a worker finds it");
        assertEquals(null, pool.apply(() -> d.putIfAbsent(new Point(3, 4), "b")));
        assertEquals("b", d.putIfAbsent(new Point(3, 4), "c"));
        assertTrue(d.containsKey(new Point(3, 4)));
        assertEquals(2, d.size());
        assertTrue(d.replace(new Point(3, 4), "b", "B"));
        assertFalse(d.replace(new Point(3, 4), "b", "x"));
        assertFalse(d.remove(new Point(3, 4), "b"));
        assertEquals(Map.of(new Point(1, 2), "a", new Point(3, 4), "B"), d);
        assertEquals(Map.of(new Point(1, 2), "a", new Point(3, 4), "B"), new LinkedHashMap<>(d));
        // the entry view writes through
        for (Iterator<Map.Entry<Point, String>> it = d.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Point, String> e = it.next();
            if (e.getKey().x() == 1) {
                it.remove();
            } else {
                e.setValue("set");
            }
        }
        assertEquals(Map.of(new Point(3, 4), "set"), pool.apply(() -> d.copy()));
        d.clear();
        assertTrue(d.isEmpty());
    }

    @Test
    void aLockFreeCompareAndSetLoopLosesNoUpdate() throws Exception {
        ManagedDict<String, Integer> d = m.dict(Map.of("n", 0));
        List<IpcTestSupport.Pinned<Integer>> tasks = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            tasks.add(IpcTestSupport.on(pool, w, () -> {
                int retries = 0;
                for (int i = 0; i < 300; i++) {
                    Integer now = d.get("n");
                    while (!d.replace("n", now, now + 1)) {
                        retries++;
                        now = d.get("n");
                    }
                }
                return retries;
            }));
        }
        for (var t : tasks) {
            t.get(120, TimeUnit.SECONDS);
        }
        assertEquals(600, d.get("n"));
    }

    @Test
    void badArgumentsGiveClearErrors() throws Exception {
        ManagedList<Object> l = m.list();
        ManagedDict<Object, Object> d = m.dict();
        assertThrows(NullPointerException.class, () -> l.add(null));
        assertThrows(NullPointerException.class, () -> d.put("k", null));
        assertThrows(NullPointerException.class, () -> d.get(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.put("k", new Object()));
        assertTrue(e.getMessage().contains("Serializable"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> l.get(0));
        String remote = pool.apply(() -> {
            try {
                l.set(3, "x");
                return "no error";
            } catch (IndexOutOfBoundsException x) {
                return "IndexOutOfBoundsException: " + x.getMessage();
            }
        });
        assertTrue(remote.startsWith("IndexOutOfBoundsException: ") && remote.contains("3"), remote);
        l.add("a");
        l.add(0, "b");
        assertEquals("b", l.remove(0));
        assertEquals(List.of("a"), l);
        assertThrows(UnsupportedOperationException.class, () -> {
            Iterator<Object> it = l.iterator();
            it.next();
            it.remove();
        });
        assertThrows(IllegalArgumentException.class, () -> m.namespace().set("", 1));
    }

    @Test
    void theManagersQueueValueAndArrayAreTheIpcOnes() throws Exception {
        IpcQueue<String> q = m.queue(2);
        SharedInt v = m.value(5);
        SharedDoubleArray a = m.doubleArray(1.0, 2.0);
        pool.apply(() -> {
            q.put("from a worker");
            v.set(v.get() * 2);
            a.set(1, -a.get(1));
            return null;
        });
        assertEquals("from a worker", q.get(60, TimeUnit.SECONDS));
        assertEquals(2, q.capacity());
        assertEquals(10, v.get());
        assertEquals(-2.0, a.get(1));
        assertEquals(1.5, m.value(1.5).get());
        assertEquals(3, m.intArray(1, 2, 3).length());
    }
}
