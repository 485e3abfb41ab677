#!/usr/bin/python3
"""A notebook executed with nbclient (as nbconvert does) saves the final state of its live displays
(run by SavedDisplayIT after `mvn package`).

nbclient keeps only the messages that come under the cell it runs, before that cell's reply: a display
whose work ends while a later cell waits for it must get its final update before that cell's reply.
"""
import unittest

import nbformat
from nbclient import NotebookClient

from kernel_e2e_test import KERNEL


def notebook(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    return nb


def plain(output):
    return output.get("data", {}).get("text/plain", "")


class SavedDisplayTest(unittest.TestCase):

    def test_work_that_ends_during_a_later_cell_is_saved_finished(self):
        nb = notebook(
            "import jpool.*;\nPool pool = Pool.create(1);",
            "var single = pool.applyAsync(() -> { Thread.sleep(700); return 42; });\nsingle",
            "var many = pool.mapAsync(x -> { Thread.sleep(40); return x; }, java.util.stream.IntStream.range(0, 12)"
            ".boxed().toList(), 1);\nmany",
            "single.get() + many.get().size()",
            "pool.close();")
        NotebookClient(nb, kernel_name=KERNEL, timeout=120).execute()
        self.assertEqual("54", plain(nb.cells[3].outputs[0]))
        single = plain(nb.cells[1].outputs[0])
        many = plain(nb.cells[2].outputs[0])
        self.assertTrue(single.startswith("AsyncResult: done"), single)
        self.assertTrue(many.startswith("MapResult: done, 12/12 done"), many)


if __name__ == "__main__":
    unittest.main()
