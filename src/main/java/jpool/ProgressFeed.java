package jpool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Delivers a result's {@link Progress} snapshots to its listeners, coalescing changes.
 *
 * <p>The owner calls {@link #changed()} after every change of its counts or state, with its monitor
 * {@code lock} held. That costs a counter increment and, at most once until the pending delivery runs, a
 * task handed to the callback executor. The delivery takes one fresh snapshot and gives it to every
 * listener that has not seen the latest version, then looks again, until no listener is behind; so a
 * listener sees the changes that happen while it runs as one, and never two snapshots at once.
 *
 * <p>Invariants: at most one delivery task per feed is scheduled or running ({@code scheduled}), so one
 * listener is called from one thread at a time and its snapshots arrive in the order they were taken;
 * a subscriber's {@code seen} version never exceeds {@code version}; since the final change of a result
 * bumps {@code version} and no change follows, every listener subscribed before or after it receives the
 * final snapshot exactly once, and nothing after it.
 */
final class ProgressFeed {

    private final Object lock;
    private final Executor callbacks;
    private final Supplier<Progress> snapshot; // called with lock held

    // guarded by lock
    private long version;
    private boolean scheduled;
    private List<Sub> subs = List.of(); // copy on write

    ProgressFeed(Object lock, Executor callbacks, Supplier<Progress> snapshot) {
        this.lock = lock;
        this.callbacks = callbacks;
        this.snapshot = snapshot;
    }

    /** The owner's counts or state changed. Call with {@code lock} held. */
    void changed() {
        version++;
        if (!subs.isEmpty()) {
            schedule();
        }
    }

    /** Adds a listener; it receives the current snapshot first. */
    Subscription subscribe(Consumer<? super Progress> listener) {
        Sub s = new Sub(listener);
        synchronized (lock) {
            List<Sub> list = new ArrayList<>(subs);
            list.add(s);
            subs = List.copyOf(list);
            schedule();
        }
        return s;
    }

    private void schedule() {
        if (!scheduled) {
            scheduled = true;
            callbacks.execute(this::deliver);
        }
    }

    private void deliver() {
        while (true) {
            Progress p;
            List<Sub> behind = new ArrayList<>();
            synchronized (lock) {
                for (Sub s : subs) {
                    if (s.seen < version) {
                        s.seen = version;
                        behind.add(s);
                    }
                }
                if (behind.isEmpty()) {
                    scheduled = false;
                    return;
                }
                p = snapshot.get();
            }
            for (Sub s : behind) {
                s.accept(p);
            }
        }
    }

    private void remove(Sub s) {
        synchronized (lock) {
            List<Sub> list = new ArrayList<>(subs);
            list.remove(s);
            subs = List.copyOf(list);
        }
    }

    private final class Sub implements Subscription {
        private final Consumer<? super Progress> listener;
        private volatile boolean active = true;
        private long seen = -1; // guarded by lock

        Sub(Consumer<? super Progress> listener) {
            this.listener = listener;
        }

        void accept(Progress p) {
            if (!active) {
                return;
            }
            try {
                listener.accept(p);
            } catch (RuntimeException e) {
                e.printStackTrace();
            }
        }

        @Override
        public void cancel() {
            if (active) {
                active = false;
                remove(this);
            }
        }

        @Override
        public boolean isActive() {
            return active;
        }
    }
}
