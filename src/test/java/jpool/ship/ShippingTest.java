package jpool.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShippingTest extends NotebookTestBase {

    @Test
    void cellVariablesMethodsAndRecordsGiveTheLocalAnswer() throws Exception {
        nb.eval("int n = 5;");
        nb.eval("record Point(int x, int y) implements Serializable {}");
        nb.eval("static int sq(int v) { return v * v + n; }");
        Object task = nb.task("SerFn<Integer,Integer>", "x -> sq(x) + new Point(x, 1).x()");
        List<Integer> args = List.of(1, 2, 3);
        assertEquals(List.of(7, 11, 17), nb.runLocal(task, args));

        Capture c = nb.analyzer.capture(task, args);
        assertEquals(List.of("n"), c.reads());
        assertEquals(List.of(7, 11, 17), nb.runRemote(c));

        nb.eval("n = 100;");
        Object task2 = nb.task("SerFn<Integer,Integer>", "x -> sq(x) + new Point(x, 1).x()");
        Capture c2 = nb.analyzer.capture(task2, args);
        assertNotEquals(c.shipment().id(), c2.shipment().id());
        assertEquals(List.of(102, 106, 112), nb.runRemote(c2));
        assertEquals(List.of(7, 11, 17), nb.runRemote(c), "the old shipment keeps the old value");
        // the same lambda object re-captured after the change also sees the new value
        assertEquals(List.of(102, 106, 112), nb.runRemote(nb.analyzer.capture(task, args)));
    }
}
