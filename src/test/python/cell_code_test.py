#!/usr/bin/python3
"""Cell-defined code on worker JVMs, through the kernel (run by CellCodeIT after `mvn package`).

One kernel and one pool of two worker JVMs serve the whole suite; each test uses its own names so
that the tests do not depend on their order. Every answer is compared with what local evaluation
in the kernel gives, or with a value computed by hand.
"""
import os
import subprocess
import textwrap
import unittest

from kernel_e2e_test import PoolKernelCase, execute


class CellCodeTest(PoolKernelCase):

    TMP_PREFIX = "jpool-cells-"



    def error(self, code):
        run = execute(self.kc, code)
        self.assertEqual("error", run.content["status"], "%s should fail, gave %s" % (code, run.result()))
        return run.content["ename"] + ": " + run.content["evalue"] + "\n" + "\n".join(run.content["traceback"])

    # ------------------------------------------------------------------ variables, methods, records

    def test_variables_methods_and_records_as_at_submit_time(self):
        self.ok("int n = 5;")
        self.ok("record Point(int x, int y) implements Serializable {}")
        self.ok("int sq(int v) { return v * v + n; }")
        task = "pool.map(x -> sq(x) + new Point(x, 1).x(), List.of(1, 2, 3))"
        self.assertEqual("[7, 11, 17]", self.value(task))  # workers without n would give [2, 6, 12]
        self.assertEqual(self.value("List.of(1, 2, 3).stream().map(x -> sq(x) + x).toList()"), self.value(task))
        self.ok("n = 100;")
        self.assertEqual("[102, 106, 112]", self.value(task))

    def test_a_task_writing_to_a_cell_variable_changes_only_its_own_job(self):
        # Each job starts from the kernel's value; the writes of one map's tasks stay with that map.
        self.ok("int[] tally = new int[1];")
        task = ("pool.onEachWorker(() -> ++tally[0]).values().stream()"
                ".mapToInt(Integer::intValue).sum()")
        self.assertEqual("2", self.value(task))
        self.assertEqual("2", self.value(task), "the second job must not see the first one's writes")
        self.assertEqual("0", self.value("tally[0]"), "writes do not flow back")

    def test_redefinition_applies_to_later_submissions_only(self):
        # Results are kept in a list: JShell resets variables whose initializer used a redefined method.
        self.ok("List<MapResult<Integer>> bumps = new ArrayList<>();")
        self.ok("int bump(int x) { return x + 1; }")
        self.ok("bumps.add(pool.mapAsync(x -> { Thread.sleep(300); return bump(x); }, List.of(1, 2)));")
        self.ok("int bump(int x) { return x + 1000; }")
        self.ok("bumps.add(pool.mapAsync(x -> bump(x), List.of(1, 2)));")
        self.assertEqual("[2, 3]", self.value("bumps.get(0).get()"))
        self.assertEqual("[1001, 1002]", self.value("bumps.get(1).get()"))
        self.assertEqual("1001", self.value("bump(1)"))

    def test_concurrent_snapshots_never_mix(self):
        self.ok("int factor = 1;")
        self.ok("var ones = pool.mapAsync(x -> { Thread.sleep(5); return factor * x; }, "
                "IntStream.range(0, 40).boxed().toList(), 1);")
        self.ok("factor = 2;")
        self.ok("var twos = pool.mapAsync(x -> { Thread.sleep(5); return factor * x; }, "
                "IntStream.range(0, 40).boxed().toList(), 1);")
        self.assertEqual("true", self.value("ones.get().equals(IntStream.range(0, 40).boxed().toList())"))
        self.assertEqual("true", self.value("twos.get().equals(IntStream.range(0, 40).map(i -> 2 * i).boxed().toList())"))
        self.assertEqual("2", self.value("pool.map(x -> ProcessHandle.current().pid(), IntStream.range(0, 40)"
                                         ".boxed().toList(), 1).stream().distinct().count()"))

    # ------------------------------------------------------------------ language features

    def test_method_references_anonymous_classes_and_captured_locals(self):
        self.ok("class Arith { static int triple(int x) { return 3 * x; } }")
        self.assertEqual("[3, 6]", self.value("pool.map(Arith::triple, List.of(1, 2))"))
        self.ok('String prefix = "id-";')
        self.assertEqual("[id-a, id-b]", self.value('pool.map(prefix::concat, List.of("a", "b"))'))
        self.assertEqual("[10, 20]", self.value(
            "pool.map(new Fn<Integer, Integer>() { public Integer apply(Integer x) { return x * 10; } }, List.of(1, 2))"))
        self.ok("List<Integer> withLocal(int k) throws Exception { int twice = 2 * k; return pool.map(x -> x + twice, List.of(1, 2)); }")
        self.assertEqual("[15, 16]", self.value("withLocal(7)"))

    def test_generic_records_enums_and_default_methods(self):
        self.ok("record Box<T extends Serializable>(T value) implements Serializable {}")
        self.assertEqual("[Box[value=a], Box[value=b]]", self.value('pool.map(s -> new Box<>(s), List.of("a", "b"))'))
        self.ok("enum Colour { RED, GREEN { public String toString() { return \"green!\"; } } }")
        self.assertEqual("[0, 1]", self.value("pool.map(c -> c.ordinal(), List.of(Colour.RED, Colour.GREEN))"))
        self.assertEqual("true", self.value("pool.map(i -> Colour.values()[i], List.of(1)).get(0) == Colour.GREEN"))
        self.ok("interface Shape extends Serializable { double area(); default String describe() { return \"area \" + area(); } }")
        self.ok("record Square(double side) implements Shape { public double area() { return side * side; } }")
        self.assertEqual("[area 4.0, area 9.0]", self.value("pool.map(Shape::describe, List.of(new Square(2), new Square(3)))"))

    def test_results_and_exceptions_come_back_as_kernel_classes(self):
        self.ok("record Pair(int a, int b) implements Serializable {}")
        self.assertEqual("true", self.value("pool.map(x -> new Pair(x, x * x), List.of(3)).get(0).equals(new Pair(3, 9))"))
        self.assertEqual("true", self.value("pool.apply(x -> new Pair(x, 0), 1) instanceof Pair"))
        self.ok("class BadInput extends RuntimeException { BadInput(String m) { super(m); } }")
        run = self.ok(textwrap.dedent("""\
            try {
                pool.<Integer, Integer>apply(x -> { throw new BadInput("no " + x); }, 3);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof BadInput b) System.out.println("caught BadInput: " + b.getMessage());
            }"""))
        self.assertIn("caught BadInput: no 3", run.stdout())

    def test_static_initializer_does_not_run_again_on_workers(self):
        marker = os.path.join(self.tmp, "inits.txt")
        self.ok(textwrap.dedent("""\
            class Noisy {
                static int count = 3;
                static {
                    try {
                        Files.writeString(Path.of("%s"), "init in " + ProcessHandle.current().pid() + "\\n",
                                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    } catch (IOException e) { throw new UncheckedIOException(e); }
                }
            }""" % marker))
        self.assertEqual("3", self.value("Noisy.count"))
        self.ok("Noisy.count = 40;")
        self.assertEqual("[41, 42]", self.value("pool.map(x -> Noisy.count + x, List.of(1, 2))"))
        with open(marker) as f:
            lines = f.read().splitlines()
        self.assertEqual(1, len(lines), "the static initializer ran %d times: %s" % (len(lines), lines))

    # ------------------------------------------------------------------ pool initializers

    def test_initializer_sets_worker_globals_that_tasks_read(self):
        # Python's lesson: an initializer sets a global in each worker process; tasks read it there.
        self.ok("class Greeter { static String greeting = \"unset\"; }")
        self.ok("int threshold = 0;")
        self.ok('String prefix = "hello from ";')
        self.ok("Pool initPool = Pool.builder().processes(2).initializer(() -> {"
                " Greeter.greeting = prefix + ProcessHandle.current().pid(); threshold = 10; }).start();")
        try:
            text = self.value("initPool.map(x -> Greeter.greeting + \" \" + ProcessHandle.current().pid()"
                              " + \" \" + (threshold + x), List.of(1, 2, 3, 4), 1)")
            rows = text.strip("[]").split(", ")
            self.assertEqual(4, len(rows), text)
            for i, row in enumerate(rows):
                words = row.split(" ")  # hello from <init pid> <task pid> <threshold + x>
                self.assertEqual(["hello", "from"], words[:2], text)
                self.assertEqual(words[2], words[3], "the initializer ran in the task's worker: " + text)
                self.assertEqual(str(11 + i), words[4], text)
            self.assertEqual("unset", self.value("Greeter.greeting"))
            self.assertEqual("0", self.value("threshold"))
            # The initializer read prefix: it stays as at pool start on the workers, and the pool says so.
            self.ok('prefix = "changed ";')
            run = self.ok("initPool.apply(() -> prefix)")
            self.assertEqual("hello from ", run.result())
            self.assertIn("the pool's initializer uses prefix", run.stderr())
        finally:
            self.ok("initPool.close();")

    # ------------------------------------------------------------------ jars

    def test_jars_added_to_the_kernel_reach_the_workers(self):
        src = os.path.join(self.tmp, "src", "greet")
        os.makedirs(src)
        with open(os.path.join(src, "Greeter.java"), "w") as f:
            f.write("package greet; public class Greeter { public static String hello(String who) "
                    "{ return \"hello, \" + who; } }")
        classes = os.path.join(self.tmp, "classes")
        javac = os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "javac")
        jar = os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "jar")
        subprocess.run([javac, "--release", "17", "-d", classes, os.path.join(src, "Greeter.java")], check=True)
        jar_path = os.path.join(self.tmp, "greet.jar")
        subprocess.run([jar, "cf", jar_path, "-C", classes, "."], check=True)
        self.ok("%%jars %s" % jar_path)
        self.assertEqual("[hello, a, hello, b]", self.value('pool.map(greet.Greeter::hello, List.of("a", "b"))'))

    def test_folders_added_with_classpath_reach_the_workers(self):
        src = os.path.join(self.tmp, "src2", "shout")
        os.makedirs(src)
        with open(os.path.join(src, "Shout.java"), "w") as f:
            f.write("package shout; public class Shout { public static String of(String s) { return s.toUpperCase() + \"!\"; } }")
        classes = os.path.join(self.tmp, "classes2")
        javac = os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "javac")
        subprocess.run([javac, "--release", "17", "-d", classes, os.path.join(src, "Shout.java")], check=True)
        self.ok("%%classpath %s" % classes)
        self.assertEqual("[HEY!]", self.value('pool.map(s -> shout.Shout.of(s), List.of("hey"))'))

    # ------------------------------------------------------------------ errors that say what to do

    def test_unserializable_cell_variable_is_named(self):
        self.ok("Thread worker = new Thread();")
        text = self.error("pool.apply(x -> worker.getName() + x, 1)")
        self.assertIn("`worker`", text)
        self.assertIn("java.lang.Thread", text)
        self.assertIn("not Serializable", text)
        self.assertEqual("[2]", self.value("pool.map(x -> x + 1, List.of(1))"), "the pool still works")

    def test_unserializable_captured_value_is_named(self):
        self.ok("int viaCapture() throws Exception { Object lock = new Object(); return pool.apply(x -> lock.hashCode() + x, 1); }")
        text = self.error("viaCapture()")
        self.assertIn("java.lang.Object", text)
        self.assertIn("Serializable", text)

    def test_lambda_not_typed_as_serializable_function(self):
        text = self.error("pool.asExecutorService().submit(() -> 42).get()")
        self.assertIn("Serializable", text)
        self.assertIn("jpool.Task", text)


if __name__ == "__main__":
    unittest.main(verbosity=2)
