package jpool.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each Java feature a notebook uses, run remotely and compared with local evaluation. */
class CellFeaturesTest extends NotebookTestBase {

    private List<Object> sameAsLocal(Object task, List<?> args) throws Exception {
        List<Object> local = nb.runLocal(task, args);
        List<Object> remote = nb.runRemote(nb.analyzer.capture(task, args));
        assertEquals(local, remote);
        return remote;
    }

    @Test
    void redefinedMethodOldTaskKeepsOldCodeNewTaskGetsNew() throws Exception {
        nb.eval("static int f(int x) { return x + 1; }");
        Object before = nb.task("SerFn<Integer,Integer>", "x -> f(x)");
        Capture oldCapture = nb.analyzer.capture(before, List.of(1, 2));
        nb.eval("static int f(int x) { return x * 10; }");
        Object after = nb.task("SerFn<Integer,Integer>", "x -> f(x)");
        assertEquals(List.of(10, 20), sameAsLocal(after, List.of(1, 2)));
        assertEquals(List.of(2, 3), nb.runRemote(oldCapture));
        assertEquals(List.of(2, 3), sameAsLocal(before, List.of(1, 2)), "the old lambda still calls the old f");
    }

    @Test
    void staticBoundAndConstructorMethodReferences() throws Exception {
        nb.eval("int n = 4;");
        nb.eval("class MathUtil { static int triple(int x) { return 3 * x + n; } }");
        nb.eval("record Point(int x, int y) implements Serializable { int plus(int k) { return x + y + k + n; } }");
        nb.eval("record Box(int v) implements Serializable {}");
        assertEquals(List.of(7, 10), sameAsLocal(nb.task("SerFn<Integer,Integer>", "MathUtil::triple"), List.of(1, 2)));
        nb.eval("Point p = new Point(10, 20);");
        assertEquals(List.of(35, 36), sameAsLocal(nb.task("SerFn<Integer,Integer>", "p::plus"), List.of(1, 2)));
        List<Object> boxes = sameAsLocal(nb.task("SerFn<Integer,Box>", "Box::new"), List.of(1, 2));
        assertInstanceOf(nb.cellClass("Box"), boxes.get(0), "results are instances of the kernel's Box");
    }

    @Test
    void anonymousClassReadingACellVariable() throws Exception {
        nb.eval("int offset = 1000;");
        Object task = nb.task("SerFn<Integer,Integer>",
                "new SerFn<Integer,Integer>() { public Integer apply(Integer x) { return x + offset; } }");
        assertEquals(List.of(1001, 1002), sameAsLocal(task, List.of(1, 2)));
    }

    @Test
    void capturedLocalsAndLambdasMadeByCellMethods() throws Exception {
        nb.eval("int n = 1;");
        nb.eval("static SerFn<Integer,Integer> adder(int k) { int twice = 2 * k; return x -> x + twice + n; }");
        nb.eval("static SerFn<Integer,Integer> compose(SerFn<Integer,Integer> f, SerFn<Integer,Integer> g) {"
                + " return x -> g.apply(f.apply(x)); }");
        assertEquals(List.of(8, 9), sameAsLocal(nb.task("SerFn<Integer,Integer>", "adder(3)"), List.of(1, 2)));
        assertEquals(List.of(17, 18),
                sameAsLocal(nb.task("SerFn<Integer,Integer>", "compose(adder(3), adder(4))"), List.of(1, 2)));
    }

    @Test
    void genericRecordsComeBackAsTheKernelsClass() throws Exception {
        nb.eval("record Pair<A, B>(A first, B second) implements Serializable {"
                + " <C> Pair<A, C> withSecond(C c) { return new Pair<>(first, c); } }");
        List<Object> out = sameAsLocal(nb.task("SerFn<Integer,Pair<Integer,String>>",
                "x -> new Pair<>(x, 0).withSecond(\"v\" + x)"), List.of(1, 2));
        Class<?> pair = nb.cellClass("Pair");
        assertInstanceOf(pair, out.get(0));
        assertEquals(nb.eval("new Pair<>(1, \"v1\")"), out.get(0).toString());
    }

