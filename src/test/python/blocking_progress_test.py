#!/usr/bin/python3
"""The progress of blocking pool calls, and the Stop control of result displays (run by BlockingProgressIT).

A cell that waits in a pool call (pool.map, apply, r.get(), an imap loop) for longer than Display.progressAfter()
(one second by default) shows the awaited result as a live display in the cell, which ends in the result's final
state before the cell's reply; shorter calls show nothing, and zero turns it off.

An unfinished result's display carries a Stop control: in the browser a button whose script opens a comm to the
target jpool_result and sends {"action": "stop"}; here the test sends those messages itself, while the cell that
waits for the result runs, and the kernel handles them at once (outside the shell queue), cancels the result and
the cell ends. One kernel and one pool of two worker JVMs serve the suite; tests wait for messages, not for time;
the kernel is shut down at the end.
"""
import queue
import textwrap
import time
import unittest
import uuid

from kernel_e2e_test import TIMEOUT, PoolKernelCase, execute, shell_reply, start_kernel


def display_id(content):
    return content.get("transient", {}).get("display_id")


def state(content):
    return content["data"]["application/json"]["state"]


def until_idle(kc, msg_id, timeout=TIMEOUT, seen=()):
    """Every iopub message, of any parent, from `seen` on, until request msg_id is idle."""
    msgs = list(seen)
    deadline = time.time() + timeout
    while not any(m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status"
                  and m["content"]["execution_state"] == "idle" for m in msgs):
        if time.time() > deadline:
            raise AssertionError("request %s not idle within %d s" % (msg_id, timeout))
        try:
            msgs.append(kc.get_iopub_msg(timeout=1))
        except queue.Empty:
            pass
    return msgs


def read_until(kc, done, seen=(), timeout=TIMEOUT):
    """Every iopub message from `seen` on until `done(messages)` holds."""
    msgs = list(seen)
    deadline = time.time() + timeout
    while not done(msgs):
        if time.time() > deadline:
            raise AssertionError("not done within %d s: %s" % (timeout, [m["msg_type"] for m in msgs]))
        try:
            msgs.append(kc.get_iopub_msg(timeout=1))
        except queue.Empty:
            pass
    return msgs


def until_displayed(kc, msg_id, timeout=TIMEOUT):
    """Iopub messages until request msg_id shows a display_data; returns (messages, that content)."""
    msgs = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            m = kc.get_iopub_msg(timeout=1)
        except queue.Empty:
            continue
        msgs.append(m)
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "display_data":
            return msgs, m["content"]
    raise AssertionError("no display for %s within %d s" % (msg_id, timeout))


