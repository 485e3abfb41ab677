package jpool.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Collectors;
import jdk.jshell.JShell;
import jdk.jshell.SnippetEvent;
import org.junit.jupiter.api.Test;

class RecordingExecutionControlProviderTest {

    @Test
    void recordsEveryClassJShellLoadsAndRunsInProcess() {
        ClassRegistry registry = new ClassRegistry();
        var provider = new RecordingExecutionControlProvider(registry, getClass().getClassLoader());
        try (JShell shell = JShell.builder().executionEngine(provider, Map.of()).build()) {
            eval(shell, "record Point(int x, int y) {}");
            eval(shell, "int n = 5;");
            String value = eval(shell, "new Point(n, 2).x() + 1");
            assertEquals("6", value);
            assertTrue(registry.size() >= 3, "wrapper classes and the record are recorded: " + registry.size());
            String pointName = registry.names().stream().filter(n -> n.endsWith("$Point")).findFirst()
                    .orElseThrow(() -> new AssertionError("no Point class among " + registry.names()));
            var record = registry.find(pointName);
            assertTrue(record.isPresent());
            assertEquals(ClassRegistry.sha256(record.get().bytes()), record.get().hash());
            assertEquals(provider.delegate().classLoader(), record.get().loader());
        }
    }

    private static String eval(JShell shell, String code) {
        String value = null;
        for (SnippetEvent e : shell.eval(code)) {
            if (e.exception() != null) {
                throw new AssertionError(code + " threw " + e.exception());
            }
            assertTrue(e.status().isDefined(), code + " -> " + e.status() + " " +
                    shell.diagnostics(e.snippet()).map(d -> d.getMessage(null)).collect(Collectors.toList()));
            value = e.value();
        }
        return value;
    }
}
