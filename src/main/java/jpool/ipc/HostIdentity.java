package jpool.ipc;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which host (and which boot of it) this JVM runs on: shared memory is valid only between JVMs
 * with the same identity.
 */
final class HostIdentity {

    private static final String ID = compute();

    private HostIdentity() {
    }

    static String get() {
        return ID;
    }

    private static String compute() {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            name = "unknown-host";
        }
        try {
            return name + "/" + Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
        } catch (IOException | RuntimeException e) {
            return name; // not Linux: the host name alone
        }
    }
}
