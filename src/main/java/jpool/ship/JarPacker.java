package jpool.ship;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/** Packs a class-path folder into jar bytes that do not depend on when they were packed. */
final class JarPacker {
    private JarPacker() {
    }

    static byte[] pack(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes)) {
            for (Path f : files) {
                String name = dir.relativize(f).toString().replace(java.io.File.separatorChar, '/');
                ZipEntry e = new ZipEntry(name);
                e.setTime(0L);
                jar.putNextEntry(e);
                jar.write(Files.readAllBytes(f));
                jar.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
