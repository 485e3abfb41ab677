package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README, the docs and the teaching notebooks name only jpool packages and types that exist, except on
 * a line that says the thing is not built yet. A notebook that tells users to reach for a package that is
 * not there sends them into a compile error.
 */
class DocsNameWhatExistsTest {

    private static final Pattern NAME = Pattern.compile("\\bjpool((?:\\.[a-z]\\w*)*)(\\.[A-Z]\\w*)?");
    private static final Pattern NOT_YET = Pattern.compile("not built|not yet|coming|not in jpool yet",
            Pattern.CASE_INSENSITIVE);

    @Test
    void everyJpoolNameInDocsAndNotebooksExists() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(Path.of("README.md"));
        try (Stream<Path> docs = Files.list(Path.of("docs")); Stream<Path> nbs = Files.list(Path.of("notebooks"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(files::add);
            nbs.filter(p -> p.toString().endsWith(".ipynb")).forEach(files::add);
        }
        List<String> missing = new ArrayList<>();
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (NOT_YET.matcher(line).find()) {
                    continue;
                }
                Matcher m = NAME.matcher(line);
                while (m.find()) {
                    if (!exists(m.group(1), m.group(2))) {
                        missing.add(f + ":" + (i + 1) + ": " + m.group());
                    }
                }
            }
        }
        assertEquals(List.of(), missing, "names of jpool packages or types that do not exist");
    }

    /** A package exists when it has sources; a qualified type when it loads. */
    private static boolean exists(String packagePath, String type) {
        String pkg = "jpool" + packagePath;
        if (type == null) {
            return Files.isDirectory(Path.of("src/main/java", pkg.replace('.', '/')));
        }
        try {
            Class.forName(pkg + type);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
