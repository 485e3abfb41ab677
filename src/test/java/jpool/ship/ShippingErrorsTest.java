package jpool.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Values that cannot be shipped give errors that name them and say what to do. */
class ShippingErrorsTest extends NotebookTestBase {

    private String error(Object task, List<?> args) {
        return assertThrows(NotShippableException.class, () -> nb.analyzer.capture(task, args)).getMessage();
    }

    @Test
    void cellVariableThatIsNotSerializable() {
        nb.eval("java.net.Socket conn = new java.net.Socket();");
        String m = error(nb.task("SerFn<Integer,Integer>", "x -> conn.isConnected() ? 0 : x"), List.of(1));
        assertEquals("The task reads cell variable `conn` of type java.net.Socket, which is not Serializable."
                + " Make the value Serializable, or create it inside the task.", m);
    }

    @Test
    void cellVariableHoldingSomethingNotSerializable() {
        nb.eval("List<Object> things = new ArrayList<>(List.of(new Object()));");
        String m = error(nb.task("SerFn<Integer,Integer>", "x -> things.size() + x"), List.of(1));
        assertTrue(m.contains("cell variable `things` of type java.util.ArrayList, which contains a java.lang.Object,"
                + " which is not Serializable"), m);
    }

    @Test
    void variableReadThroughACellMethodIsNamedToo() {
        nb.eval("Thread worker = new Thread(() -> {});");
        nb.eval("static String workerName() { return worker.getName(); }");
        String m = error(nb.task("SerFn<Integer,String>", "x -> workerName() + x"), List.of(1));
        assertTrue(m.contains("cell variable `worker` of type java.lang.Thread"), m);
    }

    @Test
    void capturedValueThatIsNotSerializable() {
        nb.eval("static SerFn<Integer,Integer> withLock(Object lock) { return x -> lock.hashCode() * 0 + x; }");
        String m = error(nb.task("SerFn<Integer,Integer>", "withLock(new Object())"), List.of(1));
        assertTrue(m.startsWith("The task captures a value of type java.lang.Object, which is not Serializable."), m);
        assertTrue(m.contains("create the value inside the task"), m);
    }

    @Test
    void capturedCellObjectThatIsNotSerializable() {
        nb.eval("class Conn { int port = 1; }");
        nb.eval("static SerFn<Integer,Integer> using(Conn c) { return x -> c.port + x; }");
        String m = error(nb.task("SerFn<Integer,Integer>", "using(new Conn())"), List.of(1));
        assertTrue(m.startsWith("The task captures a value of type Conn, which is not Serializable."), m);
    }

    @Test
    void boundMethodReferenceOnANonSerializableReceiver() {
        nb.eval("class Scaler { int k = 3; int scale(int x) { return k * x; } }");
        nb.eval("Scaler s = new Scaler();");
        String m = error(nb.task("SerFn<Integer,Integer>", "s::scale"), List.of(1));
        assertTrue(m.startsWith("The task is a method reference bound to a value of type Scaler, which is not"
                + " Serializable."), m);
    }

    @Test
    void lambdaNotTypedAsSerializable() {
        String m = error(nb.task("PlainFn<Integer,Integer>", "x -> x + 1"), List.of(1));
        assertTrue(m.startsWith("The task is a lambda of type jpool.ship.PlainFn, which is not Serializable"), m);
        assertTrue(m.contains("(jpool.ship.PlainFn & java.io.Serializable)"), m);
    }

    @Test
    void argumentThatIsNotSerializable() {
        Object task = nb.task("SerFn<Object,Integer>", "x -> x.hashCode()");
        String m = error(task, List.of(1, new Object()));
        assertTrue(m.startsWith("Argument 2 of the task is of type java.lang.Object, which is not Serializable."), m);
    }

    @Test
    void unreadNonSerializableVariablesDoNotMatter() throws Exception {
        nb.eval("java.net.Socket conn = new java.net.Socket();");
        nb.eval("int n = 2;");
        Object task = nb.task("SerFn<Integer,Integer>", "x -> x * n");
        assertEquals(List.of(6), nb.runRemote(nb.analyzer.capture(task, List.of(3))));
    }
}
