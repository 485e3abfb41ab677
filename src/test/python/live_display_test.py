#!/usr/bin/python3
"""Live displays of pool results through jupyter_client (run by LiveDisplayIT after `mvn package`).

A result shown in a cell (as its value or with display(x)) comes as display_data with a display id and the
three MIME types, then as update_display_data for that id while it runs, at most ten a second, and once
more with its final state, also after its cell has returned. One kernel and one pool of two worker JVMs
serve the suite; every test waits for messages, not for time, and the kernel is shut down at the end.
"""
import os
import queue
import re
import shutil
import tempfile
import textwrap
import time
import unittest

from kernel_e2e_test import TIMEOUT, PoolKernelCase, execute, shell_reply

MIME_TYPES = ("text/plain", "text/html", "application/json")


def display_id(content):
    return content.get("transient", {}).get("display_id")


def updates_until(kc, did, done, timeout=TIMEOUT, seen=()):
    """Update messages for one display id, from `seen` (messages already read) and then from iopub, up to and
    including the first whose content satisfies `done`; fails if none does within `timeout` seconds."""
    found = []
    for m in seen:
        if m["msg_type"] == "update_display_data" and display_id(m["content"]) == did:
            found.append(m)
            if done(m["content"]):
                return found
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            m = kc.get_iopub_msg(timeout=1)
        except queue.Empty:
            continue
        if m["msg_type"] == "update_display_data" and display_id(m["content"]) == did:
            found.append(m)
            if done(m["content"]):
                return found
    raise AssertionError("no final update for %s within %d s; got %s" % (
        did, timeout, [u["content"]["data"]["text/plain"] for u in found]))


def collect_until(kc, done, timeout=TIMEOUT, seen=()):
    """Every iopub message, from `seen` on, until `done(messages)` holds; fails if it does not within `timeout`."""
    msgs = list(seen)
    deadline = time.time() + timeout
    while not done(msgs):
        if time.time() > deadline:
            raise AssertionError("not done within %d s; got %s" % (timeout, [m["msg_type"] for m in msgs]))
        try:
            msgs.append(kc.get_iopub_msg(timeout=1))
        except queue.Empty:
            pass
    return msgs


def plain_traceback(content):
    """A traceback as text, without the terminal colours."""
    return re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(content.get("traceback", [])))


def final(content):
    return content["data"]["application/json"]["state"] in ("done", "failed", "cancelled")


