package jpool;

import java.util.stream.Collectors;

/**
 * A controller in its own JVM for the controller-death test: starts a pool of two workers, prints
 * {@code PIDS <pid> <pid>} once both have run a task, then waits to be killed.
 */
public final class ControllerMain {

    private ControllerMain() {
    }

    public static void main(String[] args) throws Exception {
        Pool pool = Pool.create(2);
        pool.map((Integer i) -> {
            Thread.sleep(200);
            return i;
        }, java.util.List.of(1, 2, 3, 4), 1);
        while (pool.workers().stream().filter(w -> w.state() == PoolWorker.State.READY).count() < 2) {
            Thread.sleep(20);
        }
        System.out.println("PIDS " + pool.workers().stream().map(w -> Long.toString(w.pid()))
                .collect(Collectors.joining(" ")));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
