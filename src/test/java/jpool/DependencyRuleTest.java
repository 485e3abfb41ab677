package jpool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The arrows point one way: nothing imports jpool.kernel, and the protocol layer knows no kernel. */
class DependencyRuleTest {

    @Test
    void nothingOutsideTheKernelUsesIt() throws IOException {
        Path main = Path.of("src/main/java/jpool");
        List<Path> offenders;
        try (Stream<Path> files = Files.walk(main)) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.startsWith(main.resolve("kernel")))
                    .filter(p -> {
                        try {
                            return java.util.regex.Pattern.compile("jpool\\.kernel\\.[A-Za-z*]").matcher(Files.readString(p)).find();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .toList();
        }
        assertEquals(List.of(), offenders);
    }
}
