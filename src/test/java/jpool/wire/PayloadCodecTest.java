package jpool.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InvalidClassException;
import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The one codec for payloads: its limits, its compact single values, and what it tells an observer. */
class PayloadCodecTest {

    private static final Limits SMALL = new Limits(1_000_000, 10, 1000, 1000);

    private static List<Object> nested(int depth) {
        List<Object> root = new ArrayList<>();
        List<Object> cur = root;
        for (int i = 0; i < depth; i++) {
            List<Object> next = new ArrayList<>();
            cur.add(next);
            cur = next;
        }
        return root;
    }

    @Test
    void bothFormsRefuseWhatExceedsTheLimits() throws Exception {
        byte[] longArray = PayloadCodec.encodeValue(new int[10_000]);
        assertThrows(InvalidClassException.class, () -> PayloadCodec.decodeValue(longArray,
                PayloadInputStream.ClassResolver.of(null), SMALL));
        assertEquals(10_000, ((int[]) PayloadCodec.decodeValue(longArray, PayloadInputStream.ClassResolver.of(null),
                Limits.DEFAULT)).length);

        byte[] deep = PayloadCodec.serialize(nested(100));
        assertThrows(InvalidClassException.class, () -> PayloadCodec.deserialize(deep, (ClassLoader) null, SMALL));
        assertEquals(nested(100), PayloadCodec.deserialize(deep, (ClassLoader) null, Limits.DEFAULT));

        byte[] manyRefs = PayloadCodec.serialize(new ArrayList<>(java.util.Collections.nCopies(2000, "x")));
        assertEquals(2000, ((List<?>) PayloadCodec.deserialize(manyRefs, (ClassLoader) null, Limits.DEFAULT)).size());
        byte[] manyObjects = PayloadCodec.serialize(nested(5).toArray(new Object[0]));
        assertThrows(InvalidClassException.class, () -> PayloadCodec.deserialize(manyRefs, (ClassLoader) null, SMALL));
        assertEquals(1, ((Object[]) PayloadCodec.deserialize(manyObjects, (ClassLoader) null, SMALL)).length);
    }

    @Test
    void smallValuesTakeAFewBytesAndComeBackEqual() throws Exception {
        Object[] values = {null, 1, -5L, 2.5, 1.5f, (short) 3, (byte) 4, 'c', true, false, "text", "é"};
        int[] sizes = {1, 5, 9, 9, 5, 3, 2, 3, 1, 1, 5, 3}; // a tag byte, then the value's own bytes (UTF-8)
        for (int i = 0; i < values.length; i++) {
            byte[] b = PayloadCodec.encodeValue(values[i]);
            assertEquals(sizes[i], b.length, values[i] + " took " + b.length + " bytes");
            assertEquals(values[i], PayloadCodec.decodeValue(b, PayloadInputStream.ClassResolver.of(null),
                    Limits.DEFAULT));
        }
        String longString = "y".repeat(5000);
        assertEquals(longString, PayloadCodec.decodeValue(PayloadCodec.encodeValue(longString),
                PayloadInputStream.ClassResolver.of(null), Limits.DEFAULT));
        IOException unknown = assertThrows(IOException.class, () -> PayloadCodec.decodeValue(new byte[] {99},
                PayloadInputStream.ClassResolver.of(null), Limits.DEFAULT));
        assertEquals("unknown value tag 99", unknown.getMessage());
        assertThrows(IOException.class, () -> PayloadCodec.decodeValue(new byte[0],
                PayloadInputStream.ClassResolver.of(null), Limits.DEFAULT));
    }

    record Point(int x, int y) implements Serializable {
    }

    @Test
    void theObserverSeesEveryClassAndLambdaWrittenOnce() throws Exception {
        List<String> classes = new ArrayList<>();
        List<String> lambdas = new ArrayList<>();
        PayloadCodec.ClassObserver observer = new PayloadCodec.ClassObserver() {
            @Override
            public void classWritten(Class<?> c) {
                classes.add(c.getName());
            }

            @Override
            public void lambdaWritten(SerializedLambda lambda) {
                lambdas.add(lambda.getImplMethodName());
            }
        };
        Point captured = new Point(1, 2);
        Function<Integer, Integer> f = (Function<Integer, Integer> & Serializable) x -> x + captured.x();
        byte[] bytes = PayloadCodec.serialize(new Object[] {f, new Point(3, 4), new Point(5, 6)}, observer);
        assertEquals(1, lambdas.size());
        assertTrue(lambdas.get(0).startsWith("lambda$"), lambdas.toString());
        assertEquals(1, classes.stream().filter(Point.class.getName()::equals).count(), classes.toString());
        assertTrue(classes.contains(Object[].class.getName()), classes.toString());
        Object[] back = (Object[]) PayloadCodec.deserialize(bytes, getClass().getClassLoader(), Limits.DEFAULT);
        @SuppressWarnings("unchecked")
        Function<Integer, Integer> g = (Function<Integer, Integer>) back[0];
        assertEquals(11, g.apply(10));
        assertArrayEquals(new Object[] {new Point(3, 4), new Point(5, 6)}, new Object[] {back[1], back[2]});
    }

    @Test
    void classesResolveThroughTheReceiversResolverOnly() throws Exception {
        byte[] bytes = PayloadCodec.serialize(new Point(1, 2));
        List<String> asked = new ArrayList<>();
        Object p = PayloadCodec.deserialize(bytes, name -> {
            asked.add(name);
            return Class.forName(name, false, getClass().getClassLoader());
        }, Limits.DEFAULT);
        assertEquals(new Point(1, 2), p);
        assertEquals(List.of(Point.class.getName()), asked);
        assertThrows(ClassNotFoundException.class, () -> PayloadCodec.deserialize(bytes, name -> {
            throw new ClassNotFoundException(name);
        }, Limits.DEFAULT));
    }
}
