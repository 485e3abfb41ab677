package jpool.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This machine's host name, found once. Where the kernel publishes it (Linux) it is read from there, since a
 * name-service lookup can take seconds on a host without DNS.
 */
public final class LocalHost {

    private static final String NAME = find();

    private LocalHost() {
    }

    /** This machine's host name, or {@code localhost} when the machine does not say. */
    public static String name() {
        return NAME;
    }

    private static String find() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: ask the name service
        }
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name == null || name.isBlank() ? "localhost" : name;
        } catch (IOException | RuntimeException e) {
            return "localhost";
        }
    }
}
