#!/usr/bin/python3
"""Per-worker state and runs on each worker from notebook cells (run by WorkerLocalIT after `mvn package`).

The holder and the tasks that use it are written in cells; every task captures the holder (a cell
variable, shipped with each task), and copies with the same id share the worker's value.
"""
import unittest

from kernel_e2e_test import PoolKernelCase, execute


class WorkerLocalCellsTest(PoolKernelCase):

    def test_a_cell_holder_counts_per_worker_across_cells(self):
        self.value("int start = 100;")
        self.value("int first() { return start; }")
        self.value("WorkerLocal<int[]> seen = WorkerLocal.withInitial(() -> new int[] {first()});")
        ran = self.value("var ran = pool.map(x -> { Thread.sleep(10); seen.get()[0]++;"
                         " return TaskContext.current().workerId(); }, java.util.stream.IntStream.range(0, 20)"
                         ".boxed().toList(), 1); ran")
        ids = ran.strip("[]").split(", ")
        self.assertEqual(20, len(ids), ran)
        expected = "{%s}" % ", ".join("%s=%d" % (w, 100 + ids.count(w)) for w in ("w1", "w2"))
        self.assertEqual(expected, self.value("new TreeMap<>(pool.onEachWorker(() -> seen.get()[0]))"))
        self.assertEqual("{w2=1}", self.value("pool.onEachWorker(WorkerTargets.indexes(1), () -> 1)"))

    def test_the_kernel_thread_has_its_own_value(self):
        self.value("WorkerLocal<String> tag = WorkerLocal.withInitial(() -> \"initial\");")
        self.value("pool.onEachWorker(() -> { tag.set(TaskContext.current().workerId()); return 0; });")
        self.assertEqual("initial", self.value("tag.get()"))
        self.assertEqual("{w1=w1, w2=w2}", self.value("pool.onEachWorker(() -> tag.get())"))


if __name__ == "__main__":
    unittest.main()
