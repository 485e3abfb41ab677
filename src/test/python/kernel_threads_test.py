#!/usr/bin/python3
"""Threads a cell starts and the threads a pool owns, through jupyter_client (run by KernelThreadsIT).

A cell returns when its own code returns, whatever threads it started; an interrupt stops the cell's code
only, so a pool created by an interrupted cell keeps working. Every kernel and hog started here is stopped
in tearDown.
"""
import queue
import subprocess
import time
import unittest

from kernel_e2e_test import TIMEOUT, execute, shell_reply, start_kernel

# A new pool costs two worker JVM starts (about 0.8 s here), a new thread a millisecond: the thread cell is the
# sharper test of the same race (it hung on the old engine within 200 runs, with and without the hog).
POOL_REPEATS = 50
THREAD_REPEATS = 200


def wait_for_stdout(kc, msg_id, marker, timeout=TIMEOUT):
    """Reads iopub until the cell of msg_id printed marker (the cell is then running its next line)."""
    deadline = time.time() + timeout
    seen = ""
    while marker not in seen:
        m = kc.get_iopub_msg(timeout=max(0.1, deadline - time.time()))
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "stream":
            seen += m["content"]["text"]


def drain_to_idle(kc, msg_id):
    while True:
        m = kc.get_iopub_msg(timeout=TIMEOUT)
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status" \
                and m["content"]["execution_state"] == "idle":
            return


class CellThreadsTest(unittest.TestCase):

    def setUp(self):
        self.km, self.kc = start_kernel()
        self.hogs = []

    def tearDown(self):
        for h in self.hogs:
            h.kill()
            h.wait()
        try:
            execute(self.kc, "for (Pool p : pools) p.terminate();", timeout=30)
        except Exception:
            pass  # the kernel may be stuck: shutting it down below ends its workers too
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=False)

    def ok(self, code, timeout=TIMEOUT):
        run = execute(self.kc, code, timeout=timeout)
        self.assertEqual("ok", run.content["status"], "%s -> %s" % (code, run.content))
        return run

    def run_cell(self, cell, i, timeout):
        try:
            return execute(self.kc, cell, timeout=timeout)
        except queue.Empty:
            self.fail("run %d of the cell got no reply within %d s: the kernel hangs" % (i, timeout))

    def interrupt_when_printed(self, code, marker):
        """Runs code, interrupts it once it printed marker, and returns the reply (the cell is idle then)."""
        msg_id = self.kc.execute(code)
        wait_for_stdout(self.kc, msg_id, marker)
        self.km.interrupt_kernel()
        reply = shell_reply(self.kc, msg_id, 20)
        drain_to_idle(self.kc, msg_id)
        return reply

    def start_hogs(self):
        """Keeps both cores busy, as the machine was when the hang showed most often."""
        for _ in range(2):
            self.hogs.append(subprocess.Popen(["/usr/bin/python3", "-c", "while True: pass"]))

    def create_pool_many_times(self):
        self.ok("import jpool.*;\nList<Pool> pools = new ArrayList<>();\nPool pq = null;\nAsyncResult<Integer> a = null;")
        cell = ("if (pq != null) pq.close();\npq = Pool.create(2);\npools.add(pq);\n"
                "a = pq.applyAsync(() -> 6 * 7);\na.get()")
        for i in range(POOL_REPEATS):
            run = self.run_cell(cell, i, 60)
            self.assertEqual("ok", run.content["status"], "run %d: %s" % (i, run.content))
            self.assertEqual("42", run.result(), "run %d" % i)
        self.ok("pq.close();")

    def test_a_cell_creating_a_pool_never_hangs(self):
        self.create_pool_many_times()

    def test_a_cell_creating_a_pool_never_hangs_with_the_cpus_busy(self):
        self.start_hogs()
        self.create_pool_many_times()

    def start_threads_many_times(self):
        """The thread is started by the cell's first statement, as close to the cell's start as cell code gets."""
        self.ok("List<jpool.Pool> pools = new ArrayList<>();\nvar release = new java.util.concurrent.CountDownLatch(1);\n"
                "List<Thread> started = new ArrayList<>();")
        cell = ("{ Thread t = new Thread(() -> { try { release.await(); } catch (InterruptedException e) { } }); "
                "t.start(); started.add(t); }\nstarted.size()")
        for i in range(THREAD_REPEATS):
            run = self.run_cell(cell, i, 30)
            self.assertEqual(str(i + 1), run.result(), "run %d: %s" % (i, run.content))
        self.assertEqual("0", self.ok("release.countDown();\nfor (Thread t : started) t.join(10_000);\n"
                                      "started.stream().filter(Thread::isAlive).count()").result())

    def test_cells_starting_threads_never_hang(self):
        self.start_threads_many_times()

    def test_cells_starting_threads_never_hang_with_the_cpus_busy(self):
        self.start_hogs()
        self.start_threads_many_times()

    def test_a_cell_starting_a_never_ending_thread_returns_at_once(self):
        self.ok("List<jpool.Pool> pools = new ArrayList<>();")
        t0 = time.time()
        run = self.ok("var stopBg = new java.util.concurrent.CountDownLatch(1);\n"
                      "Thread bg = new Thread(() -> { try { stopBg.await(); } catch (InterruptedException e) { } });\n"
                      "bg.start();\n\"started\"", timeout=30)
        self.assertEqual("started", run.result())
        self.assertLess(time.time() - t0, 15)
        # later cells are not held by it either, and an interrupted cell does not stop it
        self.assertEqual("true", self.ok("bg.isAlive()", timeout=30).result())
        reply = self.interrupt_when_printed('System.out.println("spinning");\nlong spins = 0;\nwhile (true) { spins++; }',
                                            "spinning")
        self.assertEqual("Interrupted", reply["content"]["ename"])
        self.assertEqual("true", self.ok("bg.isAlive()", timeout=30).result())
        self.assertEqual("false", self.ok("stopBg.countDown();\nbg.join(10_000);\nbg.isAlive()", timeout=30).result())

    def test_a_pool_created_in_an_interrupted_cell_keeps_working(self):
        self.ok("import jpool.*;\nList<Pool> pools = new ArrayList<>();\nPool pz = null;\nlong spins = 0;")
        # one block is one snippet: the pool is created by the very code that is interrupted
        reply = self.interrupt_when_printed('{\n    pz = Pool.create(2);\n    pools.add(pz);\n'
                                            '    System.out.println("first " + pz.apply(() -> 1));\n'
                                            '    while (true) { spins++; }\n}', "first 1")
        self.assertEqual("Interrupted", reply["content"]["ename"])
        run = self.ok("pz.mapAsync((Integer x) -> x * 2, List.of(1, 2, 3)).get(30, TimeUnit.SECONDS)", timeout=60)
        self.assertEqual("[2, 4, 6]", run.result())
        # the same after interrupting a cell that was waiting on the pool itself
        reply = self.interrupt_when_printed('var slow = pz.applyAsync(() -> { Thread.sleep(2_000); return 7; });\n'
                                            'System.out.println("waiting");\nThread.sleep(60_000);', "waiting")
        self.assertEqual("error", reply["content"]["status"])
        self.assertEqual("7", self.ok("slow.get(30, TimeUnit.SECONDS)", timeout=60).result())
        self.assertEqual("[1, 4, 9]", self.ok("pz.map((Integer x) -> x * x, List.of(1, 2, 3))", timeout=60).result())
        self.ok("pz.close();")


if __name__ == "__main__":
    unittest.main(verbosity=2)
