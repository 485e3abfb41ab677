package jpool.kernel;

import jpool.CallScope;
import jpool.OutputChunk;
import jpool.PerWorkerResult;
import jpool.Pool;

/**
 * {@code %%px}, {@code %px} and {@code %pxresult}: a cell body run once on each worker of a pool, IPython
 * Parallel's magics for Java. The body is compiled in the kernel as the block of a lambda ({@link CellBody})
 * and submitted with {@link Pool#onEachWorkerAsync(jpool.WorkerTargets, jpool.Task)}, so it ships like any
 * task from a cell (it may use earlier cells' variables, methods and classes).
 *
 * <p>Blocking (the default), the cell waits for every worker, then shows what each printed, worker by worker
 * ({@code --group-outputs order}: as it arrives), and one row per worker's value; failures make the cell's
 * error, one paragraph per distinct exception with the workers that threw it. An interrupt cancels the run.
 * {@code --noblock} returns the live {@link PerWorkerResult} at once. {@code %pxresult} shows the last run
 * again, waiting for it if it is still running. {@code %%task} is {@link TaskMagic}.
 */
final class PxMagics {

    static final String PX_HELP = PxArgs.PX_USAGE.substring("usage: ".length())
            + ": run the cell once on each worker of the pool (the variable pool unless --pool VAR); the final"
            + " expression is each worker's result, one row per worker.\n"
            + "      Names declared in the cell are local to the run, as in a lambda; state that must stay on a worker"
            + " from one cell to the next lives in a WorkerLocal. %%px --help tells more.";
    static final String PX_LINE_HELP = PxArgs.PX_LINE_USAGE.substring("usage: ".length())
            + ": run one line on each worker, as %%px runs a cell";
    static final String PXRESULT_HELP = "%pxresult: show the last %px or %%px run again (its output and its rows),"
            + " waiting for it if it runs";

    static final String PX_LONG_HELP = PxArgs.PX_USAGE + """


            Runs the cell body once on each selected worker of a pool and shows each worker's result. The body is
            a cell like any other: statements, local classes and records, and a final expression whose value is the
            worker's result (no return needed; a final ';' hides it, as in a cell). It can use the variables,
            methods and classes of earlier cells, which are shipped to the workers with their current values.

            Names declared in the body are local to that run, as in a lambda body: they are gone when it ends,
            and a cell variable changed by the body changes only the worker's copy. What must stay on a worker
            from one cell to the next lives in a WorkerLocal, a ThreadLocal for worker JVMs:
                WorkerLocal<int[]> runs = WorkerLocal.withInitial(() -> new int[1]);   // in a cell
                %px ++runs.get()[0]                                   // each worker: 1, run again: 2, ...

              --targets all|0,2|1:3   the workers by index (TaskContext.current().workerIndex()): all (default),
                                      a list, or half-open ranges as in Python (1:3 is 1 and 2; 2: is 2 to the last)
              --noblock               return the live PerWorkerResult at once; %pxresult shows it when done
              --group-outputs worker  what each worker printed together, worker by worker, once all are done (default)
              --group-outputs order   what the workers print, line by line as it arrives, each line labelled
              -o VAR                  also bind the run's PerWorkerResult to the cell variable VAR
              --pool VAR              the pool in the cell variable VAR (default: pool)

            Failures: the cell fails, showing each distinct exception once with the workers that threw it
            ("w1, w3: ArithmeticException: / by zero"). An interrupt cancels the run on every worker.
            %px STATEMENT runs one line the same way; %pxresult shows the last run again.""";

    /** The last %%px or %px run, for %pxresult. */
    private volatile PxRun last;

    private PxMagics() {
    }

    /** Registers {@code %%px}, {@code %px}, {@code %pxresult} and {@code %%task}. */
    static void register(Magics magics) {
        PxMagics px = new PxMagics();
        magics.registerCell("px", PX_HELP, px::cell);
        magics.registerLine("px", PX_LINE_HELP, px::line);
        magics.registerLine("pxresult", PXRESULT_HELP, px::pxresult);
        TaskMagic.register(magics);
    }

    private Object cell(String args, String body, MagicContext ctx) throws Exception {
        PxArgs.Px a = PxArgs.parseCell(args);
        if (a.help()) {
            return MimeBundle.text(PX_LONG_HELP);
        }
        return run(a, body, ctx.magicLine() + 1, ctx, "%%px", PxArgs.PX_USAGE);
    }

