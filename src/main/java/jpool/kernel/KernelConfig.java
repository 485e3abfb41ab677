package jpool.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Configuration from the environment, IJava's variables, each also read with a {@code JPOOL_} prefix
 * (which wins): {@code CLASSPATH}, {@code COMPILER_OPTS}, {@code TIMEOUT}, {@code STARTUP_SCRIPTS_PATH},
 * {@code STARTUP_SCRIPT}.
 *
 * @param classpath extra class path (path-separated, globs allowed), or empty
 * @param compilerOptions options for JShell's compiler, e.g. {@code --enable-preview --release 17}
 * @param timeoutMillis a cell running longer is stopped; -1 for no limit
 * @param startupScriptsPath .jshell files run at start (path-separated, globs allowed), or empty
 * @param startupScript Java code run at start, or empty
 */
record KernelConfig(String classpath, List<String> compilerOptions, long timeoutMillis, String startupScriptsPath,
                    String startupScript) {

    static KernelConfig fromEnvironment() {
        return from(System.getenv());
    }

    static KernelConfig from(Map<String, String> env) {
        String timeout = get(env, "TIMEOUT", "-1").trim();
        long millis;
        try {
            millis = Long.parseLong(timeout);
        } catch (NumberFormatException e) {
            System.err.println("jpool: ignoring IJAVA_TIMEOUT/JPOOL_TIMEOUT, not a number of milliseconds: " + timeout);
            millis = -1;
        }
        return new KernelConfig(get(env, "CLASSPATH", ""), splitOptions(get(env, "COMPILER_OPTS", "")),
                millis <= 0 ? -1 : millis, get(env, "STARTUP_SCRIPTS_PATH", ""), get(env, "STARTUP_SCRIPT", ""));
    }

    private static String get(Map<String, String> env, String name, String fallback) {
        String v = env.get("JPOOL_" + name);
        if (v == null) {
            v = env.get("IJAVA_" + name);
        }
        return v == null ? fallback : v;
    }

    /** Splits options at white space, keeping quoted parts together. */
    static List<String> splitOptions(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        boolean any = false;
        for (char c : s.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                any = true;
            } else if (Character.isWhitespace(c)) {
                if (any || cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(c);
            }
        }
        if (any || cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }
}