    @Test
    void enumsWithConstantBodiesKeepTheirIdentity() throws Exception {
        nb.eval("enum Op { ADD { int apply(int a, int b) { return a + b; } }, MUL { int apply(int a, int b) { return a * b; } };"
                + " abstract int apply(int a, int b); }");
        nb.eval("enum Color { RED, GREEN, BLUE; Color next() { return values()[(ordinal() + 1) % 3]; } }");
        assertEquals(List.of(5, 6), sameAsLocal(nb.task("SerFn<Integer,Integer>", "x -> Op.ADD.apply(x, 4)"), List.of(1, 2)));
        List<Object> colors = sameAsLocal(nb.task("SerFn<Integer,Color>", "x -> Color.values()[x].next()"), List.of(0, 2));
        Class<?> color = nb.cellClass("Color");
        assertSame(color.getEnumConstants()[1], colors.get(0), "enum constants resolve to the kernel's constants");
        nb.eval("Op chosen = Op.MUL;");
        assertEquals(List.of(3, 6), sameAsLocal(nb.task("SerFn<Integer,Integer>", "x -> chosen.apply(x, 3)"), List.of(1, 2)));
    }

    @Test
    void interfacesWithDefaultMethodsAndValuesOfCellTypes() throws Exception {
        nb.eval("double factor = 2.0;");
        nb.eval("interface Shape extends Serializable { double area(); default String describe() {"
                + " return getClass().getSimpleName() + \" \" + area() * factor; } }");
        nb.eval("record Circle(double r) implements Shape { public double area() { return 3 * r * r; } }");
        nb.eval("record Square(double s) implements Shape { public double area() { return s * s; } }");
        assertEquals(List.of("Square 2.0", "Square 8.0"),
                sameAsLocal(nb.task("SerFn<Integer,String>", "x -> new Square(x).describe()"), List.of(1, 2)));
        // the task reads only `shapes`; the Circle inside needs `factor`, found through the value's class
        nb.eval("List<Shape> shapes = List.of(new Circle(1), new Square(3));");
        assertEquals(List.of("Circle 6.0", "Square 18.0"),
                sameAsLocal(nb.task("SerFn<Integer,String>", "i -> shapes.get(i).describe()"), List.of(0, 1)));
    }

    @Test
    void nestedClasses() throws Exception {
        nb.eval("class Outer { static class Inner implements Serializable { int v = 4; int get() { return v; } }"
                + " static int viaInner(int x) { return new Inner().get() * x; } }");
        assertEquals(List.of(4, 8), sameAsLocal(nb.task("SerFn<Integer,Integer>", "Outer::viaInner"), List.of(1, 2)));
    }

    @Test
    void exceptionsOfCellTypesRoundTripAsTheirOwnType() throws Exception {
        nb.eval("class BadInput extends RuntimeException { final int value;"
                + " BadInput(int v) { super(\"bad input \" + v); value = v; } }");
        Object task = nb.task("SerFn<Integer,Integer>", "x -> { if (x < 0) throw new BadInput(x); return x; }");
        List<Object> out = nb.runRemote(nb.analyzer.capture(task, List.of(1, -7)));
        assertEquals(1, out.get(0));
        Class<?> bad = nb.cellClass("BadInput");
        assertInstanceOf(bad, out.get(1));
        assertEquals("bad input -7", ((Throwable) out.get(1)).getMessage());
        var value = bad.getDeclaredField("value");
        value.setAccessible(true);
        assertEquals(-7, value.getInt(out.get(1)));
        assertTrue(((Throwable) out.get(1)).getStackTrace().length > 0, "the remote stack trace comes back");
    }

    @Test
    void staticInitializerDoesNotRunAgainOnTheWorker() throws Exception {
        nb.eval("class Noisy { static int count; static final List<String> log = new ArrayList<>();"
                + " static { SideEffects.inits.incrementAndGet(); System.out.println(\"init\"); count = 3; log.add(\"a\"); } }");
        int before = SideEffects.inits.get();
        nb.eval("Noisy.count = 42;");
        nb.eval("Noisy.log.add(\"b\");");
        int afterLocal = SideEffects.inits.get();
        assertEquals(before + 1, afterLocal, "ran once in the kernel");
        Object task = nb.task("SerFn<Integer,String>", "x -> (x + Noisy.count) + \" \" + Noisy.log");
        Capture c = nb.analyzer.capture(task, List.of(1));
        assertEquals(List.of("43 [a, b]"), nb.runRemote(c));
        assertEquals(afterLocal, SideEffects.inits.get(), "the worker did not run the static initializer");
        assertTrue(c.reads().contains("Noisy.count") && c.reads().contains("Noisy.log"), c.reads().toString());
    }

