#!/usr/bin/python3
"""The %pool magics through jupyter_client (run by PoolMagicsIT after `mvn package`).

One kernel serves the main suite; each test starts its own pools under its own variable names and ends them,
and the kernel is shut down at the end, which also ends any pool a failed test left. Tests wait for messages
and conditions with deadlines, never for fixed times.
"""
import queue
import textwrap
import time
import unittest

from kernel_e2e_test import PoolKernelCase, TIMEOUT, execute, pid_alive, shell_reply, start_kernel, wait_gone
from live_display_test import MIME_TYPES, display_id

# Worker JVMs that are children of the kernel now (a cell's view of its own process tree).
WORKER_JVMS = ('ProcessHandle.current().descendants().filter(p -> p.isAlive() && p.info().commandLine()'
               '.orElse("").contains("jpool.worker.WorkerMain")).count()')


def until_idle(kc, msg_id, timeout=TIMEOUT):
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status" \
                and m["content"]["execution_state"] == "idle":
            return


class PoolMagicsTest(PoolKernelCase):
    SETUP = ("import jpool.*;",)
    CLOSE = "1"  # the pools the tests start are stopped by the tests, or ended with the kernel

    # ---------------------------------------------------------------- helpers



    def usage_error(self, code):
        run = execute(self.kc, code)
        self.assertEqual("error", run.content["status"], "%s should fail: %s" % (code, run.content))
        self.assertEqual("UsageError", run.content["ename"], run.content)
        return run.content["evalue"]

    def shown(self, run):
        """The pool display of a magic's run: one display_data with a display id and the three MIME types."""
        shown = run.of("display_data")
        self.assertEqual(1, len(shown), [c["data"]["text/plain"] for c in shown])
        self.assertTrue(display_id(shown[0]), "display_data without transient.display_id")
        for mime in MIME_TYPES:
            self.assertIn(mime, shown[0]["data"])
        self.assertEqual("Pool", shown[0]["data"]["application/json"]["type"])
        return shown[0]

    def status_until(self, var, done, what):
        """Runs %pool status VAR until its display's content satisfies done; returns that content."""
        deadline = time.time() + TIMEOUT
        seen = []
        while time.time() < deadline:
            c = self.shown(self.ok("%%pool status %s" % var))
            if done(c):
                return c
            seen.append(c["data"]["text/plain"])
            time.sleep(0.2)
        self.fail("%%pool status %s never showed %s; it showed %s" % (var, what, seen[-5:]))

    def pids(self, var):
        text = self.value("new TreeSet<>(%s.onEachWorker(() -> ProcessHandle.current().pid()).values())" % var)
        return [int(p) for p in text.strip("[]").split(", ")]

    def worker_jvms(self):
        return int(self.value(WORKER_JVMS))

    # ---------------------------------------------------------------- start

    def test_start_binds_pool_and_shows_its_live_display(self):
        run = self.ok("%pool start -n 2")
        shown = self.shown(run)
        self.assertEqual([], run.of("execute_result"))
        self.assertTrue(shown["data"]["text/plain"].startswith("Pool["), shown["data"]["text/plain"])
        self.assertEqual(2, shown["data"]["application/json"]["processes"])
        try:
            if any(w["state"] in ("STARTING", "INITIALIZING") for w in shown["data"]["application/json"]["workers"]) \
                    or len(shown["data"]["application/json"]["workers"]) < 2:
                self.await_update(display_id(shown), lambda c: len(c["data"]["application/json"]["workers"]) == 2
                                  and all(w["state"] == "READY" for w in c["data"]["application/json"]["workers"]))
            self.assertEqual("[2, 4, 6]", self.value("pool.map(x -> x * 2, List.of(1, 2, 3))"))
            self.assertEqual("2", self.value("pool.processes()"))
            self.assertEqual("true", self.value("pool instanceof jpool.Pool"))
            plain = self.shown(self.ok("%pool"))["data"]["text/plain"]
            self.assertTrue(plain.startswith("Pool[2 worker JVMs at tcp://127.0.0.1:"), plain)
        finally:
            self.ok("%pool stop --now")

    def await_update(self, did, done):
        """Reads iopub until an update of display did satisfies done (the workers registering)."""
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            try:
                m = self.kc.get_iopub_msg(timeout=1)
            except queue.Empty:
                continue
            if m["msg_type"] == "update_display_data" and display_id(m["content"]) == did and done(m["content"]):
                return m["content"]
        self.fail("no update of display %s showed every worker registered" % did)

    def test_starting_a_running_name_again_says_so_and_starts_nothing(self):
        self.ok("%pool start -n 1 --name twice")
        try:
            before = self.worker_jvms()
            run = execute(self.kc, "%pool start -n 3 --name twice")
            self.assertEqual("error", run.content["status"])
            self.assertIn("twice is a running pool already (Pool[", run.content["evalue"])
            self.assertIn("nothing was started", run.content["evalue"])
            self.assertIn("%pool stop twice", run.content["evalue"])
            self.assertEqual([], run.of("display_data"))
            self.assertEqual("1", self.value("twice.processes()"), "the running pool is unchanged")
            self.assertEqual("1", self.value("twice.stats().workersStarted()"))
            self.assertLessEqual(self.worker_jvms(), before, "no worker JVM was started")
            self.assertEqual("[1]", self.value("twice.map(x -> x, List.of(1))"), "and still works")
        finally:
            self.ok("%pool stop --now twice")

    # ---------------------------------------------------------------- status

    def test_status_shows_each_worker_with_host_and_launcher(self):
        self.ok("%pool start -n 2 --name st")
        try:
            c = self.status_until("st", lambda c: c["data"]["text/plain"].startswith("Pool[2 worker JVMs at"),
                                  "2 running workers")
            html = c["data"]["text/html"]
            for head in ("worker", "index", "pid", "state", "host", "launcher"):
                self.assertIn(">%s</th>" % head, html)
            workers = c["data"]["application/json"]["workers"]
            self.assertEqual([0, 1], sorted(w["index"] for w in workers))
            for w in workers:
                self.assertEqual("local", w["launcher"])
                self.assertTrue(w["host"], w)
                self.assertIn(">%s</td>" % w["host"], html)
                self.assertIn(">%d<" % w["pid"], html)
            self.assertIn(">local</td>", html)
        finally:
            self.ok("%pool stop --now st")
        self.assertIn("there is no variable nosuch; start a pool with %pool start --name nosuch",
                      self.usage_error("%pool status nosuch"))
        self.ok("String notAPool = \"x\";")
        self.assertIn("notAPool is a java.lang.String, not a jpool.Pool", self.usage_error("%pool status notAPool"))

    # ---------------------------------------------------------------- scale

    def test_scale_up_then_down_while_a_map_runs_loses_nothing(self):
        self.ok("%pool start -n 1 --name sc")
        try:
            self.status_until("sc", lambda c: c["data"]["text/plain"].startswith("Pool[1 worker JVM at"),
                              "its one worker running")
            run = self.ok("%pool scale 3 sc")
            self.assertIn("sc: 1 -> 3 worker JVMs", run.stdout())
            self.shown(run)
            c = self.status_until("sc", lambda c: c["data"]["text/plain"].startswith("Pool[3 worker JVMs at"),
                                  "3 running workers")
            self.assertEqual([0, 1, 2], sorted(w["index"] for w in c["data"]["application/json"]["workers"]))

            self.ok("var r = sc.mapAsync(x -> { Thread.sleep(300); return x * 10; },"
                    " java.util.stream.IntStream.range(0, 12).boxed().toList(), 1);")
            self.ok("while (r.progress().running() + r.progress().done() < 3) Thread.sleep(10);")
            run = self.ok("%pool scale 1 sc")
            self.assertIn("sc: 3 -> 1 worker JVM; busy workers that leave finish their current task first",
                          run.stdout())
            self.assertEqual(str([x * 10 for x in range(12)]), self.value("r.get()"))
            self.assertEqual("0", self.value("r.progress().failed()"))
            self.status_until("sc", lambda c: c["data"]["text/plain"].startswith("Pool[1 worker JVM at")
                              and len(c["data"]["application/json"]["workers"]) == 1, "one worker left")
            self.assertEqual("0 0", self.value('sc.stats().workersLost() + " " + sc.stats().tasksRetried()'))
            self.assertEqual("[2]", self.value("sc.map(x -> x + 1, List.of(1))"))
        finally:
            self.ok("%pool stop --now sc")
        self.assertIn("sc: the pool is shut down", self.usage_error("%pool scale 2 sc"))

    def test_scale_of_a_thread_pool_says_it_keeps_its_size(self):
        self.ok("Pool threads = Pool.threads(2);")
        try:
            self.assertIn("a pool of threads keeps the size it was created with (2)",
                          self.usage_error("%pool scale 3 threads"))
        finally:
            self.ok("threads.close();")

    # ---------------------------------------------------------------- restart, stop

    def test_restart_starts_new_workers_with_the_same_settings(self):
        self.ok("%pool start -n 2 --name rs --max-tasks-per-child 1000 --timeout 1m")
        try:
            self.status_until("rs", lambda c: c["data"]["text/plain"].startswith("Pool[2 worker JVMs at"),
                              "2 running workers")
            before = self.pids("rs")
            self.assertEqual(2, len(before))
            run = self.ok("%pool restart rs")
            self.shown(run)
            for pid in before:
                self.assertFalse(pid_alive(pid), "the old workers are gone when restart returns")
            self.status_until("rs", lambda c: c["data"]["text/plain"].startswith("Pool[2 worker JVMs at"),
                              "2 running workers")
            after = self.pids("rs")
            self.assertEqual(2, len(after))
            self.assertEqual(set(), set(before) & set(after), "new worker pids")
            self.assertEqual("2", self.value("rs.processes()"))
        finally:
            self.ok("%pool stop --now rs")
        self.ok("Pool mine = Pool.create(1);")
        try:
            self.assertIn("mine was not started by %pool start, so its settings are not known",
                          self.usage_error("%pool restart mine"))
        finally:
            self.ok("mine.close();")

    def test_stop_lets_running_tasks_finish_then_the_name_can_start_again(self):
        self.ok("%pool start -n 1 --name sp")
        pid = self.pids("sp")[0]
        self.ok("var pending = sp.applyAsync(() -> { Thread.sleep(500); return 7; });")
        run = self.ok("%pool stop sp")
        self.assertIn("sp: shut down; its 1 worker JVM has exited", run.stdout())
        self.assertEqual("7", self.value("pending.get()"), "the running task finished")
        self.assertEqual("true", self.value("sp.isTerminated()"))
        self.assertTrue(wait_gone(pid), "the worker exited")
        self.assertIn("sp is stopped already", self.ok("%pool stop sp").stdout())
        self.ok("%pool start -n 1 --name sp")
        self.assertEqual("[5]", self.value("sp.map(x -> x, List.of(5))"))
        self.ok("%pool stop --now sp")

    def test_interrupting_a_stop_terminates_the_pool(self):
        self.ok("%pool start -n 1 --name it")
        self.ok("var stuck = it.applyAsync(() -> { Thread.sleep(120_000); return 1; });")
        self.ok("while (stuck.started().isEmpty()) Thread.sleep(10);")
        msg_id = self.kc.execute("%pool stop it")
        deadline = time.time() + TIMEOUT
        printed = ""
        while "interrupt to terminate it instead" not in printed and time.time() < deadline:
            m = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "stream":
                printed += m["content"]["text"]
        self.assertIn("it: shutting down; waiting for its unfinished tasks (1 task chunk) to finish", printed)
        t0 = time.time()
        self.km.interrupt_kernel()
        reply = shell_reply(self.kc, msg_id, 30)["content"]
        until_idle(self.kc, msg_id)
        self.assertLess(time.time() - t0, 10)
        self.assertEqual("error", reply["status"])
        self.assertEqual("Interrupted", reply["ename"])
        self.assertIn("terminated it: its unfinished tasks were cancelled", reply["evalue"])
        self.assertEqual("true", self.value("it.isTerminated()"))
        self.assertEqual("true", self.value("stuck.isCancelled()"))

    # ---------------------------------------------------------------- bad arguments

    def test_every_bad_argument_is_a_usage_error_and_starts_nothing(self):
        before = self.worker_jvms()
        for line, says in [
            ("%pool start --name bad --workers 2", "unknown flag --workers"),
            ("%pool start --name bad -n two", "bad number for -n: 'two'"),
            ("%pool start --name bad -n 0", "-n must be at least 1, got 0"),
            ("%pool start --name bad --retries -1", "--retries must be at least 0, got -1"),
            ("%pool start --name bad --timeout 30", "bad duration for --timeout: '30'"),
            ("%pool start --name bad --timeout", "--timeout needs a value"),
            ('%pool start --name bad --jvm-opts "-Xmx64m', "unbalanced double quote"),
            ("%pool start --name 9lives", "--name needs a Java variable name, got '9lives'"),
            ("%pool begin", "unknown command 'begin'"),
            ("%pool scale", "the number of workers is missing"),
            ("%pool scale few", "bad number for the number of workers: 'few'"),
            ("%pool stop --force", "unknown flag --force"),
        ]:
            evalue = self.usage_error(line)
            self.assertIn(says, evalue, line)
            self.assertIn("usage: %pool", evalue, line)
        run = execute(self.kc, "bad")
        self.assertEqual("error", run.content["status"], "no variable bad was declared")
        self.assertLessEqual(self.worker_jvms(), before, "no worker JVM was started")
        self.assertIn("%pool start [-n N] [--name VAR]", self.value("%pool help"))


class KernelShutdownTest(unittest.TestCase):
    """Shutting the kernel down ends the workers of the pools %pool started."""

    def test_kernel_shutdown_ends_the_magic_pools_workers(self):
        km, kc = start_kernel()
        try:
            run = execute(kc, "%pool start -n 2")
            self.assertEqual("ok", run.content["status"], run.content)
            run = execute(kc, textwrap.dedent("""\
                long until = System.nanoTime() + 60_000_000_000L;
                while (pool.workers().size() < 2 && System.nanoTime() < until) Thread.sleep(10);
                new TreeSet<>(pool.onEachWorker(() -> ProcessHandle.current().pid()).values())"""))
            self.assertEqual("ok", run.content["status"], run.content)
            pids = [int(p) for p in run.result().strip("[]").split(", ")]
            self.assertEqual(2, len(pids))
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=False)
        for pid in pids:
            self.assertTrue(wait_gone(pid), "worker %d still running after the kernel shut down" % pid)


if __name__ == "__main__":
    unittest.main(verbosity=2)