    private Object line(String args, MagicContext ctx) throws Exception {
        PxArgs.Px a = PxArgs.parseLine(args);
        if (a.help()) {
            return MimeBundle.text(PX_LONG_HELP);
        }
        return run(a, a.statement(), ctx.magicLine(), ctx, "%px", PxArgs.PX_LINE_USAGE);
    }

    private Object pxresult(String args, MagicContext ctx) throws Exception {
        if (!args.isBlank()) {
            throw new MagicException("takes no arguments\nusage: %pxresult");
        }
        PxRun run = last;
        if (run == null) {
            throw new MagicException("no %%px or %px has run yet in this kernel\nusage: %pxresult");
        }
        CallScope cell = CallScope.current();
        run.await(cell);
        run.showOutput(labelling(cell));
        return run;
    }

    /**
     * Checks everything, then submits the body to each selected worker: nothing is submitted when an argument,
     * the pool or the body is wrong.
     *
     * @param bodyLine the cell line (0-based) of the body's first line
     */
    private Object run(PxArgs.Px a, String body, int bodyLine, MagicContext ctx, String what, String usage)
            throws Exception {
        CellBody cellBody = CellBody.parse(body, ctx.analysis(), bodyLine, usage);
        Pool pool = pool(ctx, a.pool(), usage);
        String targets = PxArgs.Targets.java(a.targets().indexes(pool.processes(), usage));
        String out = a.out();
        String head = (out != null ? "var " + out + " = " : "") + a.pool() + ".onEachWorkerAsync(" + targets + ", () -> {";
        String tail = "})" + (out != null ? ";\n" + out : "");
        CallScope cell = CallScope.current();
        PxScope scope = new PxScope(cell, a.noblock() || a.grouping() == PxArgs.Grouping.ORDER);
        CellBody.Submitted submitted;
        try (CallScope.Registration inScope = CellScope.use(scope)) {
            submitted = cellBody.submit(ctx, head, tail, bodyLine - 1);
        }
        if (!(submitted.value() instanceof PerWorkerResult<?> result)) {
            throw new IllegalStateException("the run on each worker gave " + submitted.value());
        }
        PxRun run = new PxRun(result, scope, submitted.hasValue(), what);
        last = run;
        if (a.noblock()) {
            return result;
        }
        run.await(cell);
        if (a.grouping() == PxArgs.Grouping.WORKER) {
            run.showOutput(labelling(cell));
        }
        CellException failed = run.failure(ctx);
        if (failed != null) {
            throw failed;
        }
        return run.hasValue() ? run : null;
    }

    /**
     * The pool in the cell variable {@code name}.
     *
     * @throws MagicException if there is no such variable, it is not a pool, or the pool is shut down
     */
    static Pool pool(MagicContext ctx, String name, String usage) throws MagicException, CellException {
        Object value;
        try {
            value = ctx.evalJava(name, ctx.magicLine());
        } catch (CellException e) {
            if (!"CompilationError".equals(e.ename())) {
                throw e;
            }
            throw new MagicException("there is no variable " + name + "; start a pool first, e.g. Pool " + name
                    + " = Pool.create(2);" + (name.equals(PxArgs.DEFAULT_POOL) ? " or name yours with --pool VAR" : "")
                    + "\n" + usage);
        }
        if (value == null) {
            throw new MagicException(name + " is null; assign it a pool first, e.g. " + name + " = Pool.create(2);\n"
                    + usage);
        }
        if (!(value instanceof Pool pool)) {
            throw new MagicException(name + " is a " + value.getClass().getName() + ", not a jpool.Pool; name the pool's"
                    + " variable with --pool VAR\n" + usage);
        }
        if (pool.isShutdown()) {
            throw new MagicException(name + " is shut down; start a new pool, e.g. " + name + " = Pool.create(2);\n"
                    + usage);
        }
        return pool;
    }

    /** The cell's scope, which labels each line with its worker; outside a cell, one that prints labelled lines. */
    private static CallScope labelling(CallScope cell) {
        if (cell != null) {
            return cell;
        }
        return new CallScope() {
            @Override
            public boolean taskOutput(String workerId, OutputChunk.Stream stream, String text) {
                StringBuilder sb = new StringBuilder();
                text.lines().forEach(l -> sb.append('[').append(workerId).append("] ").append(l).append('\n'));
                (stream == OutputChunk.Stream.STDERR ? System.err : System.out).print(sb);
                return true;
            }

            @Override
            public CallScope.Registration onInterrupt(Runnable cancel) {
                return () -> { };
            }

            @Override
            public void cancelled(String what) {
            }
        };
    }
}
