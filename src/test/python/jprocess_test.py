#!/usr/bin/python3
"""JProcess from notebook cells (run by JProcessKernelIT after `mvn package`): a subclass and a target written
in cells run in child JVMs, their output shows in the cell that started them, and shutting the kernel down
ends a child still running."""
import re
import unittest

from kernel_e2e_test import PoolKernelCase, execute, wait_gone

SETUP = ("import jpool.*;", "import jpool.ipc.*;")


class JProcessCellsTest(PoolKernelCase):
    SETUP = SETUP
    CLOSE = "1"


    def test_a_cell_defined_subclass_runs_with_its_fields_and_its_output_shows_in_the_cell(self):
        self.ok("""class Clock extends JProcess {
    int interval;
    Clock(int interval) { this.interval = interval; }
    public void run() throws Exception {
        for (int i = 1; i <= 5; i++) { System.out.println("Run >>> " + i); Thread.sleep(interval); }
        System.out.println("Ending!");
    }
}""")
        run = self.ok("var p = new Clock(20); p.start(); p.join(); p.name() + \" \" + p.exitCode()")
        name, code = run.result().strip('"').split(" ")
        self.assertEqual("0", code)
        self.assertTrue(name.startswith("Clock-"), name)
        out = run.stdout()
        for i in range(1, 6):
            self.assertRegex(out, r"\[%s\] Run >>> %d" % (re.escape(name), i))
        self.assertIn("Ending!", out)
        self.assertLess(out.index("Run >>> 1"), out.index("Ending!"))

    def test_a_target_reads_cell_variables_and_is_its_own_process(self):
        self.ok("int ticks = 3;")
        run = self.ok("var t = new JProcess(() -> { for (int i = 0; i < ticks; i++) System.out.println(\"tick \" + i"
                      " + \" in \" + JProcess.current().name() + \" \" + (JProcess.current().pid() !="
                      " ProcessHandle.current().parent().get().pid())); }).setName(\"ticker\");"
                      " t.start(); t.join(); t.exitCode()")
        self.assertEqual("0", run.result())
        for i in range(3):
            self.assertIn("tick %d in ticker true" % i, run.stdout())


class JProcessKernelShutdownTest(PoolKernelCase):
    SETUP = SETUP
    CLOSE = "1"
    child = None

    def test_a_running_child_reports_its_pid(self):
        run = execute(self.kc, "var long1 = new JProcess(() -> Thread.sleep(120_000)); long1.start(); long1.pid()")
        self.assertEqual("ok", run.content["status"], run.content)
        type(self).child = int(run.result())

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()  # shuts the kernel down
        if cls.child is not None:
            assert wait_gone(cls.child, 30), "child %d outlived the kernel" % cls.child


if __name__ == "__main__":
    unittest.main()
