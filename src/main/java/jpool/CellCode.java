package jpool;

import java.util.ArrayList;
import java.util.List;
import jpool.cluster.CodeAttachment;
import jpool.ship.Capture;
import jpool.ship.CodeShipper;
import jpool.ship.NotShippableException;
import jpool.ship.Shipment;
import jpool.wire.PayloadCodec;

/**
 * The pool's side of shipping code written in notebook cells: asks the {@link CodeShipper} the pool
 * started with (the one the kernel installed; none in a plain Java program) what a job must carry to
 * worker JVMs beyond their class path: the classes compiled from cells that the task reaches, the
 * jars added to the kernel, and the values of the cell variables it reads, as they are at submit
 * time. The shipper observes the job's one encoding; nothing is serialized twice.
 *
 * <p>The pool initializer takes the same path, once, when the pool starts: its shipment then
 * defines the worker's globals (see {@link jpool.ship.CodeCache#workerGlobals}).
 */
final class CellCode {

    /** Ships nothing: every job runs from the workers' class path. */
    static final CellCode NONE = new CellCode(null);

    private final CodeShipper shipper;

    private CellCode(CodeShipper shipper) {
        this.shipper = shipper;
    }

    /** Over the shipper installed now (see {@link CodeShipper#install}), or {@link #NONE}. */
    static CellCode installed() {
        CodeShipper s = CodeShipper.installed();
        return s == null ? NONE : new CellCode(s);
    }

    /**
     * What a job or the initializer carries.
     *
     * @param shipment the classes, jars and values, as the worker will read them
     * @param attachment the same, in the controller's terms
     */
    record Shipped(Shipment shipment, CodeAttachment attachment) {
    }

    /** Starts one submission; encode its payloads with {@link Submission#observer()}. */
    Submission begin() {
        return new Submission(shipper == null ? null : shipper.begin());
    }

    /** One job's (or the initializer's) analysis. Used by one thread. */
    final class Submission {
        private final CodeShipper.Submission analysis;

        private Submission(CodeShipper.Submission analysis) {
            this.analysis = analysis;
        }

        /** The observer to encode the job's function and arguments with; null when nothing ships. */
        PayloadCodec.ClassObserver observer() {
            return analysis;
        }

        /**
         * What the payloads encoded so far need, or null when that is nothing beyond the class path.
         *
         * @throws NotSerializableTaskException naming the cell variable whose value cannot be sent
         */
        Shipped finish() {
            if (analysis == null) {
                return null;
            }
            Capture capture;
            try {
                capture = analysis.finish();
            } catch (NotShippableException e) {
                throw new NotSerializableTaskException(e.getMessage(), e);
            }
            for (String warning : capture.warnings()) {
                System.err.println("jpool: " + warning);
            }
            Shipment shipment = capture.shipment();
            if (shipment.hashes().isEmpty() && shipment.state().isEmpty()) {
                return null;
            }
            return new Shipped(shipment,
                    new CodeAttachment(shipment.encode(), new ArrayList<>(missingInPlace(shipment)), shipper::bytes));
        }
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
}