    @Test
    void mutableStaticFieldOfASerializableClassAndItsInstancesComingBack() throws Exception {
        nb.eval("class Counter implements Serializable { static int base; final int v;"
                + " Counter(int v) { this.v = v; } int total() { return base + v; }"
                + " public boolean equals(Object o) { return o instanceof Counter c && c.v == v; }"
                + " public int hashCode() { return v; } }");
        nb.eval("Counter.base = 10;");
        assertEquals(List.of(11, 12), sameAsLocal(nb.task("SerFn<Integer,Integer>", "x -> new Counter(x).total()"),
                List.of(1, 2)));
        // the worker's Counter gained a static initializer; its stream id is pinned to the kernel's
        List<Object> out = sameAsLocal(nb.task("SerFn<Integer,Counter>", "x -> new Counter(x + Counter.base)"),
                List.of(1));
        assertInstanceOf(nb.cellClass("Counter"), out.get(0));
    }

    @Test
    void aThreadOnlyQueueOrAtomicTheTaskReadsIsCopiedWithAWarningNamingTheIpcType() throws Exception {
        nb.eval("var q = new java.util.concurrent.LinkedBlockingQueue<Integer>();");
        nb.eval("class Hits { static java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger(); }");
        Object task = nb.task("SerFn<Integer,Integer>", "x -> { q.add(x); Hits.n.incrementAndGet(); return q.size(); }");
        Capture c = nb.analyzer.capture(task, List.of(5));
        assertEquals(List.of(1), nb.runRemote(c), "the worker's copy");
        assertEquals(2, c.warnings().size(), c.warnings().toString());
        String w = String.join("\n", c.warnings());
        assertTrue(w.contains("Cell variable `q` (LinkedBlockingQueue)") && w.contains("Ipc.queue()"), w);
        assertTrue(w.contains("Hits.n (AtomicInteger)") && w.contains("Ipc.sharedInt"), w);
        assertEquals("0", nb.eval("q.size()"), "nothing came back to the cell's queue");
        // a queue captured by a lambda inside a method is not named, and its inner lock and counter do not warn
        nb.eval("static SerFn<Integer,Integer> adder() { var local = new java.util.concurrent.ArrayBlockingQueue<Integer>(4);"
                + " return x -> { local.add(x); return local.size(); }; }");
        List<String> inner = nb.analyzer.capture(nb.task("SerFn<Integer,Integer>", "adder()"), List.of(1)).warnings();
        assertEquals(1, inner.size(), inner.toString());
        assertTrue(inner.get(0).startsWith("A value the task captures (ArrayBlockingQueue)"), inner.get(0));
                // a plain value warns of nothing
        assertTrue(nb.analyzer.capture(nb.task("SerFn<Integer,Integer>", "x -> x + 1"), List.of(1)).warnings().isEmpty());
    }

    @Test
    void staticStateThatCannotBeShippedKeepsItsInitializerWithAWarning() throws Exception {
        nb.eval("class Fmt { static final java.time.format.DateTimeFormatter F ="
                + " java.time.format.DateTimeFormatter.ofPattern(\"yyyy/MM/dd\"); }");
        Object task = nb.task("SerFn<Integer,String>", "d -> Fmt.F.format(java.time.LocalDate.of(2024, 1, d))");
        Capture c = nb.analyzer.capture(task, List.of(5));
        assertEquals(List.of("2024/01/05"), nb.runRemote(c));
        assertEquals(1, c.warnings().size(), c.warnings().toString());
        assertTrue(c.warnings().get(0).contains("Fmt"), c.warnings().get(0));
    }

    @Test
    void identicalSnapshotsShareALoaderAndDifferentOnesDoNot() throws Exception {
        nb.eval("int n = 5;");
        nb.eval("static int g(int x) { return x + n; }");
        Object task = nb.task("SerFn<Integer,Integer>", "x -> g(x)");
        Capture a = nb.analyzer.capture(task, List.of(1));
        Capture b = nb.analyzer.capture(task, List.of(2));
        assertEquals(a.shipment().id(), b.shipment().id());
        assertSame(nb.ship(a), nb.ship(b));
        nb.eval("n = 6;");
        Capture c = nb.analyzer.capture(task, List.of(1));
        assertNotSame(nb.ship(a), nb.ship(c));
        assertEquals(2, nb.worker.loaderCount());
    }
}
