package jpool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jpool.cluster.CodeAttachment;
import jpool.ship.Capture;
import jpool.ship.CaptureAnalyzer;
import jpool.ship.ClassRegistry;
import jpool.ship.NotShippableException;
import jpool.ship.Shipment;

/**
 * Decides what code a job must carry to worker JVMs beyond their class path: in a notebook, the
 * classes compiled from cells that the task reaches, the jars added to the kernel, and the values of
 * the cell variables it reads, as they are at submit time. In a plain Java program nothing is
 * defined at run time and jobs carry nothing.
 *
 * <p>The pool initializer takes the same path, once, when the pool starts: its shipment then
 * defines the worker's globals (see {@link jpool.ship.CodeCache#workerGlobals}).
 */
final class CellCode {

    private static volatile CaptureAnalyzer analyzer;

    private CellCode() {
    }

    /**
     * What a job or the initializer carries.
     *
     * @param shipment the classes, jars and values, as the worker will read them
     * @param attachment the same, in the controller's terms
     */
    record Shipped(Shipment shipment, CodeAttachment attachment) {
    }

    /**
     * What a job (or the initializer, with no elements) carries, or null when it needs nothing
     * beyond the class path.
     *
     * @throws NotSerializableTaskException naming the cell variable or captured value that cannot be sent
     */
    static Shipped ship(Object function, Object[] elements) {
        ClassRegistry registry = ClassRegistry.shared();
        if (registry.size() == 0 && registry.classPathEntries().isEmpty()) {
            return null;
        }
        CaptureAnalyzer a = analyzer(registry);
        Capture capture;
        try {
            // Elements may be of cell-defined types, so they are analysed with the function.
            capture = a.capture(function, List.of(new ArrayList<>(Arrays.asList(elements))));
        } catch (NotShippableException withElements) {
            try {
                // The pool reports elements that cannot be sent one by one; only the function's own
                // problems fail the whole submission.
                capture = a.capture(function, List.of());
            } catch (NotShippableException e) {
                throw new NotSerializableTaskException(e.getMessage(), e);
            }
        }
        for (String warning : capture.warnings()) {
            System.err.println("jpool: " + warning);
        }
        Shipment shipment = capture.shipment();
        if (shipment.hashes().isEmpty() && shipment.state().isEmpty()) {
            return null;
        }
        return new Shipped(shipment,
                new CodeAttachment(shipment.encode(), new ArrayList<>(missingInPlace(shipment)), a::bytes));
    }

    /** Class files always travel; jars only when they are folders (packed) — files are read in place. */
    private static List<String> missingInPlace(Shipment shipment) {
        List<String> hashes = new ArrayList<>(shipment.classes().values());
        for (Shipment.JarRef jar : shipment.jars()) {
            if (!java.nio.file.Files.isRegularFile(java.nio.file.Path.of(jar.path()))) {
                hashes.add(jar.hash());
            }
        }
        return hashes;
    }

    private static CaptureAnalyzer analyzer(ClassRegistry registry) {
        CaptureAnalyzer a = analyzer;
        if (a == null) {
            synchronized (CellCode.class) {
                a = analyzer;
                if (a == null) {
                    a = new CaptureAnalyzer(registry);
                    analyzer = a;
                }
            }
        }
        return a;
    }
}
