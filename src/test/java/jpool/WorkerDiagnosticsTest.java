package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A task's exception says on the worker what the same code says in this JVM. */
@ExtendWith(NoWorkersLeft.class)
@Timeout(60)
class WorkerDiagnosticsTest {

    record Box(String name) implements Serializable {
    }

    static final class Wrapper extends RuntimeException {
        Wrapper(Throwable cause) {
            super("while sizing the box", cause);
        }
    }

    @Test
    void aNullPointerFromATaskSaysWhatWasNullAsItDoesLocally() throws Exception {
        Fn<Box, Integer> size = b -> b.name().length();
        String local = assertThrows(NullPointerException.class, () -> size.apply(new Box(null))).getMessage();
        assertNotNull(local, "this JVM shows helpful NullPointerException messages");
        Fn<Box, Integer> wrapped = b -> {
            try {
                return b.name().length();
            } catch (NullPointerException e) {
                throw new Wrapper(e);
            }
        };
        try (Pool pool = Pool.create(1)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> pool.apply(size, new Box(null)));
            assertInstanceOf(NullPointerException.class, e.getCause());
            assertEquals(local, e.getCause().getMessage());
            assertTrue(e.getMessage().contains(local), e.getMessage());
            assertTrue(e.getCause().getStackTrace().length > 0, "the remote stack trace is kept");

            ExecutionException w = assertThrows(ExecutionException.class, () -> pool.apply(wrapped, new Box(null)));
            assertInstanceOf(Wrapper.class, w.getCause());
            assertInstanceOf(NullPointerException.class, w.getCause().getCause());
            assertEquals(local, w.getCause().getCause().getMessage(), "also as the cause of another exception");
        }
    }
}
