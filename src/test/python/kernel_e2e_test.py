#!/usr/bin/python3
"""End-to-end tests of the jpool kernel through jupyter_client (run by KernelE2EIT after `mvn package`).

The kernelspec must be installed where jupyter_client finds it (KernelE2EIT installs it into a temporary
--prefix and sets JUPYTER_PATH). Every kernel started here is shut down in a finally/tearDown.
"""
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest

from jupyter_client.manager import KernelManager

KERNEL = os.environ.get("JPOOL_KERNEL_NAME", "jpool")
TIMEOUT = 60


def start_kernel(**env):
    km = KernelManager(kernel_name=KERNEL)
    if env:
        km.start_kernel(env=dict(os.environ, **env))
    else:
        km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=TIMEOUT)
    except Exception:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        raise
    return km, kc


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is gone for our purposes
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return False


def wait_gone(pid, seconds=15):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if not pid_alive(pid):
            return True
        time.sleep(0.1)
    return False


class Run:
    """Everything one execute_request produced."""

    def __init__(self, reply, msgs):
        self.reply = reply
        self.content = reply["content"]
        self.msgs = msgs

    def of(self, msg_type):
        return [m["content"] for m in self.msgs if m["msg_type"] == msg_type]

    def stdout(self):
        return "".join(c["text"] for c in self.of("stream") if c["name"] == "stdout")

    def stderr(self):
        return "".join(c["text"] for c in self.of("stream") if c["name"] == "stderr")

    def result(self):
        r = self.of("execute_result")
        return r[0]["data"]["text/plain"] if r else None


def shell_reply(kc, msg_id, timeout=TIMEOUT):
    """The shell reply to one request, skipping replies to others."""
    while True:
        m = kc.get_shell_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") == msg_id:
            return m


def execute(kc, code, allow_stdin=False, timeout=TIMEOUT, stdin_answer=None):
    msg_id = kc.execute(code, allow_stdin=allow_stdin)
    if stdin_answer is not None:
        req = kc.get_stdin_msg(timeout=timeout)
        assert req["msg_type"] == "input_request", req
        kc.input(stdin_answer)
    reply = shell_reply(kc, msg_id, timeout)
    msgs = []
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        msgs.append(m)
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
    return Run(reply, msgs)


class PoolKernelCase(unittest.TestCase):
    """One kernel for a test class: the cells of SETUP run first (by default a pool of two workers named
    pool), CLOSE runs at the end, and the kernel is shut down also when CLOSE fails. With TMP_PREFIX set,
    cls.tmp is a fresh folder for the class, removed at the end."""
    SETUP = ("import jpool.*;", "Pool pool = Pool.create(2);")
    CLOSE = "pool.close();"
    TMP_PREFIX = None
    km = kc = tmp = None

    def ok(self, code):
        """Runs a cell that must succeed; returns the run."""
        run = execute(self.kc, code)
        self.assertEqual("ok", run.content["status"], "%s -> %s %s" % (code, run.content, run.stderr()))
        return run

    def value(self, code):
        """Runs a cell that must succeed; returns its result's plain text."""
        return self.ok(code).result()

    def failed(self, code):
        """Runs a cell that must fail; returns the run."""
        run = execute(self.kc, code)
        self.assertEqual("error", run.content["status"], "%s should fail, gave %s" % (code, run.content))
        return run

    @classmethod
    def setUpClass(cls):
        if cls.TMP_PREFIX:
            cls.tmp = tempfile.mkdtemp(prefix=cls.TMP_PREFIX)
        cls.km, cls.kc = start_kernel()
        for code in cls.SETUP:
            run = execute(cls.kc, code)
            assert run.content["status"] == "ok", "%s -> %s" % (code, run.content)

    @classmethod
    def tearDownClass(cls):
        try:
            if cls.kc is not None:
                execute(cls.kc, cls.CLOSE)
                cls.kc.stop_channels()
        finally:
            if cls.km is not None:
                cls.km.shutdown_kernel(now=False)
            if cls.tmp:
                shutil.rmtree(cls.tmp, ignore_errors=True)


