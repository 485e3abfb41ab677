#!/usr/bin/python3
"""Task output in the submitting cell, and interrupts that cancel pool calls (run by OutputInterruptIT).

While a cell runs, what its tasks print arrives as stream messages under that cell, each line labelled with its
worker, on the stream it was printed on, and before the cell's error; once the cell has returned, a task's
output stays with its result and never appears under the cell running then. A cell shows at most 2,000 lines of
task output and says how many more there were. Interrupting a cell blocked in a pool call cancels the call's
tasks, ends the cell within 2 s saying what it cancelled, and leaves the pool full and ready. One kernel and two
pools of two worker JVMs serve the suite; tests wait for messages, not for time; the kernel is shut down at the
end.
"""
import queue
import re
import textwrap
import time
import unittest

from kernel_e2e_test import TIMEOUT, PoolKernelCase, execute, shell_reply


def wait_for_stream(kc, msg_id, text, timeout=TIMEOUT):
    """Reads iopub until a stream message of request msg_id contains text; returns the messages read."""
    seen = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            m = kc.get_iopub_msg(timeout=1)
        except queue.Empty:
            continue
        seen.append(m)
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "stream" and text in m["content"]["text"]:
            return seen
    raise AssertionError("no output %r within %d s" % (text, timeout))


def until_idle(kc, msg_id, timeout=TIMEOUT):
    """Every iopub message, of any parent, until request msg_id is idle."""
    msgs = []
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        msgs.append(m)
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status" \
                and m["content"]["execution_state"] == "idle":
            return msgs


