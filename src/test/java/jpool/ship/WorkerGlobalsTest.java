package jpool.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The worker's globals (issue 7, item 2): the pool initializer's shipment defines classes that the
 * task snapshots after it share, on the worker side of shipping ({@link CodeCache#workerGlobals}).
 */
class WorkerGlobalsTest extends NotebookTestBase {

    /** Ships the initializer's capture as the worker's globals and runs it there, as a worker does. */
    @SuppressWarnings("unchecked")
    private SnapshotLoader initialize(Capture init) throws Exception {
        Shipment s = Shipment.decode(init.shipment().encode());
        for (String h : nb.worker.missing(s)) {
            nb.worker.accept(s, h, nb.analyzer.bytes(h));
        }
        SnapshotLoader globals = nb.worker.workerGlobals(s);
        ((SerFn<Object, Object>) globals.decode(init.task())).apply(null);
        return globals;
    }

    @Test
    void tasksOfDifferentSnapshotsReadAndChangeWhatTheInitializerSet() throws Exception {
        nb.eval("int base = 3;");
        nb.eval("class Counter { static int n; static List<String> log = new ArrayList<>(); }");
        initialize(nb.analyzer.capture(nb.task("SerFn<Object,Object>",
                "x -> { Counter.n = base * 10; Counter.log.add(\"init\"); return null; }")));

        Capture read = nb.analyzer.capture(nb.task("SerFn<Integer,String>", "x -> Counter.n + x + \" \" + Counter.log"),
                List.of(1));
        assertEquals(List.of("31 [init]"), nb.runRemote(read));

        Capture bump = nb.analyzer.capture(nb.task("SerFn<Integer,Integer>",
                "x -> { Counter.log.add(\"bump\"); return Counter.n += x; }"), List.of(5));
        assertNotEquals(read.shipment().id(), bump.shipment().id());
        assertEquals(List.of(35), nb.runRemote(bump));
        assertEquals(List.of("36 [init, bump]"), nb.runRemote(read), "a third snapshot sees the second's change");
        assertEquals(0, field(nb.cellClass("Counter"), "n").getInt(null), "the kernel's value is untouched");
    }

    @Test
    void anInitializerClassDefinedInACellFillsAWorkerGlobalList() throws Exception {
        nb.eval("class Catalog { static final List<String> names = new ArrayList<>(); }");
        // Serializable (SerFn) without a serialVersionUID: its stream must still match on the worker.
        nb.eval("class Opener implements SerFn<Object, Object> { final String what; Opener(String what) {"
                + " this.what = what; } public Object apply(Object x) {"
                + " Catalog.names.add(what + \" by \" + getClass().getSimpleName()); return null; } }");
        initialize(nb.analyzer.capture(nb.task("SerFn<Object,Object>", "new Opener(\"opened\")")));
        Capture c = nb.analyzer.capture(nb.task("SerFn<Integer,String>", "x -> Catalog.names + \" \" + x"),
                List.of(1, 2));
        assertEquals(List.of("[opened by Opener] 1", "[opened by Opener] 2"), nb.runRemote(c));
    }

    @Test
    void variablesTheInitializerDoesNotReachKeepTheirSnapshotValues() throws Exception {
        nb.eval("int factor = 2;");
        nb.eval("int other = 1;");
        nb.eval("class Scale { static int by; }");
        initialize(nb.analyzer.capture(nb.task("SerFn<Object,Object>", "x -> Scale.by = factor")));
        Object task = nb.task("SerFn<Integer,Integer>", "x -> Scale.by * 100 + other * 10 + x");
        assertEquals(List.of(211), nb.runRemote(nb.analyzer.capture(task, List.of(1))));
        nb.eval("other = 5;");
        assertEquals(List.of(251), nb.runRemote(nb.analyzer.capture(task, List.of(1))), "other is the task's copy");
    }

    @Test
    void aVariableTheInitializerReadIsWorkerGlobalAndAChangeInTheKernelIsReported() throws Exception {
        nb.eval("int seed = 7;");
        nb.eval("class Seeded { static int value; }");
        Capture init = nb.analyzer.capture(nb.task("SerFn<Object,Object>", "x -> Seeded.value = seed * 10"));
        initialize(init);
        Object task = nb.task("SerFn<Integer,Integer>", "x -> Seeded.value + seed + x");
        Capture same = nb.analyzer.capture(task, List.of(1));
        assertEquals(List.of(), same.shipment().valuesHiddenByWorkerGlobals(init.shipment()));
        assertEquals(List.of(78), nb.runRemote(same));
        nb.eval("seed = 1;");
        Capture changed = nb.analyzer.capture(task, List.of(1));
        assertEquals(List.of("seed"), changed.shipment().valuesHiddenByWorkerGlobals(init.shipment()));
        assertEquals(List.of(78), nb.runRemote(changed), "the worker keeps seed as the initializer saw it");
    }

    @Test
    void sharedCellClassesWorkFromTaskLoadersAsValuesSubclassesAndResults() throws Exception {
        // Package-private class, constructor, field and method; serializable without a serialVersionUID.
        nb.eval("class Box implements Serializable { int v; Box(int v) { this.v = v; } int twice() { return 2 * v; } }");
        nb.eval("class Shelf { static Box box; }");
        initialize(nb.analyzer.capture(nb.task("SerFn<Object,Object>", "x -> Shelf.box = new Box(21)")));
        nb.eval("class BigBox extends Box { BigBox(int v) { super(v); } int twice() { return 1000 + super.twice(); } }");

        Capture c = nb.analyzer.capture(nb.task("SerFn<Box,Box>",
                "b -> new Box(b.twice() + Shelf.box.v + ((Box) new BigBox(1)).twice())"), List.of(kernelValue("new Box(4)")));
        List<Object> out = nb.runRemote(c);
        Class<?> kernelBox = nb.cellClass("Box");
        assertSame(kernelBox, out.get(0).getClass(), "the result comes back as the kernel's class: " + out);
        assertEquals(8 + 21 + 1002, field(kernelBox, "v").getInt(out.get(0)));
    }

    private static java.lang.reflect.Field field(Class<?> c, String name) throws NoSuchFieldException {
        java.lang.reflect.Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    /** An object made in the kernel by a cell expression. */
    private Object kernelValue(String expr) {
        TaskSlot.task = null;
        nb.eval("TaskSlot.task = " + expr + ";");
        return TaskSlot.task;
    }
}
