package jpool.kernel;

import java.io.IOException;

/**
 * The kernel services cell code can call beyond display: evaluate code, read input, reach the kernel.
 * In a cell {@code eval(code)} calls {@link #eval}.
 */
public final class Notebook {

    private static volatile KernelContext kernel;
    private static volatile InputSource input;

    /** Reads a line from the frontend. */
    interface InputSource {
        String readLine(String prompt, boolean password) throws IOException;
    }

    private Notebook() {
    }

    static void install(KernelContext k, InputSource in) {
        kernel = k;
        input = in;
    }

    /** The running kernel, to register magics, renderers and hooks. */
    public static KernelContext kernel() {
        KernelContext k = kernel;
        if (k == null) {
            throw new IllegalStateException("not running in the jpool kernel");
        }
        return k;
    }

    /**
     * Evaluates Java code (and magics) as a cell would, in the notebook's state, and returns the value of
     * its last expression (null when it has none).
     */
    public static Object eval(String code) throws Exception {
        return kernel().eval(code);
    }

    /**
     * Runs a line magic from code, e.g. {@code List<String> added = lineMagic("jars", List.of("lib/*.jar"))};
     * the arguments are joined with spaces.
     */
    @SuppressWarnings("unchecked")
    public static <T> T lineMagic(String name, java.util.List<String> args) throws Exception {
        return (T) kernel().lineMagic(name, String.join(" ", args));
    }

    /** Runs a cell magic from code with the given arguments and body. */
    @SuppressWarnings("unchecked")
    public static <T> T cellMagic(String name, java.util.List<String> args, String body) throws Exception {
        return (T) kernel().cellMagic(name, String.join(" ", args), body);
    }

    /** Asks the user for a line of input (an input_request to the frontend). */
    public static String input(String prompt) throws IOException {
        return readLine(prompt, false);
    }

    /** Asks the user for a secret (the frontend hides what is typed). */
    public static String password(String prompt) throws IOException {
        return readLine(prompt, true);
    }

    private static String readLine(String prompt, boolean password) throws IOException {
        InputSource in = input;
        if (in == null) {
            throw new IOException("not running in the jpool kernel");
        }
        return in.readLine(prompt, password);
    }
}
