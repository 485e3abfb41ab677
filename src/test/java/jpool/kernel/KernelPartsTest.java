package jpool.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelPartsTest {

    @Test
    void configReadsIJavaAndJpoolVariables() {
        KernelConfig c = KernelConfig.from(Map.of("IJAVA_TIMEOUT", "5000", "IJAVA_COMPILER_OPTS",
                "--enable-preview --release 17", "JPOOL_CLASSPATH", "a.jar", "IJAVA_CLASSPATH", "b.jar"));
        assertEquals(5000, c.timeoutMillis());
        assertEquals(List.of("--enable-preview", "--release", "17"), c.compilerOptions());
        assertEquals("a.jar", c.classpath(), "JPOOL_ wins");
        assertEquals(-1, KernelConfig.from(Map.of()).timeoutMillis());
        assertEquals(List.of("-A", "x y"), KernelConfig.splitOptions("-A 'x y'"));
    }

    @Test
    void classPathGlobsExpand(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("lib/sub"));
        Files.write(dir.resolve("lib/a.jar"), new byte[0]);
        Files.write(dir.resolve("lib/b.jar"), new byte[0]);
        Files.write(dir.resolve("lib/sub/c.jar"), new byte[0]);
        Files.write(dir.resolve("lib/readme.txt"), new byte[0]);
        assertEquals(2, ClassPathSpec.resolve("lib/*.jar", dir, false).size());
        assertEquals(3, ClassPathSpec.resolve("lib/**.jar", dir, false).size());
        assertEquals(2, ClassPathSpec.resolve("lib", dir, true).size(), "a folder given to %jars means its jars");
        assertEquals(List.of(dir.resolve("lib")), ClassPathSpec.resolve("lib", dir, false));
        assertThrows(MagicException.class, () -> ClassPathSpec.resolve("missing.jar", dir, false));
        assertThrows(MagicException.class, () -> ClassPathSpec.resolve("lib/readme.txt", dir, true));
    }

    @Test
    void renderersFindTheNearestType() {
        Renderers r = new Renderers();
        r.register(CharSequence.class, s -> MimeBundle.text("chars:" + s));
        r.register(Number.class, n -> MimeBundle.of("text/html", "<b>" + n + "</b>"));
        assertEquals("chars:x", r.render("x").toString());
        assertEquals("<b>3</b>", r.render(3).data().get("text/html"));
        assertEquals("[1, 2]", r.render(new int[] {1, 2}).toString());
        assertEquals("null", r.render(null).toString());
        Displayable d = () -> MimeBundle.text("self");
        assertEquals("self", r.render(d).toString());
    }

    @Test
    void streamKeepsIncompleteUtf8ForLater() throws Exception {
        List<String> published = new java.util.concurrent.CopyOnWriteArrayList<>();
        IopubStream s = new IopubStream("stdout", (n, t) -> published.add(t));
        byte[] euro = "\u20ac".getBytes(StandardCharsets.UTF_8);
        s.write(new byte[] {'a', euro[0]});
        s.publishNow();
        s.write(new byte[] {euro[1], euro[2], 'b'});
        s.publishNow();
        assertEquals(List.of("a", "\u20acb"), published);
        s.write("later".getBytes(StandardCharsets.UTF_8));
        long deadline = System.currentTimeMillis() + 2000;
        while (published.size() < 3 && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        assertEquals("later", published.get(2), "the flusher publishes by itself");
    }

    @Test
    void magicLinesAreMaskedForAnalysis() {
        assertEquals("int a;\n" + " ".repeat(12) + "\na", JavaKernel.maskMagicLines("int a;\n%maven x:y:1\na"));
        assertEquals(1, JavaKernel.charIndex("\uD83D\uDE00x", 0) + 1);
        assertEquals(2, JavaKernel.charIndex("\uD83D\uDE00x", 1));
    }

    @Test
    void percentLinesInsideTextBlocksAreJava() {
        String code = "String f = \"\"\"\n%s has %d items\n\"\"\";\n%time f";
        assertEquals("String f = \"\"\"\n%s has %d items\n\"\"\";\n       ", JavaKernel.maskMagicLines(code));
        assertEquals(1, JavaKernel.textBlockDelimiters("x = \"\"\""));
    }

    @Test
    void magicRegistryListsAndHelps() {
        Magics m = new Magics();
        m.registerLine("hello", "%hello: greets", (args, ctx) -> "hi " + args);
        m.registerCell("shout", "%%shout: loud", (args, body, ctx) -> body.toUpperCase());
        assertTrue(m.lineNames().contains("hello"));
        assertTrue(m.help().contains("%%shout: loud"));
    }
}
