package jpool.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Executes every teaching notebook in notebooks/ with nbconvert, one test each: any cell error fails the test,
 * and so does a pool result whose saved display is not in its final state (a notebook executed in batch must
 * keep the end of the work, not a snapshot of it running).
 */
class NotebookIT {

    private static final Path NOTEBOOKS = Path.of("notebooks");
    /** The plain text of a result display saved while its work was unfinished: the state comes after the type. */
    private static final Pattern UNFINISHED = Pattern.compile("^\\w*Result\\w*\\W+(queued|running|pending)\\b");

    @TestFactory
    Stream<DynamicTest> everyNotebookRunsWithoutErrors() throws Exception {
        List<Path> notebooks;
        try (Stream<Path> s = Files.list(NOTEBOOKS)) {
            notebooks = s.filter(p -> p.getFileName().toString().endsWith(".ipynb")).sorted().toList();
        }
        assertFalse(notebooks.isEmpty(), "no notebooks in " + NOTEBOOKS.toAbsolutePath());
        return notebooks.stream().map(nb -> DynamicTest.dynamicTest(nb.getFileName().toString(),
                () -> execute(nb.getFileName().toString())));
    }

    private static void execute(String notebook) throws Exception {
        try (KernelInstall install = new KernelInstall()) {
            Path out = Path.of("target", "notebooks").toAbsolutePath();
            Files.createDirectories(out);
            Files.deleteIfExists(out.resolve(notebook));
            int code = install.run(List.of("/usr/bin/jupyter", "nbconvert", "--to", "notebook", "--execute",
                    "--ExecutePreprocessor.kernel_name=jpool", "--ExecutePreprocessor.timeout=300",
                    "--output-dir", out.toString(), NOTEBOOKS.resolve(notebook).toString()), 400);
            // nbconvert exits non-zero on any error outside cells tagged raises-exception
            assertEquals(0, code, "nbconvert --execute of " + notebook + " failed: a cell raised an error (see above)");
            assertTrue(Files.exists(out.resolve(notebook)));
            assertTrue(install.leftoverKernels().isEmpty(), "nbconvert left a kernel running");
            List<String> unfinished = unfinishedDisplays(out.resolve(notebook));
            assertTrue(unfinished.isEmpty(), notebook + " was saved with displays of unfinished work: " + unfinished);
        }
    }

    /** The text/plain of every output whose first line says its work was still queued or running. */
    private static List<String> unfinishedDisplays(Path executed) throws Exception {
        List<String> found = new ArrayList<>();
        JsonObject nb = JsonParser.parseString(Files.readString(executed)).getAsJsonObject();
        for (JsonElement cell : nb.getAsJsonArray("cells")) {
            JsonArray outputs = cell.getAsJsonObject().getAsJsonArray("outputs");
            if (outputs == null) {
                continue;
            }
            for (JsonElement output : outputs) {
                JsonObject data = output.getAsJsonObject().getAsJsonObject("data");
                JsonElement plain = data == null ? null : data.get("text/plain");
                if (plain == null) {
                    continue;
                }
                StringBuilder text = new StringBuilder();
                if (plain.isJsonArray()) {
                    plain.getAsJsonArray().forEach(line -> text.append(line.getAsString()));
                } else {
                    text.append(plain.getAsString());
                }
                String first = text.toString().lines().findFirst().orElse("");
                if (UNFINISHED.matcher(first).find()) {
                    found.add(first);
                }
            }
        }
        return found;
    }
}
