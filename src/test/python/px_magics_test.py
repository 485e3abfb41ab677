#!/usr/bin/python3
"""%%px, %px, %pxresult and %%task from notebook cells (run by PxMagicsIT after `mvn package`).

One kernel with a pool of three worker JVMs named pool serves the suite. A body that must wait for the test
waits for a file the test creates (the workers run on this host), so no test depends on timing except the
one that checks that --group-outputs order shows output while the cell still runs, which allows a second of
slack. The kernel is shut down at the end, also when a test fails.
"""
import os
import queue
import re
import time
import unittest

from kernel_e2e_test import TIMEOUT, PoolKernelCase, execute, shell_reply

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def plain(lines):
    return ANSI.sub("", "\n".join(lines))


class PxMagicsTest(PoolKernelCase):
    SETUP = ("import jpool.*;", "Pool pool = Pool.create(3);")

    TMP_PREFIX = "jpool-px-"



    def path(self, name):
        return os.path.join(self.tmp, name)

    def wait_until_true(self, code, seconds=60):
        """Runs code (a boolean cell) until it says true; returns every run."""
        runs = []
        deadline = time.time() + seconds
        while time.time() < deadline:
            runs.append(self.ok(code))
            if runs[-1].result() == "true":
                return runs
            time.sleep(0.05)
        self.fail("%s stayed false for %d s" % (code, seconds))

    # ---------------------------------------------------------------- %%px and %px

    def test_px_runs_the_body_once_on_each_worker_one_row_per_worker(self):
        run = self.ok('%%px\nTaskContext.current().workerId() + " at " + TaskContext.current().workerIndex()')
        self.assertEqual("w1: w1 at 0\nw2: w2 at 1\nw3: w3 at 2", run.result())
        html = run.of("execute_result")[0]["data"]["text/html"]
        self.assertEqual(3, html.count("<tr><td"), html)
        self.assertIn("<code>w2 at 1</code>", html)
        self.assertEqual("w1: 2\nw2: 2\nw3: 2", self.ok("%px 1 + 1").result())

    def test_the_body_is_a_cell_using_earlier_cells_with_locals_of_its_own(self):
        self.ok("int offset = 100;")
        self.ok("int twice(int v) { return 2 * v; }")
        body = "%%px\nint s = 0;\nfor (int i = 0; i < 5; i++) s += i;\ntwice(s) + offset"
        self.assertEqual("w1: 120\nw2: 120\nw3: 120", self.ok(body).result())
        self.ok("offset = 1;")
        self.assertEqual("w1: 21\nw2: 21\nw3: 21", self.ok(body).result(), "s is declared again: no clash")
        run = self.failed("s")
        self.assertEqual("CompilationError", run.content["ename"], "names of the body are not cell variables")

    def test_state_that_stays_on_a_worker_lives_in_a_worker_local(self):
        self.ok("WorkerLocal<int[]> runs = WorkerLocal.withInitial(() -> new int[1]);")
        self.assertEqual("w1: 1\nw2: 1\nw3: 1", self.ok("%px ++runs.get()[0]").result())
        self.assertEqual("w1: 2\nw2: 2\nw3: 2", self.ok("%px ++runs.get()[0]").result())
        help_text = self.ok("%%px --help").result()
        self.assertIn("local to that run", help_text)
        self.assertIn("WorkerLocal", help_text)

    def test_output_is_grouped_by_worker_and_a_statement_shows_no_rows(self):
        run = self.ok('%%px\nString me = TaskContext.current().workerId();\n'
                      'for (int i = 0; i < 3; i++) { System.out.println(me + " line " + i); Thread.sleep(30); }\n'
                      'System.err.println(me + " warns");')
        expected = "".join("[w%d] w%d line %d\n" % (w, w, i) for w in (1, 2, 3) for i in range(3))
        self.assertEqual(expected, run.stdout())
        self.assertEqual("[w1] w1 warns\n[w2] w2 warns\n[w3] w3 warns\n", run.stderr())
        self.assertIsNone(run.result())
        self.assertIsNone(self.ok('%px System.out.println("void")').result(), "a void call has no value")
        self.assertIsNone(self.ok("%px Math.max(1, 2);").result(), "a final ; hides the value, as in a cell")

    def test_group_outputs_order_shows_each_line_as_it_arrives(self):
        msg_id = self.kc.execute('%%px --group-outputs order\nSystem.out.println("start");\nThread.sleep(2500);\n'
                                 'System.out.println("end");\n"x"')
        seen = []
        while True:
            m = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            seen.append((time.time(), m))
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                break
        shell_reply(self.kc, msg_id)
        streams = [(t, m["content"]["text"]) for t, m in seen if m["msg_type"] == "stream"]
        text = "".join(s for _, s in streams)
        for w in ("w1", "w2", "w3"):
            self.assertIn("[%s] start\n" % w, text)
            self.assertIn("[%s] end\n" % w, text)
        first_start = min(t for t, s in streams if "start" in s)
        result_at = [t for t, m in seen if m["msg_type"] == "execute_result"][0]
        self.assertGreater(result_at - first_start, 1.0, "output arrived while the cell ran")

    def test_the_same_exception_on_several_workers_is_shown_once_with_its_workers(self):
        run = self.failed('%%px\nint x = TaskContext.current().workerIndex();\n'
                       'if (x == 1) throw new IllegalStateException("odd one");\n10 / (x - x)')
        c = run.content
        self.assertEqual("jpool.TaskFailedException", c["ename"])
        self.assertEqual("%%px failed on all 3 workers", c["evalue"])
        tb = plain(c["traceback"])
        self.assertIn("TaskFailedException: %%px failed on w1, w2, w3", tb)
        zero = tb.index("w1, w3: ArithmeticException: / by zero")
        odd = tb.index("w2: IllegalStateException: odd one")
        self.assertLess(zero, odd, "in worker order")
        self.assertIn("lambda (cell line 4)", tb[zero:odd], tb)
        self.assertIn("lambda (cell line 3)", tb[odd:], tb)
        self.assertEqual(1, tb.count("ArithmeticException"), tb)
        one = self.failed('%%px --targets 1\nint z = 0;\n1 / z')
        self.assertEqual("%%px failed on its worker: w2: ArithmeticException: / by zero", one.content["evalue"])

    def test_targets_choose_workers_by_index_list_and_range(self):
        who = "TaskContext.current().workerId()"
        self.assertEqual("w1: w1\nw3: w3", self.ok("%%px --targets 0,2\n" + who).result())
        self.assertEqual("w2: w2\nw3: w3", self.ok("%%px --targets 1:3\n" + who).result())
        self.assertEqual("w2: w2\nw3: w3", self.ok("%%px --targets=1:\n" + who).result())
        self.assertEqual("w1: w1\nw2: w2\nw3: w3", self.ok("%%px --targets all\n" + who).result())
        self.assertEqual("w2: w2", self.ok("%px --targets 1 " + who).result())

    def test_noblock_returns_the_live_result_at_once_and_o_binds_it(self):
        go = self.path("go-noblock")
        run = self.ok('%%px --noblock -o r\nwhile (!Files.exists(Path.of("' + go + '"))) Thread.sleep(20);\n'
                      'TaskContext.current().workerIndex() * 10')
        shown = run.of("display_data")
        self.assertEqual(1, len(shown), run.msgs)
        self.assertTrue(shown[0]["transient"]["display_id"])
        self.assertTrue(shown[0]["data"]["text/plain"].startswith("PerWorkerResult on w1, w2, w3: "),
                        shown[0]["data"]["text/plain"])
        self.assertEqual("false", self.ok("r.ready()").result(), "the cell did not wait")
        open(go, "w").close()
        self.assertEqual("{w1=0, w2=10, w3=20}", self.ok("r.get()").result())
        self.assertEqual("11", self.ok('r.get().get("w2") + 1').result(), "typed: PerWorkerResult<Integer>")
        self.assertEqual("w1: 0\nw2: 10\nw3: 20", self.ok("%pxresult").result())

    def test_o_binds_the_result_of_a_blocking_run_too(self):
        run = self.ok("%%px -o q\n5")
        self.assertEqual("w1: 5\nw2: 5\nw3: 5", run.result())
        self.assertEqual("{w1=5, w2=5, w3=5}", self.ok("q.values()").result())
        self.assertEqual("true", self.ok("q.ready()").result())

    def test_pxresult_shows_the_last_run_again_with_its_output(self):
        self.ok('%%px\nSystem.out.println("hello from " + TaskContext.current().workerId());\n'
                'TaskContext.current().workerIndex()')
        run = self.ok("%pxresult")
        self.assertEqual("[w1] hello from w1\n[w2] hello from w2\n[w3] hello from w3\n", run.stdout())
        self.assertEqual("w1: 0\nw2: 1\nw3: 2", run.result())
        self.failed('%%px\nint z = 0;\n1 / z')
        again = self.ok("%pxresult")
        self.assertEqual("w1, w2, w3: ArithmeticException: / by zero", again.result(), "failures as rows, no error")

    def test_a_compile_error_points_at_the_users_line(self):
        run = self.failed("%%px\nint a = 1;\nint b = nosuch(a);\nb")
        c = run.content
        self.assertEqual("CompilationError", c["ename"])
        self.assertIn("cell line 3", plain(c["traceback"][:1]))
        self.assertEqual("    int b = nosuch(a);", plain(c["traceback"][1:2]))
        last = self.failed("%%px\nint a = 1;\na + nosuch")
        tb = [ANSI.sub("", t) for t in last.content["traceback"]]
        self.assertIn("cell line 3", tb[0])
        self.assertEqual("    a + nosuch", tb[1], "the line as written, not the generated code")
        self.assertEqual("        ^^^^^^", tb[2])
        line = self.failed("int before = 1;\n%px nosuch + 1")
        self.assertIn("cell line 2", plain(line.content["traceback"][:1]), "a %px line in the middle of a cell")

    def test_interrupt_cancels_a_blocking_px_on_every_worker(self):
        msg_id = self.kc.execute('%%px --group-outputs order\nSystem.out.println("sleeping");\n'
                                 'Thread.sleep(30_000);\n1')
        deadline = time.time() + TIMEOUT
        printed = 0
        while printed < 3 and time.time() < deadline:
            try:
                m = self.kc.get_iopub_msg(timeout=1)
            except queue.Empty:
                continue
            if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "stream":
                printed += m["content"]["text"].count("sleeping")
        self.assertEqual(3, printed, "every worker started")
        t0 = time.time()
        self.km.interrupt_kernel()
        reply = shell_reply(self.kc, msg_id, 20)["content"]
        took = time.time() - t0
        self.assertLess(took, 5.0)
        self.assertEqual(("error", "Interrupted"), (reply["status"], reply["ename"]))
        self.assertEqual("cancelled %%px on w1, w2, w3 (3 were running)", reply["evalue"])
        t1 = time.time()
        self.assertEqual("w1: 1\nw2: 1\nw3: 1", self.ok("%px 1").result())
        self.assertLess(time.time() - t1, 10, "the workers are free at once")

    # ---------------------------------------------------------------- %%task

    def test_task_returns_at_once_and_its_variable_holds_the_value_afterwards(self):
        go = self.path("go-task")
        run = self.ok('%%task --name answer\nwhile (!Files.exists(Path.of("' + go + '"))) Thread.sleep(20);\n6 * 7')
        shown = run.of("display_data")
        self.assertEqual(1, len(shown), run.msgs)
        self.assertTrue(shown[0]["transient"]["display_id"])
        self.assertEqual("2", self.ok("1 + 1").result(), "the notebook is free while the task runs")
        self.assertEqual("false", self.ok("answer.ready()").result())
        open(go, "w").close()
        self.wait_until_true("((Object) answer) instanceof AsyncResult<?> a ? a.ready() : true")
        self.assertEqual("43", self.ok("answer + 1").result(), "answer is the value itself now, an Integer")
        self.assertEqual("Integer", self.ok("((Object) answer).getClass().getSimpleName()").result())

    def test_a_failed_task_leaves_its_variable_the_result_and_says_so(self):
        self.ok('%%task --name broken\nint z = 0;\n1 / z')
        runs = self.wait_until_true("((Object) broken) instanceof AsyncResult<?> a ? a.ready() : true")
        runs.append(self.ok("broken.ready()"))
        notes = "".join(r.stderr() for r in runs)
        self.assertIn("%%task --name broken failed: ArithmeticException: / by zero; broken stays its AsyncResult",
                      notes)
        self.assertEqual("true", runs[-1].result())
        self.assertEqual(1, notes.count("%%task --name broken"), "said once")

    def test_a_task_body_is_a_cell_too(self):
        self.ok("int factor = 3;")
        run = self.ok('%%task --name listed\nList<Integer> xs = new ArrayList<>();\n'
                      'for (int i = 0; i < 3; i++) xs.add(i * factor);\nxs')
        shown = run.of("display_data") + run.of("execute_result")  # live, or already done when shown
        self.assertEqual(1, len(shown), run.msgs)
        self.assertTrue(shown[0]["data"]["text/plain"].startswith("AsyncResult: "), shown[0]["data"])
        self.wait_until_true("((Object) listed) instanceof AsyncResult<?> a ? a.ready() : true")
        self.assertEqual("6", self.ok("listed.get(2)").result(), "typed List<Integer>")

    # ---------------------------------------------------------------- bad arguments

    def test_bad_arguments_get_a_usage_line_and_start_nothing(self):
        marker = self.path("ran")
        body = 'Files.writeString(Path.of("' + marker + '"), "ran");\n1'
        self.ok('String notAPool = "x";')
        px = "usage: %%px [--targets all|0,2|1:3]"
        line = "usage: %px [--targets all|0,2|1:3]"
        task = "usage: %%task [--name VAR] [--pool VAR]"
        cases = [
            ("%%px --bogus\n" + body, "unknown option --bogus", px),
            ("%%px stray\n" + body, "unexpected argument stray", px),
            ("%%px --targets x\n" + body, "--targets x: 'x' is not a worker index", px),
            ("%%px --targets 3\n" + body, "--targets 3: the pool has 3 workers, indexes 0 to 2", px),
            ("%%px --targets 1:9\n" + body, "--targets 1:9: the pool has 3 workers", px),
            ("%%px --targets 2:1\n" + body, "the range 2:1 selects no worker", px),
            ("%%px -o\n" + body, "-o needs a value", px),
            ("%%px -o 2x\n" + body, "-o 2x: not a Java variable name", px),
            ("%%px --group-outputs type\n" + body, "--group-outputs type: say worker", px),
            ("%%px --pool nosuch\n" + body, "there is no variable nosuch", px),
            ("%%px --pool notAPool\n" + body, "notAPool is a java.lang.String, not a jpool.Pool", px),
            ("%%px\n  // nothing\n", "the cell has no code below its first line", px),
            ("%px --targets 7 " + body.replace("\n", " "), "--targets 7: the pool has 3 workers", line),
            ("%px --noblock", "no statement to run", line),
            ("%%task --bogus\n" + body, "unknown option --bogus", task),
            ("%%task --name\n" + body, "--name needs a value", task),
            ("%%task --pool nosuch\n" + body, "there is no variable nosuch", task),
            ("%pxresult extra", "takes no arguments", "usage: %pxresult"),
        ]
        for code, problem, usage in cases:
            run = self.failed(code)
            c = run.content
            self.assertEqual("UsageError", c["ename"], code)
            self.assertIn(problem, c["evalue"], code)
            self.assertIn("\n" + usage, c["evalue"], code)
        # a run on every worker queues behind anything submitted before it: none of the above ran
        self.assertEqual("w1: 0\nw2: 0\nw3: 0", self.ok("%px 0").result())
        self.assertFalse(os.path.exists(marker), "a refused magic started nothing")


if __name__ == "__main__":
    unittest.main()
