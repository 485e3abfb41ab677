package jpool.kernel;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import jpool.AsyncResult;

/**
 * {@code %%task [--name VAR] [--pool VAR]}: the cell body runs as one task ({@link jpool.Pool#applyAsync}), and
 * the cell returns at once with the task's live display, so the notebook is free while it runs.
 *
 * <p>How {@code VAR} comes to hold the result, decided: the result is kept in a cell variable {@code $taskN}
 * (typed {@code AsyncResult<R>}, {@code R} the type of the body's final expression) and {@code VAR} is bound
 * to it at once. At the start of the first cell that runs after the task has finished, before that cell's
 * code, {@code VAR} is declared again as {@code var VAR = $taskN.get();}, so it holds the value with the
 * static type {@code R} ({@code Integer}, {@code List<String>}, ...). Cells are the only place where JShell
 * can be changed safely, and none can see {@code VAR} earlier, so this is as soon as a cell can tell. If
 * the task failed or was cancelled, {@code VAR} stays the {@code AsyncResult} (its {@code get()} throws the
 * failure) and that cell says so on stderr. {@code VAR} is left alone if a cell has meanwhile given it another
 * value or declared it again.
 */
final class TaskMagic {

    static final String HELP = PxArgs.TASK_USAGE.substring("usage: ".length())
            + ": run the cell as one task on the pool and return at once with its live display; the final"
            + " expression is the result. VAR (and $taskN) is the AsyncResult at once, and VAR is the value itself,"
            + " typed, from the first cell run after the task finished. %%task --help tells more.";

    static final String LONG_HELP = PxArgs.TASK_USAGE + """


            Runs the cell body as one task on the pool (the variable pool unless --pool VAR) and returns at once
            with the task's live display; the notebook is free meanwhile. The body is a cell like any other: its
            final expression is the task's result (no return needed), and names declared in it are local to the
            task, as in a lambda body.

              --name VAR   bind VAR to the task's AsyncResult now; from the first cell run after the task
                           finished, VAR is the result itself, with its type (e.g. Integer). If the task failed,
                           VAR stays the AsyncResult and that cell says so.
              --pool VAR   the pool in the cell variable VAR (default: pool)

            Each run also keeps its AsyncResult in a cell variable of its own: $task1, $task2, ...""";

    /** A named task whose variable is to become its value. */
    private record Pending(String name, String holder, AsyncResult<?> result) {
    }

    private final AtomicInteger tasks = new AtomicInteger();
    private final List<Pending> pending = new CopyOnWriteArrayList<>();
    private final AtomicBoolean hooked = new AtomicBoolean();

    private TaskMagic() {
    }

    static void register(Magics magics) {
        TaskMagic t = new TaskMagic();
        magics.registerCell("task", HELP, t::cell);
    }

    private Object cell(String args, String body, MagicContext ctx) throws Exception {
        PxArgs.Task a = PxArgs.parseTask(args);
        if (a.help()) {
            return MimeBundle.text(LONG_HELP);
        }
        int bodyLine = ctx.magicLine() + 1;
        CellBody cellBody = CellBody.parse(body, ctx.analysis(), bodyLine, PxArgs.TASK_USAGE);
        PxMagics.pool(ctx, a.pool(), PxArgs.TASK_USAGE);
        String holder = "$task" + tasks.incrementAndGet();
        String head = "var " + holder + " = " + a.pool() + ".applyAsync(() -> {";
        String tail = "});\n" + (a.name() != null ? "var " + a.name() + " = " + holder + ";\n" : "") + holder;
        Object value = cellBody.submit(ctx, head, tail, bodyLine - 1).value();
        if (!(value instanceof AsyncResult<?> result)) {
            throw new IllegalStateException("the task gave " + value);
        }
        if (a.name() != null) {
            if (hooked.compareAndSet(false, true)) {
                ctx.onCellStart(() -> bindFinished(ctx));
            }
            pending.removeIf(p -> p.name.equals(a.name()));
            pending.add(new Pending(a.name(), holder, result));
        }
        return result;
    }

    /** At the start of a cell: each named task that has finished gets its variable bound to its value. */
    private void bindFinished(MagicContext ctx) {
        for (Pending p : pending) {
            if (!p.result.ready()) {
                continue;
            }
            pending.remove(p);
            try {
                if (ctx.evalJava(p.name, 0) != p.result) {
                    continue; // the user gave the variable another value meanwhile
                }
            } catch (CellException gone) {
                continue;
            }
            String failure = failure(p.result);
            if (failure != null) {
                System.err.println("%%task --name " + p.name + " " + failure + "; " + p.name + " stays its AsyncResult ("
                        + p.name + ".get() throws the failure)");
                continue;
            }
            try {
                ctx.evalJava("var " + p.name + " = " + p.holder + ".get();", 0);
            } catch (CellException e) {
                System.err.println("%%task --name " + p.name + ": " + p.name + " could not become the task's value ("
                        + e.evalue() + "); " + p.holder + ".get() has it");
            }
        }
    }

    /** How a finished task failed, in words, or null if it succeeded. */
    private static String failure(AsyncResult<?> r) {
        try {
            r.get(0, TimeUnit.NANOSECONDS);
            return null;
        } catch (CancellationException e) {
            return "was cancelled";
        } catch (ExecutionException e) {
            return "failed: " + PxRun.describe(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "could not be read: interrupted";
        } catch (TimeoutException e) {
            return "is not finished";
        } catch (RuntimeException | LinkageError e) {
            return "gave a value that cannot be read here: " + e;
        }
    }
}
