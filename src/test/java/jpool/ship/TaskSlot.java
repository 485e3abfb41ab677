package jpool.ship;

/** Where cells under test put the task object, so the test can pick it up. */
public final class TaskSlot {
    public static volatile Object task;

    private TaskSlot() {
    }
}
