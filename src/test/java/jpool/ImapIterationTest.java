package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** imap and imapUnordered read like Python's {@code for r in pool.imap(...)}. */
@ExtendWith(NoWorkersLeft.class)
@Timeout(60)
class ImapIterationTest {

    @Test
    void forEachStreamAndOnePass() throws Exception {
        try (Pool pool = Pool.create(2)) {
            List<Integer> seen = new ArrayList<>();
            for (int square : pool.imap((Integer x) -> x * x, List.of(1, 2, 3, 4))) {
                seen.add(square);
            }
            assertEquals(List.of(1, 4, 9, 16), seen);

            Set<Integer> unordered = new HashSet<>();
            for (int v : pool.imapUnordered((Integer x) -> x + 100, List.of(1, 2, 3, 4, 5), 2)) {
                unordered.add(v);
            }
            assertEquals(Set.of(101, 102, 103, 104, 105), unordered);

            ResultIterator<String> it = pool.imap((Integer x) -> "n" + x, List.of(7, 8));
            assertEquals(List.of("n7", "n8"), it.stream().collect(Collectors.toList()));
            assertThrows(IllegalStateException.class, () -> {
                it.iterator();
                it.iterator();
            }, "one pass only");
            assertEquals(2, it.result().get().size(), "the map behind it is there too");

            ResultIterator<Integer> failing = pool.imap((Integer x) -> 10 / x, List.of(5, 0, 2));
            assertEquals(2, failing.next());
            CompletionException e = assertThrows(CompletionException.class, failing::next);
            assertInstanceOf(TaskFailedException.class, e.getCause());
            assertInstanceOf(ArithmeticException.class, e.getCause().getCause());
            assertEquals(5, failing.next(), "iteration goes on after a failed item");
        }
    }
}