class KernelTest(unittest.TestCase):
    km = kc = None

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_kernel()

    @classmethod
    def tearDownClass(cls):
        if cls.kc is not None:
            cls.kc.stop_channels()
        if cls.km is not None:
            cls.km.shutdown_kernel(now=False)

    def ok(self, code, **kw):
        run = execute(self.kc, code, **kw)
        self.assertEqual("ok", run.content["status"], "%s -> %s" % (code, run.content))
        return run

    def err(self, code, **kw):
        run = execute(self.kc, code, **kw)
        self.assertEqual("error", run.content["status"], "%s should fail: %s" % (code, run.content))
        self.assertEqual(1, len(run.of("error")))
        return run

    # ---------------------------------------------------------------- protocol basics

    def test_kernel_info(self):
        msg_id = self.kc.kernel_info()
        reply = shell_reply(self.kc, msg_id)
        self.assertEqual(msg_id, reply["parent_header"]["msg_id"])
        c = reply["content"]
        self.assertEqual("ok", c["status"])
        self.assertEqual("5.3", c["protocol_version"])
        self.assertEqual("java", c["language_info"]["name"])
        self.assertTrue(c["language_info"]["version"])
        self.assertEqual("jpool", c["implementation"])
        # microsecond timestamps in the header
        self.assertRegex(reply["header"]["date"].isoformat(), r"\.\d{6}")

    def test_execute_result_stream_and_count(self):
        a = self.ok("1 + 1")
        self.assertEqual("2", a.result())
        b = self.ok('System.out.println("to out"); System.err.println("to err"); "s" + 1')
        self.assertEqual("to out\n", b.stdout())
        self.assertEqual("to err\n", b.stderr())
        self.assertEqual("s1", b.result())
        self.assertEqual(a.content["execution_count"] + 1, b.content["execution_count"])
        self.assertEqual(b.content["execution_count"], b.of("execute_input")[0]["execution_count"])
        c = self.ok("int declared = 5;")
        self.assertIsNone(c.result(), "a declaration has no result")
        self.assertEqual("6", self.ok("declared + 1").result())

    def test_stream_arrives_while_cell_runs(self):
        msg_id = self.kc.execute('System.out.println("early"); Thread.sleep(1500); System.out.println("late");')
        t0 = time.time()
        first_stream_at = None
        while True:
            m = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            if m["msg_type"] == "stream" and first_stream_at is None:
                first_stream_at = time.time() - t0
                self.assertIn("early", m["content"]["text"])
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                break
        shell_reply(self.kc, msg_id)
        self.assertIsNotNone(first_stream_at)
        self.assertLess(first_stream_at, 1.2, "stdout is published while the cell runs")

    def test_runtime_error(self):
        self.ok("int divide(int a, int b) {\n    return a / b;\n}")
        run = self.err("int x = 1;\ndivide(x, 0)")
        e = run.of("error")[0]
        self.assertEqual("java.lang.ArithmeticException", e["ename"])
        self.assertEqual("/ by zero", e["evalue"])
        tb = "\n".join(e["traceback"])
        self.assertIn("divide", tb)
        self.assertIn("cell line 2", tb)
        self.assertNotIn("jdk.jshell", tb)
        self.assertNotIn("jpool.kernel", tb)
        self.assertEqual("error", run.content["status"])
        self.assertEqual("java.lang.ArithmeticException", run.content["ename"])

    def test_compile_error_shows_line_and_caret(self):
        run = self.err("int ok = 1;\nString s = ok.length();")
        e = run.of("error")[0]
        self.assertEqual("CompilationError", e["ename"])
        tb = "\n".join(e["traceback"])
        self.assertIn("cell line 2", tb)
        self.assertIn("String s = ok.length();", tb)
        self.assertIn("^", tb)

    def test_queued_cells_are_aborted_after_an_error(self):
        first = self.kc.execute('Thread.sleep(500); throw new IllegalStateException("stop here");')
        second = self.kc.execute('System.out.println("must not run");')
        replies = {}
        while len(replies) < 2:
            m = self.kc.get_shell_msg(timeout=TIMEOUT)
            replies[m["parent_header"]["msg_id"]] = m["content"]
        self.assertEqual("error", replies[first]["status"])
        self.assertEqual("java.lang.IllegalStateException", replies[first]["ename"])
        self.assertEqual("aborted", replies[second]["status"])
        self.assertEqual("ok", self.ok("1").content["status"])

    def test_context_class_loader_sees_cell_classes(self):
        self.ok("class Probe {}")
        self.assertEqual("true", self.ok("Thread.currentThread().getContextClassLoader() == Probe.class.getClassLoader()")
                         .result())

    def test_incomplete_source(self):
        e = self.err("for (int i = 0; i < 3; i++) {").of("error")[0]
        self.assertEqual("IncompleteSource", e["ename"])

    def test_display_and_update_after_cell_returned(self):
        # the update waits for a file the test writes once the cell has returned (no race with the cell's idle)
        go = os.path.join(tempfile.mkdtemp(prefix="jpool-display-"), "go")
        run = self.ok(textwrap.dedent("""\
            var h = Display.handle();
            h.display("starting");
            new Thread(() -> {
                try {
                    while (!Files.exists(Path.of("%s"))) { Thread.sleep(10); }
                } catch (InterruptedException e) { }
                h.update("finished");
            }).start();
            h.id()
            """ % go))
        open(go, "w").close()
        shown = run.of("display_data")
        self.assertEqual(1, len(shown))
        display_id = shown[0]["transient"]["display_id"]
        self.assertEqual("starting", shown[0]["data"]["text/plain"])
        self.assertEqual(display_id, run.result())
        # the update arrives after the cell's idle, under the same parent, by display id
        deadline = time.time() + 10
        update = None
        while time.time() < deadline and update is None:
            try:
                m = self.kc.get_iopub_msg(timeout=1)
            except queue.Empty:
                continue
            if m["msg_type"] == "update_display_data":
                update = m
        self.assertIsNotNone(update, "no update_display_data after the cell returned")
        self.assertEqual(display_id, update["content"]["transient"]["display_id"])
        self.assertEqual("finished", update["content"]["data"]["text/plain"])
        self.assertEqual(run.reply["parent_header"]["msg_id"], update["parent_header"]["msg_id"])

    def test_display_functions_in_cells(self):
        run = self.ok('String id = display(Display.html("<b>hi</b>"));\nupdateDisplay(id, "plain now");\n'
                      'render(List.of(1, 2), "text/plain")')
        self.assertEqual("<b>hi</b>", run.of("display_data")[0]["data"]["text/html"])
        upd = run.of("update_display_data")[0]
        self.assertEqual(run.of("display_data")[0]["transient"]["display_id"], upd["transient"]["display_id"])
        self.assertEqual("[1, 2]", run.result())
        self.assertEqual("7", self.ok('eval("3 + 4")').result())
        cleared = self.ok('System.out.println("x"); clearOutput();')
        self.assertEqual(1, len(cleared.of("clear_output")))

    def test_live_renderer(self):
        # a live type re-renders itself in the background until finished (what AsyncResult will use)
        self.ok(textwrap.dedent("""\
            class Progress { volatile int done; }
            Display.renderers().registerLive(Progress.class,
                p -> MimeBundle.text("progress " + p.done), p -> p.done >= 3);
            var p = new Progress();
            new Thread(() -> { for (int i = 1; i <= 3; i++) {
                try { Thread.sleep(150); } catch (InterruptedException e) { }
                p.done = i; } }).start();
            """))
        run = self.ok("p")
        res = run.of("display_data")[0]  # a live cell value comes as display_data, the type frontends update
        display_id = res["transient"]["display_id"]
        texts = []
        deadline = time.time() + 10
        while time.time() < deadline and "progress 3" not in texts:
            try:
                m = self.kc.get_iopub_msg(timeout=1)
            except queue.Empty:
                continue
            if m["msg_type"] == "update_display_data" and m["content"]["transient"]["display_id"] == display_id:
                texts.append(m["content"]["data"]["text/plain"])
        self.assertIn("progress 3", texts)

    # ---------------------------------------------------------------- analysis requests

    def test_complete(self):
        code = "Math.ma"
        msg_id = self.kc.complete(code, len(code))
        c = shell_reply(self.kc, msg_id)["content"]
        self.assertEqual("ok", c["status"])
        self.assertIn("max(", c["matches"])
        self.assertEqual(5, c["cursor_start"])
        self.assertEqual(7, c["cursor_end"])
        msg_id = self.kc.complete("%mav", 4)
        c = shell_reply(self.kc, msg_id)["content"]
        self.assertIn("%maven", c["matches"])
        self.assertEqual(0, c["cursor_start"])

    def test_inspect(self):
        msg_id = self.kc.inspect("Math.max(1, 2)", 6, detail_level=0)
        c = shell_reply(self.kc, msg_id)["content"]
        self.assertEqual("ok", c["status"])
        self.assertTrue(c["found"])
        self.assertIn("max(", c["data"]["text/plain"])
        msg_id = self.kc.inspect("%maven x", 3)
        c = shell_reply(self.kc, msg_id)["content"]
        self.assertTrue(c["found"])

    def test_is_complete(self):
        for code, status in [("int x = 1;", "complete"), ("for (int i = 0; i < 3; i++) {", "incomplete"),
                             ("1 + 1", "complete")]:
            msg_id = self.kc.is_complete(code)
            c = shell_reply(self.kc, msg_id)["content"]
            self.assertEqual(status, c["status"], code)

    def test_history(self):
        self.ok('"history marker"')
        msg_id = self.kc.history(hist_access_type="tail", n=3, output=False, raw=True)
        c = shell_reply(self.kc, msg_id)["content"]
        self.assertEqual("ok", c["status"])
        self.assertTrue(c["history"])
        for item in c["history"]:
            self.assertEqual(3, len(item))
            self.assertIsInstance(item[0], int)
            self.assertIsInstance(item[1], int)
            self.assertIsInstance(item[2], str)
        self.assertEqual('"history marker"', c["history"][-1][2])
        msg_id = self.kc.history(hist_access_type="tail", n=1, output=True, raw=True)
        c = shell_reply(self.kc, msg_id)["content"]
        session, line, (inp, out) = c["history"][-1]
        self.assertEqual('"history marker"', inp)
        self.assertEqual("history marker", out)
        msg_id = self.kc.history(hist_access_type="search", pattern="*marker*", output=False, raw=True)
        c = shell_reply(self.kc, msg_id)["content"]
        self.assertTrue(any("marker" in h[2] for h in c["history"]))

    def test_comms(self):
        c = shell_reply(self.kc, self.kc.comm_info())["content"]
        self.assertEqual("ok", c["status"])
        self.assertIsInstance(c["comms"], dict)
        # an unknown target is closed politely
        msg = self.kc.session.msg("comm_open", {"comm_id": "c-1", "target_name": "no-such-target", "data": {}})
        self.kc.shell_channel.send(msg)
        deadline = time.time() + 10
        closed = False
        while time.time() < deadline and not closed:
            m = self.kc.get_iopub_msg(timeout=TIMEOUT)
            closed = m["msg_type"] == "comm_close" and m["content"]["comm_id"] == "c-1"
        self.assertTrue(closed)

    # ---------------------------------------------------------------- interrupt, stdin

    def test_interrupt_busy_loop_then_execute_again(self):
        msg_id = self.kc.execute("long spins = 0;\nwhile (true) { spins++; }")
        # wait until it runs
        while True:
            m = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "execute_input":
                break
        time.sleep(1.0)
        t0 = time.time()
        self.km.interrupt_kernel()
        reply = shell_reply(self.kc, msg_id, 20)
        self.assertLess(time.time() - t0, 10)
        self.assertEqual("error", reply["content"]["status"])
        self.assertEqual("Interrupted", reply["content"]["ename"])
        while True:
            m = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status" \
                    and m["content"]["execution_state"] == "idle":
                break
        self.assertEqual("4", self.ok("2 + 2").result())

    def test_interrupt_after_nested_eval(self):
        self.assertEqual("9", self.ok('eval("int nested = 9;");\nnested').result())
        msg_id = self.kc.execute('eval("1 + 1");\nlong k = 0;\nwhile (true) { k++; }')
        time.sleep(1.0)
        self.km.interrupt_kernel()
        reply = shell_reply(self.kc, msg_id, 20)
        self.assertEqual("Interrupted", reply["content"]["ename"])
        self.assertEqual("3", self.ok("1 + 2").result())

    def test_interrupt_sleeping_cell(self):
        msg_id = self.kc.execute("Thread.sleep(60_000);")
        time.sleep(1.0)
        self.km.interrupt_kernel()
        reply = shell_reply(self.kc, msg_id, 20)
        self.assertEqual("error", reply["content"]["status"])
        self.assertEqual("5", self.ok("2 + 3").result())

    def test_flood_of_output_and_interrupting_a_printing_loop(self):
        run = self.ok("for (int i = 0; i < 100000; i++) System.out.println(i);")
        self.assertEqual(100000, run.stdout().count("\n"))
        self.assertLess(len(run.of("stream")), 1000, "output is coalesced into few messages")
        msg_id = self.kc.execute("for (long i = 0; ; i++) { System.out.println(i); }")
        time.sleep(1.0)
        self.km.interrupt_kernel()
        reply = shell_reply(self.kc, msg_id, 20)
        self.assertEqual("Interrupted", reply["content"]["ename"])
        self.assertEqual("2", self.ok("1 + 1").result())

    def test_input_request(self):
        run = execute(self.kc, 'var sc = new Scanner(System.in);\n"got " + sc.nextLine()', allow_stdin=True,
                      stdin_answer="hello kernel")
        self.assertEqual("ok", run.content["status"], run.content)
        self.assertEqual("got hello kernel", run.result())
        run = execute(self.kc, 'Notebook.input("name? ")', allow_stdin=True, stdin_answer="Ada")
        self.assertEqual("Ada", run.result())
        # without allow_stdin reading fails cleanly instead of hanging
        run = execute(self.kc, "System.in.read()", allow_stdin=False)
        self.assertEqual("error", run.content["status"])

    # ---------------------------------------------------------------- magics

    def test_classpath_jars_load_and_time_magics(self):
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, "src", "demo")
            os.makedirs(src)
            with open(os.path.join(src, "Greeter.java"), "w") as f:
                f.write("package demo; public class Greeter { public static String hi(String n) "
                        "{ return \"hi \" + n; } }")
            with open(os.path.join(src, "Adder.java"), "w") as f:
                f.write("package demo; public class Adder { public static int add(int a, int b) { return a + b; } }")
            classes = os.path.join(d, "classes")
            javac = os.path.join(os.path.dirname(os.path.realpath(_java())), "javac")
            subprocess.run([javac, "-d", classes, os.path.join(src, "Greeter.java")], check=True)
            libdir = os.path.join(d, "lib")
            os.makedirs(libdir)
            adder_classes = os.path.join(d, "adder")
            subprocess.run([javac, "-d", adder_classes, os.path.join(src, "Adder.java")], check=True)
            jar = os.path.join(os.path.dirname(javac), "jar")
            subprocess.run([jar, "cf", os.path.join(libdir, "adder.jar"), "-C", adder_classes, "."], check=True)
            self.ok("%classpath " + classes)
            self.assertEqual("hi Ada", self.ok('demo.Greeter.hi("Ada")').result())
            run = self.ok("List<String> added = %jars " + libdir + "/*.jar\nadded.size()")
            self.assertEqual("1", run.result(), "IJava's magic-as-value form")
            self.assertEqual("5", self.ok("demo.Adder.add(2, 3)").result())
            self.assertIn("%jars", self.ok('lineMagic("lsmagic", List.of())').result())
            script = os.path.join(d, "setup.jshell")
            with open(script, "w") as f:
                f.write("int tripled(int x) { return 3 * x; }\nSystem.out.println(\"loaded\");\n")
            run = self.ok("%load " + script)
            self.assertIn("loaded", run.stdout())
            self.assertEqual("21", self.ok("tripled(7)").result())
        run = self.ok("%time tripled(2)")
        self.assertIn("Wall time", run.stdout())
        self.assertEqual("6", run.result())
        run = self.ok("%%time\nint t = tripled(5);\nt + 1")
        self.assertIn("Wall time", run.stdout())
        self.assertEqual("16", run.result())
        run = self.ok('String fmt = """\n%s has %d items\n""";\n%time fmt.formatted("cart", 3)')
        self.assertEqual("cart has 3 items\n", run.of("execute_result")[0]["data"]["text/plain"])
        run = self.ok("int before = 1;\n%time before + 1\nbefore + 2")
        self.assertEqual("3", run.result(), "line magics run in place among Java lines")

    # ---------------------------------------------------------------- what a Python user expects of a cell

    def test_trailing_semicolon_suppresses_the_value(self):
        self.assertEqual("2", self.ok("Math.max(1, 2)").result())
        self.assertEqual([], self.ok("Math.max(1, 2);").of("execute_result"))
        self.assertEqual([], self.ok("Math.max(3, 4); // no value, as in IPython").of("execute_result"))
        run = self.ok('System.out.printf("formatted %d%n", 7);')
        self.assertEqual("formatted 7\n", run.stdout())
        self.assertEqual([], run.of("execute_result"), "no PrintStream@... after printf")
        run = self.ok('display("shown once");')
        self.assertEqual([], run.of("execute_result"), "the display id is not shown")
        self.assertEqual(["shown once"], [c["data"]["text/plain"] for c in run.of("display_data")])

    def test_exit_and_quit_ask_the_frontend_to_end_the_session(self):
        for word in ("exit", "quit", "exit()"):
            run = self.ok(word)
            self.assertEqual([{"source": "ask_exit", "keepkernel": False}], run.content["payload"], word)
        self.assertEqual("3", self.ok("1 + 2").result(), "the kernel itself goes on until the frontend ends it")

    def test_atomic_and_locks_are_imported_by_default(self):
        self.assertEqual("6", self.ok("new AtomicInteger(5).incrementAndGet()").result())
        self.assertEqual("true", self.ok("Lock lock = new ReentrantLock();\nlock.tryLock()").result())

    def test_ambiguous_println_of_a_generic_call_gets_a_hint(self):
        self.ok("<R> R anything() { return null; }")
        run = self.err("System.out.println(anything())")
        self.assertEqual("CompilationError", run.content["ename"])
        self.assertIn("is ambiguous", run.content["evalue"])
        self.assertIn("hint:", "\n".join(run.content["traceback"]))
        self.assertIn("(Object)", "\n".join(run.content["traceback"]))

    def test_system_exit_in_a_cell_fails_the_cell_and_keeps_the_kernel(self):
        pid = self.ok("ProcessHandle.current().pid()").result()
        self.ok("int kept = 41;")
        for code, shown in (("System.exit(3);", "System.exit(3)"),
                            ("Runtime.getRuntime().halt(4);", "Runtime.halt(4)"),
                            ("IntConsumer bye = System::exit;\nbye.accept(5);", "System.exit(5)"),
                            ("void leave() { System.exit(6); }\nleave();", "System.exit(6)")):
            run = self.err(code)
            self.assertEqual("java.lang.UnsupportedOperationException", run.content["ename"], code)
            self.assertIn(shown + " was not run", run.content["evalue"], code)
        self.assertEqual("42", self.ok("kept + 1").result())
        self.assertEqual(pid, self.ok("ProcessHandle.current().pid()").result())
        # a task's System.exit still ends its worker, and says so
        run = self.err("try (var one = jpool.Pool.create(1)) {\n"
                       "    one.apply(() -> { System.exit(7); return 0; });\n}")
        text = run.content["evalue"] + "\n".join(run.content["traceback"])
        self.assertIn("WorkerLostException", text)
        self.assertIn("System.exit", text)

    def test_task_errors_read_well(self):
        self.ok("jpool.Pool errPool = jpool.Pool.create(1);\nint divide(int a, int b) {\n    return a / b;\n}")
        try:
            run = self.err("int zero = 0;\nerrPool.apply(x -> divide(x, zero), 5)")
            tb = "\n".join(run.content["traceback"])
            self.assertIn("ArithmeticException", tb)
            self.assertRegex(tb, r"at divide \(\S*In \[\d+\] line 3", "the remote frame in the cell that declared it")
            self.assertNotIn("at jpool.", tb, "no frames of jpool itself, local or remote")
            run = self.err("record Holder(Thread t) implements java.io.Serializable {}\n"
                           "var holder = new Holder(Thread.currentThread());\nerrPool.apply(x -> holder.t().getName(), 5)")
            self.assertEqual("jpool.NotSerializableTaskException", run.content["ename"])
            self.assertIn("`holder`", run.content["evalue"])
            tb = run.content["traceback"]
            self.assertEqual(2, len(tb), "one paragraph and the cell line: %s" % tb)
            self.assertNotIn("Caused by", "\n".join(tb))
        finally:
            self.ok("errPool.close();")

    def test_completion_sees_declarations_earlier_in_the_cell(self):
        code = 'String s = "";\ns.toUpp'
        c = shell_reply(self.kc, self.kc.complete(code, len(code)))["content"]
        self.assertIn("toUpperCase(", c["matches"])
        self.assertEqual(len(code) - len("toUpp"), c["cursor_start"])
        code = 'String s = "";\nrecord Pt(int x, int y) {}\nvoid m() { }\nvar t = s.trim();\nfor (int i = 0; i < 2; i++) { }\nt.isBl'
        c = shell_reply(self.kc, self.kc.complete(code, len(code)))["content"]
        self.assertIn("isBlank()", c["matches"], "through a type, a method and a statement")
        # and inspection still works afterwards
        c = shell_reply(self.kc, self.kc.inspect("Math.max(1, 2)", 6, detail_level=0))["content"]
        self.assertTrue(c["found"])

    def test_notebooks_carry_the_kernels_language_info(self):
        import glob
        import json
        msg_id = self.kc.kernel_info()
        info = shell_reply(self.kc, msg_id)["content"]["language_info"]
        notebooks = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "..", "..", "..", "notebooks", "*.ipynb")))
        self.assertTrue(notebooks)
        for path in notebooks:
            with open(path) as f:
                saved = json.load(f)["metadata"]["language_info"]
            # saved on the default JDK; the version is the feature release the kernel runs on
            self.assertEqual(dict(info, version="17"), saved, path)
            self.assertEqual(str(int(info["version"])), info["version"])

    def test_bad_magics_are_usage_errors(self):
        for code in ["%classpath /no/such/dir", "%jars", "%maven not-coordinates", "%nosuchmagic x",
                     "%%nosuchcell\nbody", "%load /no/such/file.jshell"]:
            e = self.err(code).of("error")[0]
            self.assertEqual("UsageError", e["ename"], code)
        self.assertEqual("2", self.ok("1 + 1").result(), "the kernel is still alive")

    def test_maven(self):
        run = execute(self.kc, "%maven org.apache.commons:commons-text:1.12.0", timeout=180)
        self.assertEqual("ok", run.content["status"], run.content)
        self.assertIn("commons-lang3", run.stdout(), "transitive dependency resolved")
        self.assertEqual("Hello World",
                         self.ok('org.apache.commons.text.WordUtils.capitalizeFully("hello world")').result())
        pom = textwrap.dedent("""\
            %%loadFromPOM
            <properties><lang.version>3.14.0</lang.version></properties>
            <repository><id>central2</id><url>https://repo.maven.apache.org/maven2/</url></repository>
            <dependency>
              <groupId>org.apache.commons</groupId>
              <artifactId>commons-lang3</artifactId>
              <version>${lang.version}</version>
            </dependency>
            <dependency><groupId>junit</groupId><artifactId>junit</artifactId><version>4.13.2</version>
              <scope>test</scope></dependency>
            """)
        run = execute(self.kc, pom, timeout=180)
        self.assertEqual("ok", run.content["status"], run.content)
        self.assertIn("commons-lang3-3.14.0.jar", run.stdout())
        self.assertNotIn("junit", run.stdout(), "test scope is skipped")
        self.assertEqual("cba", self.ok('org.apache.commons.lang3.StringUtils.reverse("abc")').result())
        self.ok("%addMavenDependency org.apache.commons:commons-lang3:3.14.0")