class BlockingProgressTest(PoolKernelCase):
    SETUP = ("import jpool.*;\nimport java.util.stream.*;\nimport java.time.Duration;",
             "Pool pool = Pool.create(2);",
             "List<Integer> sixteen = IntStream.range(0, 16).boxed().toList();")

    def ok(self, code):
        run = execute(self.kc, code)
        self.assertEqual("ok", run.content["status"], "%s -> %s" % (code, run.content))
        return run

    def progress(self, run):
        """The one progress display of a run and its updates, in order."""
        shown = [m for m in run.msgs if m["msg_type"] == "display_data"]
        self.assertEqual(1, len(shown), [m["content"]["data"]["text/plain"] for m in shown])
        did = display_id(shown[0]["content"])
        self.assertTrue(did)
        updates = [m for m in run.msgs if m["msg_type"] == "update_display_data"
                   and display_id(m["content"]) == did]
        return shown[0], updates

    def test_a_blocking_map_longer_than_a_second_shows_its_progress_and_ends_done_before_the_reply(self):
        run = self.ok("pool.map(x -> { Thread.sleep(250); return x * x; }, sixteen, 1).size()")
        self.assertEqual("16", run.result())
        shown, updates = self.progress(run)
        self.assertTrue(shown["content"]["data"]["text/plain"].startswith("MapResult: running, "),
                        shown["content"]["data"]["text/plain"])
        started = [m for m in run.msgs if m["msg_type"] == "execute_input"][0]["header"]["date"]
        waited = (shown["header"]["date"] - started).total_seconds()
        self.assertGreaterEqual(waited, 0.95, "shown after the call had waited a second, not %.2f s" % waited)
        self.assertTrue(updates, "the display is kept current while the call waits")
        last = updates[-1]["content"]
        self.assertEqual("done", state(last))
        self.assertIn("16/16 done", last["data"]["text/html"])
        self.assertTrue(last["data"]["text/plain"].startswith("MapResult: done, 16/16 done"))
        result_at = [i for i, m in enumerate(run.msgs) if m["msg_type"] == "execute_result"][0]
        self.assertLess(run.msgs.index(updates[-1]), result_at, "the final state comes before the cell's value")

    def test_a_short_blocking_call_shows_no_progress(self):
        run = self.ok("pool.map(x -> x + 1, List.of(1, 2, 3))")
        self.assertEqual("[2, 3, 4]", run.result())
        self.assertEqual([], run.of("display_data"))
        self.assertEqual([], run.of("update_display_data"))

    def test_an_imap_loop_and_a_get_show_their_progress(self):
        run = self.ok(textwrap.dedent("""\
            int sum = 0;
            for (int x : pool.imap(x -> { Thread.sleep(250); return x; }, sixteen, 1)) {
                sum += x;
            }
            sum"""))
        self.assertEqual("120", run.result())
        shown, updates = self.progress(run)
        self.assertTrue(shown["content"]["data"]["text/plain"].startswith("MapResult: "))
        self.assertEqual("done", state(updates[-1]["content"]))

        self.ok("var slow = pool.applyAsync(x -> { Thread.sleep(1800); return x; }, 7);")
        run = self.ok("slow.get()")
        self.assertEqual("7", run.result())
        shown, updates = self.progress(run)
        self.assertTrue(shown["content"]["data"]["text/plain"].startswith("AsyncResult: "))
        self.assertEqual("done", state(updates[-1]["content"]))

    def test_progress_after_is_configurable_and_zero_turns_it_off(self):
        try:
            self.ok("Display.progressAfter(Duration.ZERO);")
            run = self.ok("pool.map(x -> { Thread.sleep(250); return x; }, sixteen, 1).size()")
            self.assertEqual([], run.of("display_data"), "zero: no progress display")
            self.ok("Display.progressAfter(Duration.ofMillis(200));")
            run = self.ok("pool.apply(x -> { Thread.sleep(900); return x; }, 5)")
            self.assertEqual("5", run.result())
            shown, updates = self.progress(run)
            self.assertTrue(shown["content"]["data"]["text/plain"].startswith("AsyncResult: "))
            self.assertEqual("done", state(updates[-1]["content"]))
            bad = execute(self.kc, "Display.progressAfter(Duration.ofSeconds(-1));").content
            self.assertEqual("error", bad["status"])
            self.assertIn("zero (off) or more", bad["evalue"])
        finally:
            self.ok("Display.progressAfter(Duration.ofSeconds(1));")

    def test_an_interrupted_blocking_map_shows_its_display_cancelled_before_the_cells_error(self):
        msg_id = self.kc.execute("pool.map(x -> { Thread.sleep(1000); return x; }, sixteen, 1)")
        msgs, shown = until_displayed(self.kc, msg_id)
        did = display_id(shown)
        self.km.interrupt_kernel()
        msgs = until_idle(self.kc, msg_id, seen=msgs)
        reply = shell_reply(self.kc, msg_id)
        self.assertEqual("error", reply["content"]["status"])
        self.assertIn("cancelled", reply["content"]["evalue"])
        updates = [m for m in msgs if m["msg_type"] == "update_display_data" and display_id(m["content"]) == did]
        self.assertTrue(updates, "the display got its final state")
        self.assertEqual("cancelled", state(updates[-1]["content"]))
        error_at = [i for i, m in enumerate(msgs) if m["msg_type"] == "error"
                    and m["parent_header"].get("msg_id") == msg_id][0]
        self.assertLess(msgs.index(updates[-1]), error_at, "the cancelled state comes before the error")
        self.assertEqual("[2, 3]", self.ok("pool.map(x -> x + 1, List.of(1, 2))").result(), "the pool works on")

    # ---------------------------------------------------------------- the Stop control

    def send_shell(self, msg_type, content):
        msg = self.kc.session.msg(msg_type, content)
        self.kc.shell_channel.send(msg)
        return msg["header"]["msg_id"]

    def stop(self, stop):
        """Does what the Stop button does: opens a comm to its target and sends the stop message on it."""
        comm_id = uuid.uuid4().hex
        opened = self.send_shell("comm_open", {"comm_id": comm_id, "target_name": stop["comm_target"],
                                               "data": {"result": stop["result"]}})
        sent = self.send_shell("comm_msg", {"comm_id": comm_id, "data": {"action": "stop"}})
        return comm_id, (opened, sent)

    def comm_reply(self, msgs, comm_id):
        replies = [m["content"]["data"] for m in msgs if m["msg_type"] == "comm_msg"
                   and m["content"]["comm_id"] == comm_id]
        closed = [m for m in msgs if m["msg_type"] == "comm_close" and m["content"]["comm_id"] == comm_id]
        return replies, closed

    def test_the_stop_control_cancels_a_blocking_map_while_its_cell_waits_and_the_cell_ends(self):
        msg_id = self.kc.execute("pool.map(x -> { Thread.sleep(1000); return x; }, sixteen, 1)")
        msgs, shown = until_displayed(self.kc, msg_id)
        stop = shown["data"]["application/json"]["stop"]
        self.assertEqual("jpool_result", stop["comm_target"])
        html = shown["data"]["text/html"]
        self.assertIn('data-jpool-stop="%s"' % stop["result"], html)
        self.assertIn("To stop it: interrupt the kernel while a cell waits for it, or call <code>cancel(true)</code>",
                      html, "where no script runs, the display says how to stop it")
        self.assertIn("Jupyter.notebook.kernel", html)
        did = display_id(shown)
        t0 = time.time()
        comm_id, ids = self.stop(stop)
        msgs = until_idle(self.kc, msg_id, seen=msgs)
        seconds = time.time() - t0
        reply = shell_reply(self.kc, msg_id)
        self.assertEqual("error", reply["content"]["status"])
        self.assertEqual("java.util.concurrent.CancellationException", reply["content"]["ename"])
        self.assertIn("cancelled", reply["content"]["evalue"])
        self.assertLess(seconds, 5, "the cell ended soon after the stop, not after its 8 s of work")
        self.assertEqual([], [m for m in msgs if m["msg_type"] == "status" and m["parent_header"].get("msg_id")
                              in ids], "no busy or idle status for the stop while the cell ran")
        msgs = read_until(self.kc, lambda ms: self.comm_reply(ms, comm_id)[1], seen=msgs)
        replies, closed = self.comm_reply(msgs, comm_id)
        self.assertEqual([{"stopped": True}], replies)
        self.assertEqual(1, len(closed), "the kernel closes the comm after answering")
        updates = [m for m in msgs if m["msg_type"] == "update_display_data" and display_id(m["content"]) == did]
        self.assertEqual("cancelled", state(updates[-1]["content"]))
        self.assertNotIn("data-jpool-stop", updates[-1]["content"]["data"]["text/html"], "no Stop once finished")
        self.assertEqual("[2, 3]", self.ok("pool.map(x -> x + 1, List.of(1, 2))").result(), "the pool works on")
        self.assertEqual("2", self.ok("pool.workers().size()").result())

    def test_the_stop_control_cancels_a_displayed_result_after_its_cell_returned(self):
        run = self.ok("var background = pool.mapAsync(x -> { Thread.sleep(1000); return x; }, sixteen, 1);\n"
                      "background")
        shown = run.of("display_data")[0]
        did = display_id(shown)
        comm_id, ids = self.stop(shown["data"]["application/json"]["stop"])

        def cancelled(msgs):
            return any(m["msg_type"] == "update_display_data" and display_id(m["content"]) == did
                       and state(m["content"]) == "cancelled" for m in msgs) and any(
                m["msg_type"] == "comm_close" and m["content"]["comm_id"] == comm_id for m in msgs)
        msgs = read_until(self.kc, cancelled, seen=run.msgs)
        self.assertEqual([{"stopped": True}], self.comm_reply(msgs, comm_id)[0])
        self.assertEqual("true", self.ok("background.isCancelled()").result())

    def test_a_stop_for_a_finished_or_unknown_result_stops_nothing(self):
        run = self.ok("var quick = pool.mapAsync(x -> { Thread.sleep(300); return x; }, List.of(1));\nquick")
        shown = run.of("display_data")[0]
        did = display_id(shown)
        read_until(self.kc, lambda ms: any(m["msg_type"] == "update_display_data" and display_id(m["content"]) == did
                                           and state(m["content"]) == "done" for m in ms), seen=run.msgs)
        for stop in (shown["data"]["application/json"]["stop"], {"comm_target": "jpool_result", "result": "r-none"}):
            comm_id, ids = self.stop(stop)
            msgs = read_until(self.kc, lambda ms: self.comm_reply(ms, comm_id)[1])
            self.assertEqual([{"stopped": False}], self.comm_reply(msgs, comm_id)[0], stop)
        self.assertEqual("false", self.ok("quick.isCancelled()").result())

class ProgressAfterFromTheEnvironmentTest(unittest.TestCase):
    """JPOOL_PROGRESS_AFTER sets the default, in seconds; 0 turns the displays off."""

    def test_the_environment_variable_sets_the_time_and_zero_turns_it_off(self):
        for value, expect in (("0", "PT0S"), ("0.3", "PT0.3S"), ("soon", "PT1S")):
            km, kc = start_kernel(JPOOL_PROGRESS_AFTER=value)
            try:
                run = execute(kc, "jpool.kernel.Display.progressAfter()")
                self.assertEqual(expect, run.result(), value)
                if value == "soon":
                    self.assertIn("ignoring JPOOL_PROGRESS_AFTER=soon", run.stderr() + run.stdout())
                if value == "0":
                    execute(kc, "import jpool.*;\nPool pool = Pool.create(1);")
                    run = execute(kc, "pool.apply(x -> { Thread.sleep(1500); return x; }, 1)")
                    self.assertEqual("1", run.result())
                    self.assertEqual([], run.of("display_data"))
                    execute(kc, "pool.close();")
            finally:
                kc.stop_channels()
                km.shutdown_kernel(now=False)


if __name__ == "__main__":
    unittest.main(verbosity=2)
