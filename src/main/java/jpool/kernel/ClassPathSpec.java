package jpool.kernel;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Class-path arguments of %classpath, %jars and IJAVA_CLASSPATH: paths separated by white space or ':', with globs. */
final class ClassPathSpec {

    private ClassPathSpec() {
    }

    /**
     * Resolves the entries, expanding {@code ~} and globs ({@code *}, {@code ?}, {@code **}, {@code [..]},
     * {@code {a,b}}) against {@code base}.
     *
     * @param jarsOnly for %jars: a folder stands for the jars in it, and every file must be a jar
     * @throws MagicException naming an entry that matches nothing
     */
    static List<Path> resolve(String spec, Path base, boolean jarsOnly) throws MagicException {
        List<Path> out = new ArrayList<>();
        for (String raw : split(spec)) {
            String entry = raw.startsWith("~/") ? System.getProperty("user.home") + raw.substring(1) : raw;
            List<Path> found = isGlob(entry) ? glob(entry, base) : List.of(base.resolve(entry).normalize());
            if (found.isEmpty() || (!isGlob(entry) && !Files.exists(found.get(0)))) {
                throw new MagicException("no such file or folder: " + raw);
            }
            for (Path p : found) {
                if (jarsOnly && Files.isDirectory(p)) {
                    try (Stream<Path> s = Files.list(p)) {
                        s.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(out::add);
                    } catch (IOException e) {
                        throw new MagicException("cannot list " + p + ": " + e.getMessage());
                    }
                } else if (jarsOnly && !p.toString().endsWith(".jar")) {
                    throw new MagicException("not a jar: " + p + " (use %classpath for folders and other entries)");
                } else {
                    out.add(p);
                }
            }
        }
        return out;
    }

    static List<String> split(String spec) {
        List<String> parts = new ArrayList<>();
        for (String s : spec.trim().split("[\\s" + File.pathSeparator + "]+")) {
            String t = s.strip();
            if (t.length() >= 2 && (t.startsWith("\"") && t.endsWith("\"") || t.startsWith("'") && t.endsWith("'"))) {
                t = t.substring(1, t.length() - 1);
            }
            if (!t.isEmpty()) {
                parts.add(t);
            }
        }
        return parts;
    }

    private static boolean isGlob(String s) {
        return s.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    private static List<Path> glob(String pattern, Path base) throws MagicException {
        Path abs = base.resolve(pattern);
        // the longest leading part without glob characters is where the walk starts
        Path root = abs.getRoot();
        Path start = root;
        int globAt = -1;
        for (int i = 0; i < abs.getNameCount(); i++) {
            String part = abs.getName(i).toString();
            if (isGlob(part)) {
                globAt = i;
                break;
            }
            start = start.resolve(part);
        }
        boolean deep = pattern.contains("**");
        int depth = deep ? Integer.MAX_VALUE : abs.getNameCount() - globAt;
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + abs.normalize());
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(start, depth)) {
            return s.filter(matcher::matches).sorted().toList();
        } catch (IOException e) {
            throw new MagicException("cannot expand " + pattern + ": " + e.getMessage());
        }
    }
}