def _java():
    import json
    from jupyter_client.kernelspec import KernelSpecManager
    return KernelSpecManager().get_kernel_spec(KERNEL).argv[0]


class ConfigurationTest(unittest.TestCase):

    def test_ijava_variables(self):
        with tempfile.TemporaryDirectory() as d:
            script = os.path.join(d, "boot.jshell")
            with open(script, "w") as f:
                f.write("String fromScript() { return \"script\"; }\n")
            res = os.path.join(d, "res")
            os.makedirs(res)
            with open(os.path.join(res, "hello.txt"), "w") as f:
                f.write("on the class path")
            km, kc = start_kernel(IJAVA_TIMEOUT="1500", JPOOL_STARTUP_SCRIPT="int fromStartup = 42;",
                                  IJAVA_STARTUP_SCRIPTS_PATH=os.path.join(d, "*.jshell"), IJAVA_CLASSPATH=res,
                                  IJAVA_COMPILER_OPTS="-Xlint:none")
            try:
                self.assertEqual("42", execute(kc, "fromStartup").result())
                self.assertEqual("script", execute(kc, "fromScript()").result())
                run = execute(kc, "((jpool.ship.CaptureAnalyzer) jpool.ship.CodeShipper.installed()).registry().classPathEntries().toString()")
                self.assertEqual("[%s]" % res, run.result(),
                                 "IJAVA_CLASSPATH entries are recorded for shipping, the kernel's own jar is not")
                t0 = time.time()
                run = execute(kc, "while (true) { }")
                self.assertEqual("error", run.content["status"])
                self.assertEqual("TimeoutException", run.content["ename"])
                self.assertLess(time.time() - t0, 10)
                self.assertEqual("3", execute(kc, "1 + 2").result())
            finally:
                kc.stop_channels()
                km.shutdown_kernel(now=False)


