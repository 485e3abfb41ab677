package jpool;

import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The results of {@link Pool#imap} (input order) or {@link Pool#imapUnordered} (completion order), yielded as
 * they arrive. It is an {@link Iterator} and, for one pass, an {@link Iterable}, so it reads like Python's
 * {@code for r in pool.imap(f, xs)}:
 *
 * <pre>{@code
 * for (int square : pool.imap((Integer x) -> x * x, List.of(1, 2, 3))) {
 *     System.out.println(square);
 * }
 * }</pre>
 *
 * <p>{@link #next()} blocks until the next result is there. A failed item makes {@code next()} throw a
 * {@link CompletionException} whose cause is its {@link TaskFailedException}; iteration may go on after it.
 * A cancelled map makes it throw {@link java.util.concurrent.CancellationException}.
 *
 * @param <R> the result type
 */
public interface ResultIterator<R> extends Iterator<R>, Iterable<R> {

    /**
     * This iterator itself: results are consumed as they are read, so there is one pass.
     *
     * @throws IllegalStateException when called a second time
     */
    @Override
    Iterator<R> iterator();

    /** The remaining results as a sequential stream, in this iterator's order. */
    default Stream<R> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED), false);
    }

    /** The map behind the iteration: progress, cancellation, output. */
    MapResult<R> result();
}
