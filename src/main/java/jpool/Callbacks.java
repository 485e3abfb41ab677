package jpool;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jpool.cluster.LibraryThreads;

/** The callback thread of a pool: one daemon thread, started on demand, ending when idle. */
final class Callbacks {

    private static final AtomicLong COUNT = new AtomicLong();

    private Callbacks() {
    }

    static Executor newExecutor() {
        long n = COUNT.incrementAndGet();
        ThreadPoolExecutor e = new ThreadPoolExecutor(1, 1, 2, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> LibraryThreads.newThread(r, "jpool-callbacks-" + n));
        e.allowCoreThreadTimeOut(true);
        return e;
    }
}
