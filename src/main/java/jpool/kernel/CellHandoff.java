package jpool.kernel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.lang.model.SourceVersion;

/**
 * Hands an object made by kernel code (a magic) to cell code: the kernel keeps it under a ticket, and a cell
 * it evaluates, {@code jpool.Pool pool = (jpool.Pool) jpool.kernel.CellHandoff.take(7L);}, takes it. Cells run
 * in the kernel's JVM, so the cell variable then holds the very object. See {@link
 * MagicContext#declareVariable}.
 *
 * <p>A ticket is taken once; what is never taken (the declaring cell failed) is dropped by {@link #declaration}'s
 * caller. Thread-safe.
 */
public final class CellHandoff {

    private static final AtomicLong TICKETS = new AtomicLong();
    private static final Map<Long, Object> WAITING = new ConcurrentHashMap<>();

    private CellHandoff() {
    }

    /**
     * Takes the object left under a ticket (called by the code {@link #declaration} writes).
     *
     * @throws IllegalStateException if nothing waits under that ticket (taken already, or never left)
     */
    public static Object take(long ticket) {
        Object value = WAITING.remove(ticket);
        if (value == null) {
            throw new IllegalStateException("nothing was handed over under ticket " + ticket);
        }
        return value;
    }

    /**
     * Leaves {@code value} under a new ticket and returns the Java that declares {@code type name} holding it.
     *
     * @return the declaration, and the ticket to {@link #drop} if the declaration is never evaluated
     * @throws IllegalArgumentException if {@code name} is not a Java identifier, or is a keyword
     */
    static Handed declaration(String type, String name, Object value) {
        if (!isVariableName(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a Java variable name");
        }
        long ticket = TICKETS.incrementAndGet();
        WAITING.put(ticket, java.util.Objects.requireNonNull(value, "value"));
        return new Handed(ticket, type + " " + name + " = (" + type + ") jpool.kernel.CellHandoff.take(" + ticket + "L);");
    }

    /** Forgets what waits under a ticket, if anything does. */
    static void drop(long ticket) {
        WAITING.remove(ticket);
    }

    /** Whether {@code name} can name a cell variable: a Java identifier that is not a keyword (nor {@code _}). */
    static boolean isVariableName(String name) {
        return name != null && SourceVersion.isIdentifier(name) && !SourceVersion.isKeyword(name) && !name.equals("_");
    }

    /** A declaration and the ticket it takes. */
    record Handed(long ticket, String code) {
    }
}
