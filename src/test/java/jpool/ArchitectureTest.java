package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package table of docs/ARCHITECTURE.md is the rule: every reference from one of our packages to
 * another (imports and qualified names in code) must be one its row allows, and the public API in
 * {@code jpool} must not expose the implementation packages.
 */
class ArchitectureTest {

    private static final Path MAIN = Path.of("src/main/java");
    private static final Pattern ROW = Pattern.compile("^\\| `(jpool(?:\\.[a-z]+)?)` \\|.*\\| (.*) \\|$");
    private static final Pattern PACKAGE_REF = Pattern.compile("`(jpool(?:\\.[a-z]+)?)`");
    private static final Pattern CODE_REF = Pattern.compile("\\bjpool((?:\\.[a-z]+)?)\\.[A-Z]");

    /** Package -> the packages its row says it may use. */
    static Map<String, Set<String>> table() throws IOException {
        Map<String, Set<String>> rules = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("docs/ARCHITECTURE.md"))) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                Set<String> allowed = new TreeSet<>();
                Matcher ref = PACKAGE_REF.matcher(row.group(2));
                while (ref.find()) {
                    allowed.add(ref.group(1));
                }
                rules.put(row.group(1), allowed);
            }
        }
        return rules;
    }

    @Test
    void everyArrowIsOneTheArchitectureAllows() throws IOException {
        Map<String, Set<String>> rules = table();
        assertTrue(rules.keySet().containsAll(List.of("jpool", "jpool.kernel", "jpool.jupyter", "jpool.cluster",
                "jpool.worker", "jpool.wire", "jpool.ship")), "the table lists every package: " + rules.keySet());
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN.resolve("jpool"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String pkg = MAIN.relativize(file.getParent()).toString().replace('/', '.');
                Set<String> allowed = rules.get(pkg);
                if (allowed == null) {
                    violations.add(pkg + " is not in the table of docs/ARCHITECTURE.md");
                    continue;
                }
                int n = 0;
                for (String line : Files.readAllLines(file)) {
                    n++;
                    String code = line.strip();
                    if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) {
                        continue; // documentation may name anything
                    }
                    Matcher ref = CODE_REF.matcher(code.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\""));
                    while (ref.find()) {
                        String used = "jpool" + ref.group(1);
                        if (!used.equals(pkg) && !allowed.contains(used)) {
                            violations.add(MAIN.relativize(file) + ":" + n + " uses " + used);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void thePublicApiShowsNoImplementationType() throws Exception {
        List<String> leaks = new ArrayList<>();
        try (Stream<Path> files = Files.list(MAIN.resolve("jpool"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String name = file.getFileName().toString().replace(".java", "");
                if (name.equals("package-info")) {
                    continue;
                }
                Class<?> c = Class.forName("jpool." + name);
                if (Modifier.isPublic(c.getModifiers())) {
                    check(c, leaks);
                }
            }
        }
        assertEquals(List.of(), leaks);
    }

    private static void check(Class<?> c, List<String> leaks) {
        List<Type> seen = new ArrayList<>();
        if (c.getGenericSuperclass() != null) {
            seen.add(c.getGenericSuperclass());
        }
        seen.addAll(List.of(c.getGenericInterfaces()));
        for (Method m : c.getDeclaredMethods()) {
            if (visible(m.getModifiers()) && !m.isSynthetic()) {
                seen.add(m.getGenericReturnType());
                seen.addAll(List.of(m.getGenericParameterTypes()));
            }
        }
        for (Constructor<?> k : c.getDeclaredConstructors()) {
            if (visible(k.getModifiers())) {
                seen.addAll(List.of(k.getGenericParameterTypes()));
            }
        }
        for (Field f : c.getDeclaredFields()) {
            if (visible(f.getModifiers())) {
                seen.add(f.getGenericType());
            }
        }
        for (Type t : seen) {
            for (Class<?> used : classes(t)) {
                String p = used.getPackageName();
                if (p.startsWith("jpool.")) {
                    leaks.add(c.getName() + " shows " + used.getName());
                }
            }
        }
        for (Class<?> inner : c.getDeclaredClasses()) {
            if (Modifier.isPublic(inner.getModifiers())) {
                check(inner, leaks);
            }
        }
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static List<Class<?>> classes(Type t) {
        List<Class<?>> out = new ArrayList<>();
        if (t instanceof Class<?> c) {
            while (c.isArray()) {
                c = c.getComponentType();
            }
            out.add(c);
        } else if (t instanceof ParameterizedType p) {
            out.addAll(classes(p.getRawType()));
            for (Type a : p.getActualTypeArguments()) {
                out.addAll(classes(a));
            }
        } else if (t instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) {
                out.addAll(classes(b));
            }
            for (Type b : w.getLowerBounds()) {
                out.addAll(classes(b));
            }
        } else if (t instanceof java.lang.reflect.GenericArrayType g) {
            out.addAll(classes(g.getGenericComponentType()));
        }
        return out;
    }
}
