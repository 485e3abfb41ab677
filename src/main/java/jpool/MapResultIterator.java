package jpool;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/** The {@link ResultIterator} of imap (input order) and imapUnordered (completion order). */
final class MapResultIterator<R> implements ResultIterator<R> {

    private final MapResultImpl<R> result;
    private final boolean ordered;
    private int position; // ordered: next input index; unordered: elements returned so far
    private int completionIndex; // unordered: index in completion order of the current chunk
    private int currentChunk = -1;
    private int withinChunk;

    private boolean iterated;

    MapResultIterator(MapResultImpl<R> result, boolean ordered) {
        this.result = result;
        this.ordered = ordered;
    }

    @Override
    public synchronized Iterator<R> iterator() {
        if (iterated) {
            throw new IllegalStateException("this imap result has been iterated already; call imap again for a new pass");
        }
        iterated = true;
        return this;
    }

    @Override
    public MapResult<R> result() {
        return result;
    }

    @Override
    public boolean hasNext() {
        return position < result.total;
    }

    @Override
    @SuppressWarnings("unchecked")
    public R next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int index;
        // In a scope (a notebook cell) an interrupt during the wait cancels the map; plain Java keeps Iterator semantics.
        CallScope.Registration wait = result.waitInScope(ordered ? "pool.imap" : "pool.imapUnordered");
        try {
            if (ordered) {
                index = position;
                if (!result.awaitChunk(result.chunkOf(index))) {
                    throw new CancellationException("the map was cancelled");
                }
                result.decode(result.chunkOf(index));
            } else {
                if (currentChunk < 0 || withinChunk >= result.chunkEnd(currentChunk) - result.chunkStart(currentChunk)) {
                    currentChunk = result.awaitCompletion(completionIndex);
                    if (currentChunk < 0) {
                        throw new CancellationException("the map was cancelled");
                    }
                    completionIndex++;
                    withinChunk = 0;
                    result.decode(currentChunk);
                }
                index = result.chunkStart(currentChunk) + withinChunk++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException("interrupted while waiting for a result", e);
        }
        wait.close(); // not after an interrupt: the scope still cancels the map then
        position++;
        Throwable failure;
        Object value;
        synchronized (result) {
            failure = result.elements.error(index);
            value = result.elements.value(index);
        }
        if (failure != null) {
            throw new CompletionException(failure);
        }
        return (R) value;
    }
}
