package jpool.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/** {@code import jpool.*; import jpool.ipc.*;} beside {@code java.util.*} compiles with no ambiguity. */
class IpcNamesTest {

    @Test
    void onDemandImportsOfJpoolAndJavaUtilDoNotClash() throws Exception {
        String code = """
                import java.util.*;
                import java.util.concurrent.*;
                import jpool.*;
                import jpool.ipc.*;
                class Cell {
                    Queue<Integer> local = new ArrayDeque<>();
                    List<String> list = new ArrayList<>();
                    Map<String, Integer> map = new HashMap<>();
                    IpcQueue<Integer> q = Ipc.queue(10);
                    JoinableIpcQueue<String> jq = Ipc.joinableQueue();
                    SimpleIpcQueue<String> sq = Ipc.simpleQueue();
                    IpcPipe p = Ipc.pipe();
                    PipeConnection c = p.first();
                    Pool pool;
                }
                """;
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path out = Files.createTempDirectory("ipc-names");
        StringWriter errors = new StringWriter();
        JavaFileObject source = new SimpleJavaFileObject(URI.create("string:///Cell.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return code;
            }
        };
        boolean ok = javac.getTask(errors, null, null,
                List.of("-d", out.toString(), "-cp", System.getProperty("java.class.path")), null, List.of(source)).call();
        assertTrue(ok, "compiles: " + errors);
        assertEquals("", errors.toString().strip());
        try (var files = Files.walk(out)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
