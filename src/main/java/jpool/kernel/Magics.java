package jpool.kernel;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The magic registry. A line magic is a line {@code %name args} in a cell and runs where it stands; a
 * cell magic is a first line {@code %%name args} and receives the rest of the cell as its body. What a
 * magic returns is shown like an expression's value (nothing for null).
 *
 * <pre>{@code
 * Magics.global().registerLine("hello", "%hello NAME: greets", (args, ctx) -> "hello " + args);
 * Magics.global().registerCell("upper", "%%upper: prints the body in upper case",
 *         (args, body, ctx) -> { System.out.print(body.toUpperCase()); return null; });
 * }</pre>
 */
public final class Magics {

    /** A line magic: {@code %name args}. */
    @FunctionalInterface
    public interface LineMagic {
        /**
         * @param args the rest of the line after the name, trimmed
         * @return a value to show, or null
         * @throws MagicException for bad arguments (shown as a usage error)
         */
        Object run(String args, MagicContext context) throws Exception;
    }

    /** A cell magic: {@code %%name args} on the first line, the rest of the cell as body. */
    @FunctionalInterface
    public interface CellMagic {
        /**
         * @param args the rest of the first line after the name, trimmed
         * @param body the cell without its first line
         * @return a value to show, or null
         */
        Object run(String args, String body, MagicContext context) throws Exception;
    }

    /** A registered magic with its one-line help. */
    public record Entry<M>(String name, String help, M magic) {
    }

    private static final Magics GLOBAL = new Magics();

    private final Map<String, Entry<LineMagic>> line = new ConcurrentHashMap<>();
    private final Map<String, Entry<CellMagic>> cell = new ConcurrentHashMap<>();

    /** A separate registry (for tests); the kernel uses {@link #global()}. */
    public Magics() {
    }

    /** The registry the kernel uses. */
    public static Magics global() {
        return GLOBAL;
    }

    /** Registers (or replaces) a line magic. */
    public void registerLine(String name, String help, LineMagic magic) {
        line.put(name, new Entry<>(name, help, magic));
    }

    /** Registers (or replaces) a cell magic. */
    public void registerCell(String name, String help, CellMagic magic) {
        cell.put(name, new Entry<>(name, help, magic));
    }

    /** The line magic of that name, or null. */
    public Entry<LineMagic> line(String name) {
        return line.get(name);
    }

    /** The cell magic of that name, or null. */
    public Entry<CellMagic> cell(String name) {
        return cell.get(name);
    }

    /** Names of the line magics, sorted. */
    public Set<String> lineNames() {
        return new TreeSet<>(line.keySet());
    }

    /** Names of the cell magics, sorted. */
    public Set<String> cellNames() {
        return new TreeSet<>(cell.keySet());
    }

    /** A help text listing every magic. */
    public String help() {
        StringBuilder sb = new StringBuilder("Line magics:\n");
        new TreeMap<>(line).values().forEach(e -> sb.append("  ").append(e.help()).append('\n'));
        sb.append("Cell magics:\n");
        new TreeMap<>(cell).values().forEach(e -> sb.append("  ").append(e.help()).append('\n'));
        return sb.toString();
    }
}
