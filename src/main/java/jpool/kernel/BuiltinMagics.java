package jpool.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** IJava's magics: %classpath, %jars, %maven, %mavenRepo, %load, %time, %%time, plus %lsmagic. */
final class BuiltinMagics {

    private BuiltinMagics() {
    }

    static void register(Magics magics, MavenResolver maven) {
        magics.registerLine("classpath", "%classpath PATH...: add jars or folders (globs allowed) to the class path",
                (args, ctx) -> {
                    requireArgs(args, "%classpath lib/foo.jar build/classes 'lib/*.jar'");
                    List<Path> entries = ClassPathSpec.resolve(args, ctx.workingDirectory(), false);
                    ctx.addToClasspath(entries);
                    return entries.stream().map(Path::toString).toList();
                });
        magics.registerLine("jars", "%jars PATH...: add jars (a folder adds the jars in it; globs allowed)",
                (args, ctx) -> {
                    requireArgs(args, "%jars lib/*.jar");
                    List<Path> jars = ClassPathSpec.resolve(args, ctx.workingDirectory(), true);
                    if (jars.isEmpty()) {
                        throw new MagicException("no jars found in " + args);
                    }
                    ctx.addToClasspath(jars);
                    return jars.stream().map(Path::toString).toList();
                });
        Magics.LineMagic mavenMagic = (args, ctx) -> {
            requireArgs(args, "%maven org.apache.commons:commons-text:1.12.0");
            addResolved(maven.resolve(List.of(args.trim().split("[\\s,]+"))), ctx);
            return null;
        };
        magics.registerLine("maven", "%maven GROUP:ARTIFACT:VERSION...: resolve from Maven Central with dependencies and add them",
                mavenMagic);
        magics.registerLine("addMavenDependency", "%addMavenDependency: IJava's name for %maven", mavenMagic);
        magics.registerLine("addMavenDependencies", "%addMavenDependencies: IJava's name for %maven", mavenMagic);
        Magics.LineMagic repoMagic = (args, ctx) -> {
            String[] parts = args.trim().split("\\s+");
            if (parts.length != 2 || !parts[1].contains("://")) {
                throw new MagicException("usage: %mavenRepo ID URL, e.g. %mavenRepo google https://maven.google.com/");
            }
            maven.addRepository(parts[0], parts[1]);
            return null;
        };
        magics.registerLine("mavenRepo", "%mavenRepo ID URL: also resolve %maven artifacts from this repository", repoMagic);
        magics.registerLine("addMavenRepo", "%addMavenRepo: IJava's name for %mavenRepo", repoMagic);
        magics.registerCell("loadFromPOM", "%%loadFromPOM: resolve the <dependency>s (and use the <repository>s) of a POM "
                + "or POM fragment in the cell", (args, body, ctx) -> {
                    addResolved(maven.resolve(requireSome(maven.readPom(body))), ctx);
                    return null;
                });
        magics.registerLine("loadFromPOM", "%loadFromPOM FILE: resolve the dependencies of a pom.xml", (args, ctx) -> {
            requireArgs(args, "%loadFromPOM pom.xml");
            Path p = ctx.workingDirectory().resolve(unquote(args.trim()));
            try {
                addResolved(maven.resolve(requireSome(maven.readPom(Files.readString(p)))), ctx);
            } catch (IOException e) {
                throw new MagicException("cannot read " + p + ": " + e.getMessage());
            }
            return null;
        });
        magics.registerLine("load", "%load FILE: run a .jshell (or any Java snippets) file as a cell",
                (args, ctx) -> {
                    requireArgs(args, "%load setup.jshell");
                    String name = unquote(args.trim());
                    Path p = ctx.workingDirectory().resolve(name.startsWith("~/")
                            ? System.getProperty("user.home") + name.substring(1) : name);
                    String code;
                    try {
                        code = Files.readString(p);
                    } catch (IOException e) {
                        throw new MagicException("cannot read " + p + ": " + e.getMessage());
                    }
                    return ctx.evalCell(withoutJShellCommands(code));
                });
        magics.registerLine("time", "%time CODE: run the Java on the rest of the line and print how long it took",
                (args, ctx) -> {
                    requireArgs(args, "%time fib(30)");
                    return timed(() -> ctx.evalCell(args));
                });
        magics.registerCell("time", "%%time: run the cell and print how long it took",
                (args, body, ctx) -> timed(() -> ctx.evalCell(body)));
        magics.registerLine("lsmagic", "%lsmagic: list the magics", (args, ctx) -> MimeBundle.text(ctx.magics().help()));
    }

    private static void addResolved(List<Path> files, MagicContext ctx) {
        ctx.addToClasspath(files);
        System.out.println("Added " + files.size() + (files.size() == 1 ? " jar: " : " jars: ")
                + String.join(", ", files.stream().map(p -> p.getFileName().toString()).toList()));
    }

    private static List<String> requireSome(List<String> coordinates) throws MagicException {
        if (coordinates.isEmpty()) {
            throw new MagicException("no <dependency> with compile or runtime scope found");
        }
        return coordinates;
    }

    private interface Body {
        Object run() throws Exception;
    }

    private static Object timed(Body body) throws Exception {
        long cpu0 = JavaKernel.processCpuNanos();
        long t0 = System.nanoTime();
        try {
            return body.run();
        } finally {
            long wall = System.nanoTime() - t0;
            long cpu = JavaKernel.processCpuNanos() - cpu0;
            System.out.println("Wall time: " + human(wall) + (cpu0 >= 0 ? " (process CPU time: " + human(cpu) + ")" : ""));
        }
    }

    static String human(long nanos) {
        if (nanos < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f \u00b5s", nanos / 1e3);
        }
        if (nanos < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
    }

    private static void requireArgs(String args, String example) throws MagicException {
        if (args == null || args.isBlank()) {
            throw new MagicException("missing argument, e.g. " + example);
        }
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    /** jshell tool commands (/open, /set ...) are not Java; they are dropped from a loaded script. */
    private static String withoutJShellCommands(String code) {
        StringBuilder sb = new StringBuilder();
        for (String line : code.split("\n", -1)) {
            String t = line.stripLeading();
            boolean command = t.startsWith("/") && !t.startsWith("//") && !t.startsWith("/*");
            sb.append(command ? "" : line).append('\n');
        }
        return sb.toString();
    }
}