class OutputInterruptTest(PoolKernelCase):
    SETUP = ("import jpool.*;\nimport java.util.stream.*;\nimport java.time.Duration;",
             "Pool pool = Pool.create(2);",
             "Pool spin = Pool.builder().processes(2).cancelGrace(Duration.ofMillis(500)).start();")
    CLOSE = "pool.close(); spin.close();"


    # ---------------------------------------------------------------- output in the cell

    def test_output_streams_into_the_cell_labelled_per_worker_on_its_own_stream(self):
        run = self.ok(textwrap.dedent("""\
            pool.map(i -> { System.out.println("task " + i); System.err.println("warning " + i);
                            return TaskContext.current().workerId(); }, List.of(0, 1, 2, 3), 1)"""))
        workers = re.fullmatch(r"\[(\w+), (\w+), (\w+), (\w+)\]", run.result()).groups()
        self.assertEqual(sorted("[%s] task %d" % (w, i) for i, w in enumerate(workers)),
                         sorted(run.stdout().splitlines()))
        self.assertEqual(sorted("[%s] warning %d" % (w, i) for i, w in enumerate(workers)),
                         sorted(run.stderr().splitlines()))

    def test_output_printed_before_an_exception_comes_before_the_error(self):
        run = execute(self.kc, 'pool.apply(() -> { System.out.println("about to fail"); '
                               'throw new IllegalStateException("boom"); })')
        self.assertEqual("error", run.content["status"])
        kinds = [m["msg_type"] for m in run.msgs if m["msg_type"] in ("stream", "error")]
        self.assertEqual(["stream", "error"], kinds, kinds)
        self.assertRegex(run.stdout(), r"^\[w\d+\] about to fail\n$")

    def test_output_after_the_cell_returned_stays_with_the_result(self):
        first = self.ok(textwrap.dedent("""\
            var printed = new CountDownLatch(1);
            var late = pool.applyAsync(() -> { System.out.println("early"); Thread.sleep(3_000);
                                               System.out.println("late line"); return 1; }).onOutput(c -> printed.countDown());
            printed.await();"""))
        self.assertRegex(first.stdout(), r"^\[w\d+\] early\n$")
        msg_id = self.kc.execute("late.get() + late.stdout().length()")
        everything = until_idle(self.kc, msg_id)
        texts = [m["content"]["text"] for m in everything if m["msg_type"] == "stream"]
        self.assertFalse([t for t in texts if "late line" in t], "late output published: %s" % texts)
        results = [m["content"]["data"]["text/plain"] for m in everything if m["msg_type"] == "execute_result"]
        self.assertEqual(["17"], results)  # 1 + len("early\nlate line\n")
        self.assertEqual("early\nlate line\n", self.ok("late.stdout()").result())

    def test_a_flood_of_output_shows_two_thousand_lines_and_counts_the_rest(self):
        run = self.ok(textwrap.dedent("""\
            var flood = pool.applyAsync(() -> { for (int i = 0; i < 1_000_000; i++) System.out.println("line " + i);
                                                return TaskContext.current().workerId(); });
            String floodWorker = flood.get();
            floodWorker"""))
        w = run.result().strip('"')
        lines = run.stdout().splitlines()
        self.assertEqual(["[%s] line %d" % (w, i) for i in range(2000)], lines[:2000])
        self.assertEqual(["[%s] ... 998,000 more lines not shown; the result's stdout() has them" % w],
                         lines[2000:])
        self.assertLess(len(run.of("stream")), 200, "gathered into few messages")
        expected = sum(len("line %d\n" % i) for i in range(1_000_000))
        self.assertEqual(str(expected), self.ok("flood.stdout().length()").result())

    # ---------------------------------------------------------------- interrupts

    def interrupt_when_printed(self, code, marker):
        """Runs code, interrupts once it printed marker; returns (reply, seconds from interrupt to reply)."""
        msg_id = self.kc.execute(code)
        wait_for_stream(self.kc, msg_id, marker)
        t0 = time.time()
        self.km.interrupt_kernel()
        reply = shell_reply(self.kc, msg_id, 20)
        took = time.time() - t0
        until_idle(self.kc, msg_id)
        return reply["content"], took

    def assert_pool_ready(self, name):
        t0 = time.time()
        self.assertEqual("[2, 3, 4]", self.ok("%s.map(x -> x + 1, List.of(1, 2, 3))" % name).result())
        self.assertLess(time.time() - t0, 5, "the next map ran at once")
        self.assertEqual("2", self.ok(textwrap.dedent("""\
            long until = System.nanoTime() + 10_000_000_000L;
            while (%s.workers().size() < 2 && System.nanoTime() < until) Thread.sleep(10);
            %s.workers().size()""" % (name, name))).result())

    def test_interrupting_a_blocking_map_cancels_its_tasks_within_two_seconds(self):
        # Default chunks (several elements each): a worker stops a cancelled chunk after its interrupted element,
        # so no worker waits out the cancel grace.
        pids = self.ok("pool.workers().stream().map(PoolWorker::pid).sorted().toList()").result()
        reply, took = self.interrupt_when_printed(
            'pool.map(i -> { System.out.println("sleeping " + i); Thread.sleep(30_000); return i; },\n'
            '         IntStream.range(0, 20).boxed().toList())', "sleeping")
        self.assertLess(took, 2.0)
        self.assertEqual(("error", "Interrupted"), (reply["status"], reply["ename"]))
        m = re.fullmatch(r"cancelled 20 tasks of pool.map \((\d+) were running\)", reply["evalue"])
        self.assertTrue(m, reply["evalue"])
        self.assertTrue(2 <= int(m.group(1)) <= 20, reply["evalue"])
        self.assertIn("Interrupted\x1b[0m: cancelled 20 tasks of pool.map", reply["traceback"][0])
        self.assert_pool_ready("pool")
        self.assertEqual(pids, self.ok("pool.workers().stream().map(PoolWorker::pid).sorted().toList()").result(),
                         "sleeping tasks stop when interrupted: no worker was replaced")

    def test_a_task_ignoring_the_interrupt_has_its_worker_killed_after_the_grace_and_replaced(self):
        pids = set(re.findall(r"\d+", self.ok("spin.workers().stream().map(PoolWorker::pid).toList()").result()))
        self.assertEqual(2, len(pids))
        reply, took = self.interrupt_when_printed(textwrap.dedent("""\
            spin.map(i -> { System.out.println("spinning " + i); long n = 0;
                            while (n >= 0) n = (n + 1) & 0xffff;
                            return i; }, List.of(0, 1), 1)"""), "spinning")
        self.assertLess(took, 2.0)
        self.assertEqual("cancelled 2 tasks of spin.map (2 were running)".replace("spin.map", "pool.map"),
                         reply["evalue"])
        self.assert_pool_ready("spin")
        now = set(re.findall(r"\d+", self.ok("spin.workers().stream().map(PoolWorker::pid).toList()").result()))
        self.assertEqual(2, len(now))
        self.assertFalse(now & pids, "both spinning workers were replaced: %s -> %s" % (pids, now))

    def test_interrupting_an_imap_loop_cancels_the_rest_of_the_map(self):
        reply, took = self.interrupt_when_printed(textwrap.dedent("""\
            for (int x : pool.imap((Integer i) -> { Thread.sleep(i == 0 ? 0 : 30_000); return i; }, List.of(0, 1, 2, 3)))
                System.out.println("got " + x);"""), "got 0")
        self.assertLess(took, 2.0)
        self.assertRegex(reply["evalue"], r"^cancelled 3 tasks of pool\.imap \([23] were running\)$")
        self.assert_pool_ready("pool")

    def test_interrupting_a_get_cancels_the_awaited_result(self):
        self.assert_pool_ready("pool")
        pids = self.ok("pool.workers().stream().map(PoolWorker::pid).sorted().toList()").result()
        reply, took = self.interrupt_when_printed(textwrap.dedent("""\
            var waited = pool.applyAsync(() -> { Thread.sleep(30_000); return 1; });
            int awaitIt(AsyncResult<Integer> r) throws Exception { System.out.println("waiting"); return r.get(); }
            awaitIt(waited)"""), "waiting")
        self.assertLess(took, 2.0)
        self.assertEqual("cancelled 1 task of the awaited task (it was running)", reply["evalue"])
        self.assertEqual("true", self.ok("waited.isCancelled()").result())
        self.assert_pool_ready("pool")
        self.assertEqual(pids, self.ok("pool.workers().stream().map(PoolWorker::pid).sorted().toList()").result(),
                         "an interrupted sleeping task stops: its worker was not replaced")


if __name__ == "__main__":
    unittest.main()
