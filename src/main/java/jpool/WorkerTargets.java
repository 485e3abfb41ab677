package jpool;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * Which workers of a pool a {@link Pool#onEachWorkerAsync(WorkerTargets, Task) per-worker run} goes to:
 * all of them, the workers at given indexes (0 to {@code processes - 1}, see
 * {@link TaskContext#workerIndex()}), or the workers with given ids (see {@link TaskContext#workerId()}).
 *
 * <p>A selection is only a description; the pool resolves it against its workers when the run is
 * submitted, and refuses with an {@link IllegalArgumentException} a selection that names a worker it does
 * not have then. Instances are immutable; two are equal when they select the same way.
 */
public final class WorkerTargets {

    private static final WorkerTargets ALL = new WorkerTargets(null, null);

    /** The indexes in the order given, or null. */
    private final List<Integer> indexes;
    /** The ids in the order given, or null. */
    private final List<String> ids;

    private WorkerTargets(List<Integer> indexes, List<String> ids) {
        this.indexes = indexes;
        this.ids = ids;
    }

    /** Every worker that takes tasks when the run is submitted. */
    public static WorkerTargets all() {
        return ALL;
    }

    /**
     * The workers at these indexes.
     *
     * @throws IllegalArgumentException if none is given, one is negative, or one is given twice
     */
    public static WorkerTargets indexes(int... indexes) {
        List<Integer> list = new ArrayList<>();
        for (int i : indexes) {
            list.add(i);
        }
        return indexes(list);
    }

    /**
     * The workers at these indexes.
     *
     * @throws IllegalArgumentException if none is given, one is negative, or one is given twice
     * @throws NullPointerException if the collection or one of its elements is null
     */
    public static WorkerTargets indexes(Collection<Integer> indexes) {
        List<Integer> list = List.copyOf(indexes);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("no worker index given");
        }
        for (int i : list) {
            if (i < 0) {
                throw new IllegalArgumentException("a worker index is 0 or more, got " + i);
            }
        }
        if (new LinkedHashSet<>(list).size() != list.size()) {
            throw new IllegalArgumentException("a worker index is given twice in " + list);
        }
        return new WorkerTargets(list, null);
    }

    /**
     * The workers at indexes {@code from} (inclusive) to {@code to} (exclusive), as Python's
     * {@code range} and IPython Parallel's {@code --targets 1:3}.
     *
     * @throws IllegalArgumentException if {@code from} is negative or the range is empty
     */
    public static WorkerTargets range(int from, int to) {
        if (from < 0 || to <= from) {
            throw new IllegalArgumentException("a range of worker indexes needs 0 <= from < to, got " + from + ":" + to);
        }
        List<Integer> list = new ArrayList<>();
        for (int i = from; i < to; i++) {
            list.add(i);
        }
        return new WorkerTargets(List.copyOf(list), null);
    }

    /**
     * The workers with these ids.
     *
     * @throws IllegalArgumentException if none is given or one is given twice
     * @throws NullPointerException if an id is null
     */
    public static WorkerTargets ids(String... ids) {
        return ids(List.of(ids));
    }

    /**
     * The workers with these ids.
     *
     * @throws IllegalArgumentException if none is given or one is given twice
     * @throws NullPointerException if the collection or one of its elements is null
     */
    public static WorkerTargets ids(Collection<String> ids) {
        List<String> list = List.copyOf(ids);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("no worker id given");
        }
        if (new LinkedHashSet<>(list).size() != list.size()) {
            throw new IllegalArgumentException("a worker id is given twice in " + list);
        }
        return new WorkerTargets(null, list);
    }

    /** Whether this selects every worker. */
    public boolean isAll() {
        return indexes == null && ids == null;
    }

    /**
     * Picks the selected workers from those a pool has now.
     *
     * @param present the pool's workers that take tasks, by index
     * @return the selected ones, by index
     * @throws IllegalArgumentException naming what is not there and the workers that are
     */
    List<Pool.Place> resolve(List<Pool.Place> present) {
        if (isAll()) {
            return present;
        }
        List<Pool.Place> chosen = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Pool.Place p : present) {
            if (indexes != null ? indexes.contains(p.index()) : ids.contains(p.id())) {
                chosen.add(p);
            }
        }
        if (indexes != null) {
            for (int i : indexes) {
                if (chosen.stream().noneMatch(p -> p.index() == i)) {
                    missing.add("index " + i);
                }
            }
        } else {
            for (String id : ids) {
                if (chosen.stream().noneMatch(p -> p.id().equals(id))) {
                    missing.add(id);
                }
            }
        }
        if (!missing.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (Pool.Place p : present) {
                names.add(p.id() + " (index " + p.index() + ")");
            }
            throw new IllegalArgumentException("not among the pool's workers that take tasks: " + String.join(", ",
                    missing) + "; they are " + (names.isEmpty() ? "none" : String.join(", ", names)));
        }
        return chosen;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WorkerTargets t && Objects.equals(indexes, t.indexes) && Objects.equals(ids, t.ids);
    }

    @Override
    public int hashCode() {
        return Objects.hash(indexes, ids);
    }

    /** {@code all workers}, {@code workers at indexes [0, 2]} or {@code workers [w1, w3]}. */
    @Override
    public String toString() {
        return isAll() ? "all workers" : indexes != null ? "workers at indexes " + indexes : "workers " + ids;
    }
}
