package jpool.kernel;

import jpool.AsyncResult;
import jpool.Pool;
import jpool.PoolWorker;
import jpool.ResultIterator;
import jpool.Subscription;

/**
 * The live renderers of the pool API, registered by the kernel at start: an {@link AsyncResult} (a
 * {@link jpool.MapResult} too) or a {@link ResultIterator} shown in a cell keeps its display current until
 * it is finished, driven by {@link AsyncResult#onProgress} (the subscription is cancelled once the final
 * state is shown); a {@link Pool} keeps its display current, polled, while workers are starting.
 */
final class LiveResults {

    private LiveResults() {
    }

    /** Registers the renderers of results, result iterators and pools. */
    static void register(Renderers renderers) {
        renderers.registerLive(AsyncResult.class, ResultHtml::result, AsyncResult::ready, LiveResults::watch);
        renderers.registerLive(ResultIterator.class, it -> ResultHtml.result(it.result()), it -> it.result().ready(),
                (it, changed) -> watch(it.result(), changed));
        renderers.registerLive(Pool.class, ResultHtml::pool, LiveResults::settled);
    }

    /**
     * Reports a result's progress and its output (a display shows the last lines of output, which go on
     * arriving after the cell that submitted the work has returned). Output listeners cannot be removed, so
     * the one added here goes quiet when the display ends.
     */
    private static Runnable watch(AsyncResult<?> result, Runnable changed) {
        java.util.concurrent.atomic.AtomicBoolean watching = new java.util.concurrent.atomic.AtomicBoolean(true);
        Subscription progress = result.onProgress(p -> changed.run());
        result.onOutput(c -> {
            if (watching.get()) {
                changed.run();
            }
        });
        return () -> {
            watching.set(false);
            progress.cancel();
        };
    }

    /**
     * Whether a pool's display has nothing more to show soon: it is shut down, or it has as many workers as
     * it keeps and all are running (none starting, and none leaving after a shrink or maxTasksPerChild).
     */
    static boolean settled(Pool pool) {
        if (pool.isShutdown()) {
            return true;
        }
        int running = 0;
        for (PoolWorker w : pool.workers()) {
            if (ResultHtml.starting(w) || w.state() == PoolWorker.State.RETIRING
                    || w.state() == PoolWorker.State.STOPPING) {
                return false;
            }
            running++;
        }
        return running >= pool.processes();
    }
}
