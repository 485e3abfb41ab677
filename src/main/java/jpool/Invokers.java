package jpool;

import java.io.Serializable;
import java.util.concurrent.Callable;
import jpool.wire.Invocable;

/** Adapters from the public functional types to the wire's {@link Invocable}; they run on workers. */
final class Invokers {

    private Invokers() {
    }

    /**
     * Stands in for an argument that could not be serialized; the worker fails that element with the
     * message instead of calling the function.
     */
    static final class BadArgument implements Serializable {
        private static final long serialVersionUID = 1L;
        final String message;

        BadArgument(String message) {
            this.message = message;
        }
    }

    static Object check(Object argument) {
        if (argument instanceof BadArgument bad) {
            NotSerializableTaskException e = new NotSerializableTaskException(bad.message);
            e.setStackTrace(new StackTraceElement[0]);
            throw e;
        }
        return argument;
    }

    static final class OfTask implements Invocable {
        private static final long serialVersionUID = 1L;
        final Task<?> task;

        OfTask(Task<?> task) {
            this.task = task;
        }

        @Override
        public Object invoke(Object argument) throws Exception {
            check(argument);
            return task.call();
        }
    }

    static final class OfJob implements Invocable {
        private static final long serialVersionUID = 1L;
        final Job job;

        OfJob(Job job) {
            this.job = job;
        }

        @Override
        public Object invoke(Object argument) throws Exception {
            check(argument);
            job.run();
            return null;
        }
    }

    static final class OfFn implements Invocable {
        private static final long serialVersionUID = 1L;
        final Fn<Object, ?> fn;

        @SuppressWarnings("unchecked")
        OfFn(Fn<?, ?> fn) {
            this.fn = (Fn<Object, ?>) fn;
        }

        @Override
        public Object invoke(Object argument) throws Exception {
            return fn.apply(check(argument));
        }
    }

    static final class OfFn2 implements Invocable {
        private static final long serialVersionUID = 1L;
        final Fn2<Object, Object, ?> fn;

        @SuppressWarnings("unchecked")
        OfFn2(Fn2<?, ?, ?> fn) {
            this.fn = (Fn2<Object, Object, ?>) fn;
        }

        @Override
        public Object invoke(Object argument) throws Exception {
            Object[] pair = (Object[]) check(argument);
            return fn.apply(pair[0], pair[1]);
        }
    }

    /** For {@code ExecutorService.submit(Callable)}: the callable must itself be serializable. */
    static final class OfCallable implements Invocable {
        private static final long serialVersionUID = 1L;
        final Callable<?> callable;

        OfCallable(Callable<?> callable) {
            this.callable = callable;
        }

        @Override
        public Object invoke(Object argument) throws Exception {
            check(argument);
            return callable.call();
        }
    }

    /** For {@code ExecutorService.execute(Runnable)}: the runnable must itself be serializable. */
    static final class OfRunnable implements Invocable {
        private static final long serialVersionUID = 1L;
        final Runnable runnable;
        final Object result;

        OfRunnable(Runnable runnable, Object result) {
            this.runnable = runnable;
            this.result = result;
        }

        @Override
        public Object invoke(Object argument) throws Exception {
            check(argument);
            runnable.run();
            return result;
        }
    }
}