class LiveDisplayTest(PoolKernelCase):
    SETUP = ("import jpool.*;\nimport java.util.stream.*;", "Pool pool = Pool.create(2);")

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="jpool-live-")
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def ok(self, code):
        run = execute(self.kc, code)
        self.assertEqual("ok", run.content["status"], "%s -> %s" % (code, run.content))
        return run

    def shown(self, run):
        """The one live display of a run: checks it has a display id and the three MIME types."""
        shown = run.of("display_data")
        self.assertEqual(1, len(shown), [c["data"]["text/plain"] for c in shown])
        self.assertEqual([], run.of("execute_result"), "a live value is sent as display_data, not execute_result")
        did = display_id(shown[0])
        self.assertTrue(did, "display_data without transient.display_id")
        for mime in MIME_TYPES:
            self.assertIn(mime, shown[0]["data"])
        return did, shown[0]

    # ---------------------------------------------------------------- MapResult

    def test_map_display_updates_while_running_at_most_ten_a_second_and_ends_done(self):
        run = self.ok(textwrap.dedent("""\
            var squares = pool.mapAsync(x -> { Thread.sleep(300); return x * x; },
                    IntStream.range(0, 20).boxed().toList(), 1);
            squares"""))
        did, first = self.shown(run)
        self.assertTrue(first["data"]["text/plain"].startswith("MapResult: "), first["data"]["text/plain"])
        self.assertIn("/20 done", first["data"]["text/html"])
        shown_at = [m for m in run.msgs if m["msg_type"] == "display_data"][0]["header"]["date"]

        updates = updates_until(self.kc, did, final, seen=run.msgs)
        last = updates[-1]["content"]
        self.assertTrue(last["data"]["text/plain"].startswith("MapResult: done, 20/20 done, 0 failed"),
                        last["data"]["text/plain"])
        j = last["data"]["application/json"]
        self.assertEqual(("done", 20, 20, 0, 0, 0), (j["state"], j["total"], j["done"], j["failed"],
                                                     j["running"], j["queued"]))
        self.assertEqual(20, sum(w["done"] for w in j["workers"].values()))
        self.assertEqual(2, len(j["workers"]), "both workers ran items: %s" % j["workers"])
        self.assertIn("20/20 done", last["data"]["text/html"])
        self.assertIn("Results: <code>[0, 1, 4, 9, 16, 25, 36, 49, 64, 81, ... (20 results)]</code>",
                      last["data"]["text/html"])
        for u in updates:
            for mime in MIME_TYPES:
                self.assertIn(mime, u["content"]["data"])

        running = [u for u in updates if u["content"]["data"]["application/json"]["state"] == "running"]
        self.assertGreaterEqual(len(running), 5, "updates while the map ran: %d" % len(running))
        counts = [u["content"]["data"]["application/json"]["done"] for u in updates]
        self.assertEqual(sorted(counts), counts, "done counts never go back")

        # the rate, by the kernel's clock, over the whole run: N updates need N gaps of 0.1 s after the display
        seconds = (updates[-1]["header"]["date"] - shown_at).total_seconds()
        self.assertLessEqual(len(updates), seconds * 10 + 1, "%d updates in %.2f s" % (len(updates), seconds))
        self.assertEqual(1, sum(1 for u in updates if final(u["content"])), "exactly one final update")

        # nothing after the final state: a later cell of the same kernel sees no update of that id
        later = self.ok("squares.get().size()")
        self.assertEqual("20", later.result(), "a finished result is an ordinary value again")
        self.assertEqual([], [m for m in later.msgs if m["msg_type"] == "update_display_data"
                              and display_id(m["content"]) == did])

    def test_update_arrives_after_the_cell_returned_while_another_cell_runs(self):
        go = os.path.join(self.tmp, "go-after")
        run = self.ok(textwrap.dedent("""\
            var later = pool.mapAsync(x -> { Thread.sleep(300); return x; }, List.of(1, 2, 3, 4, 5, 6), 1);
            later"""))
        did, _ = self.shown(run)
        # a second cell that runs until the test has seen the final update of the first one
        second = self.kc.execute('while (!Files.exists(Path.of("%s"))) { Thread.sleep(10); }\n"second"' % go)
        try:
            updates = updates_until(self.kc, did, final, seen=run.msgs)
        finally:
            open(go, "w").close()
        last = updates[-1]
        self.assertTrue(last["content"]["data"]["text/plain"].startswith("MapResult: done, 6/6 done"))
        self.assertEqual(second, last["parent_header"]["msg_id"],
                         "a background update goes under the parent of the cell that runs now")
        reply = shell_reply(self.kc, second)
        self.assertEqual("ok", reply["content"]["status"])

    # ---------------------------------------------------------------- AsyncResult

    def test_async_result_final_update_says_done_with_its_value(self):
        run = self.ok(textwrap.dedent("""\
            var answer = pool.applyAsync(x -> { Thread.sleep(800); return "answer " + x; }, 42);
            answer"""))
        did, first = self.shown(run)
        self.assertTrue(first["data"]["text/plain"].startswith("AsyncResult: "), first["data"]["text/plain"])
        updates = updates_until(self.kc, did, final, seen=run.msgs)
        last = updates[-1]["content"]["data"]
        self.assertRegex(last["text/plain"], r"^AsyncResult: done on w\d+ in \d+\.\d\d s$")
        self.assertIn("Result: <code>answer 42</code>", last["text/html"])
        self.assertEqual("done", last["application/json"]["state"])
        self.assertEqual("answer 42", last["application/json"]["preview"])
        self.assertRegex(last["application/json"]["worker"], r"^w\d+$")

    def test_html_is_escaped_in_values_and_errors(self):
        run = self.ok(textwrap.dedent("""\
            var tagged = pool.applyAsync(x -> { Thread.sleep(300); return "<b>" + x + "</b>"; }, 1);
            display(tagged);"""))
        did, _ = self.shown(run)
        last = updates_until(self.kc, did, final, seen=run.msgs)[-1]["content"]["data"]
        self.assertIn("&lt;b&gt;1&lt;/b&gt;", last["text/html"])
        self.assertNotIn("<b>1</b>", last["text/html"])
        self.assertEqual("<b>1</b>", last["application/json"]["preview"])

        run = self.ok(textwrap.dedent("""\
            var broken = pool.mapAsync(x -> {
                Thread.sleep(200);
                if (x == 2) throw new IllegalArgumentException("<script>alert(1)</script>");
                return x;
            }, List.of(0, 1, 2, 3), 1);
            broken"""))
        did, _ = self.shown(run)
        last = updates_until(self.kc, did, final, seen=run.msgs)[-1]["content"]["data"]
        self.assertTrue(last["text/plain"].startswith("MapResult: failed, 3/4 done, 1 failed"), last["text/plain"])
        html = last["text/html"]
        self.assertIn("First error (item 2)", html)
        self.assertIn("java.lang.IllegalArgumentException", html)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", html)
        self.assertNotIn("<script", html)
        self.assertEqual({"index": 2, "type": "java.lang.IllegalArgumentException",
                          "message": "<script>alert(1)</script>"},
                         {k: v for k, v in last["application/json"]["error"].items() if k not in ("worker", "trace")})

    # ---------------------------------------------------------------- task output after the cell returned

    def test_output_after_the_cell_returned_goes_to_the_display_and_never_to_the_cell_running_now(self):
        go = os.path.join(self.tmp, "go-print")
        run = self.ok(textwrap.dedent("""\
            var talky = pool.applyAsync(x -> {
                while (!Files.exists(Path.of("%s"))) { Thread.sleep(10); }
                for (int i = 0; i < 25; i++) { System.out.println("line " + i); }
                System.err.println("a warning");
                return x;
            }, 1);
            talky""" % go))
        did, first = self.shown(run)
        self.assertNotIn("line 0", first["data"]["text/html"])
        # the submitting cell has returned; the cell running now lets the task print and waits for it
        second = self.kc.execute('Files.writeString(Path.of("%s"), "go");\ntalky.get()' % go)

        def over(msgs):
            return any(m["msg_type"] == "update_display_data" and display_id(m["content"]) == did
                       and final(m["content"]) for m in msgs) and any(
                m["parent_header"].get("msg_id") == second and m["msg_type"] == "status"
                and m["content"]["execution_state"] == "idle" for m in msgs)
        msgs = collect_until(self.kc, over, seen=run.msgs)
        self.assertEqual("ok", shell_reply(self.kc, second)["content"]["status"])
        printed = [m["content"]["text"] for m in msgs if m["msg_type"] == "stream"
                   and m["parent_header"].get("msg_id") == second]
        self.assertFalse([t for t in printed if "line " in t or "a warning" in t],
                         "task output landed under the cell running now: %s" % printed)

        last = [m for m in msgs if m["msg_type"] == "update_display_data" and display_id(m["content"]) == did][-1]
        data = last["content"]["data"]
        html = data["text/html"]
        worker = data["application/json"]["worker"]
        self.assertIn("[%s] ... 15 earlier lines not shown; the result&#39;s stdout() has them" % worker, html)
        for i in range(15, 25):
            self.assertIn("[%s] line %d" % (worker, i), html)
        self.assertNotIn("line 14\n", html)
        self.assertIn("[%s] a warning" % worker, html)
        self.assertIn("[%s] line 24" % worker, data["text/plain"])
        out = {o["stream"]: o for o in data["application/json"]["output"]}
        self.assertEqual((15, 10), (out["stdout"]["earlier_lines"], len(out["stdout"]["lines"])))
        self.assertEqual(["a warning"], out["stderr"]["lines"])
        everything = self.ok("talky.stdout().lines().count()").result()
        self.assertEqual("25", everything, "stdout() keeps every line")

    # ---------------------------------------------------------------- errors: cell frames as In [k] line n

    def test_a_task_error_shows_its_cell_frames_in_the_display_and_in_the_cells_error(self):
        n = self.ok('int third(int x) {\n    if (x == 3)\n        throw new IllegalStateException("bad " + x);\n'
                    '    return x;\n}').content["execution_count"]
        run = self.ok(textwrap.dedent("""\
            var failing = pool.mapAsync(x -> {
                Thread.sleep(300);
                return third(x);
            }, List.of(1, 2, 3, 4), 1);
            failing"""))
        m = run.content["execution_count"]
        did, _ = self.shown(run)
        last = updates_until(self.kc, did, final, seen=run.msgs)[-1]["content"]["data"]
        html, plain = last["text/html"], last["text/plain"]
        for text in (html, plain):
            self.assertIn("at third (In [%d] line 3)" % n, text)
            self.assertIn("at lambda (In [%d] line 3)" % m, text)
            self.assertNotIn("jpool.", text.split("First error", 1)[1], "no frame of jpool's own")
            self.assertNotIn("Thread.run", text, "the stack ends at the task, not in the worker")
        self.assertIn("First error (item 2) on w", plain)
        self.assertIn("at third (In [%d] line 3)" % n, last["application/json"]["error"]["trace"])
        self.assertTrue(plain.startswith("MapResult: failed, 3/4 done, 1 failed"), plain)

        err = execute(self.kc, "failing.get()").content
        self.assertEqual("error", err["status"])
        tb = plain_traceback(err)
        self.assertIn("third (In [%d] line 3)" % n, tb)
        self.assertIn("lambda (In [%d] line 3)" % m, tb)
        self.assertNotIn("jpool.worker", tb)
        self.assertNotIn("Thread.run", tb)

        # the same cell text twice: the second run reuses the loaded snippet, whose frames JShell does not rewrite
        for _ in range(2):
            err = execute(self.kc, "pool.map(x -> third(x), List.of(3))").content
            tb = plain_traceback(err)
            self.assertIn("third (In [%d] line 3)" % n, tb)
            self.assertIn("lambda (cell line 1)", tb)

        err = execute(self.kc, 'pool.map(Integer::parseInt, List.of("x"))').content
        tb = plain_traceback(err)
        self.assertIn("java.lang.NumberFormatException", tb)
        self.assertIn("java.lang.Integer.parseInt", tb)
        self.assertNotIn("jpool.", tb.split("Caused by", 1)[1], tb)
        self.assertNotIn("Thread.run", tb)

    # ---------------------------------------------------------------- Pool

    def test_pool_display_shows_its_workers_until_all_run(self):
        run = self.ok("var other = Pool.create(2);\nother")
        live = run.of("display_data")
        if live:  # shown while its second worker was starting: updated until both run
            did, first = self.shown(run)
            last = updates_until(self.kc, did, lambda c: all(
                w["state"] not in ("STARTING", "INITIALIZING") for w in c["data"]["application/json"]["workers"])
                and len(c["data"]["application/json"]["workers"]) == 2, seen=run.msgs)[-1]["content"]
        else:  # both were running already: an ordinary result
            last = run.of("execute_result")[0]
        try:
            data = last["data"]
            for mime in MIME_TYPES:
                self.assertIn(mime, data)
            j = data["application/json"]
            self.assertEqual(("Pool", 2), (j["type"], j["processes"]))
            self.assertEqual(2, len(j["workers"]))
            for w in j["workers"]:
                self.assertIn(">%s<" % w["id"], data["text/html"])
                self.assertIn(">%d<" % w["pid"], data["text/html"])
            self.assertTrue(data["text/plain"].startswith("Pool[2 worker JVMs"), data["text/plain"])
        finally:
            self.ok("other.close();")


if __name__ == "__main__":
    unittest.main(verbosity=2)