class LifecycleTest(unittest.TestCase):

    def test_shutdown_leaves_no_java_process(self):
        km, kc = start_kernel()
        try:
            run = execute(kc, "ProcessHandle.current().pid()")
            pid = int(run.result())
            self.assertTrue(pid_alive(pid))
            # restart gives a new process and ends the old one
            km.restart_kernel(now=False)
            kc.wait_for_ready(timeout=TIMEOUT)
            pid2 = int(execute(kc, "ProcessHandle.current().pid()").result())
            self.assertNotEqual(pid, pid2)
            self.assertTrue(wait_gone(pid), "old kernel %d still running after restart" % pid)
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=False)
        self.assertTrue(wait_gone(pid2), "kernel %d still running after shutdown" % pid2)

    def test_kernel_exits_when_its_parent_dies(self):
        # a parent that starts the kernel and is then killed with SIGKILL (no chance to clean up)
        parent = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""\
            import sys, time
            from jupyter_client.manager import KernelManager
            km = KernelManager(kernel_name=%r)
            km.start_kernel()
            print(km.provisioner.process.pid, flush=True)
            time.sleep(600)
            """ % KERNEL)], stdout=subprocess.PIPE, text=True)
        kernel_pid = None
        try:
            kernel_pid = int(parent.stdout.readline())
            time.sleep(2)
            self.assertTrue(pid_alive(kernel_pid))
        finally:
            parent.send_signal(signal.SIGKILL)
            parent.wait()
        try:
            self.assertTrue(wait_gone(kernel_pid, 20), "orphaned kernel %d still running" % kernel_pid)
        finally:
            if kernel_pid and pid_alive(kernel_pid):
                os.kill(kernel_pid, signal.SIGKILL)


if __name__ == "__main__":
    unittest.main(verbosity=2)
