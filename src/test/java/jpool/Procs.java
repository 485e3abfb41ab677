package jpool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads process states from /proc. */
public final class Procs {

    private Procs() {
    }

    /** The state letter of a process (R, S, Z, ...) or '?' if it does not exist. */
    public static char state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            int close = stat.lastIndexOf(')');
            return stat.charAt(close + 2);
        } catch (IOException | RuntimeException e) {
            return '?';
        }
    }

    /** Whether the process is a zombie. */
    public static boolean isZombie(long pid) {
        return state(pid) == 'Z';
    }

    /** Whether the process exists and is not a zombie. */
    public static boolean running(long pid) {
        char s = state(pid);
        return s != '?' && s != 'Z' && s != 'X';
    }

    /** Pids of zombie children of the given process. */
    public static List<Long> zombieChildren(long parent) throws IOException {
        List<Long> zombies = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(Path.of("/proc"))) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                String name = d.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(d.resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    String[] f = stat.substring(close + 2).split(" ");
                    if (f[0].equals("Z") && Long.parseLong(f[1]) == parent) {
                        zombies.add(Long.parseLong(name));
                    }
                } catch (IOException | RuntimeException e) {
                    // process went away
                }
            }
        }
        return zombies;
    }
}
