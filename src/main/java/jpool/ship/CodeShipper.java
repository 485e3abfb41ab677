package jpool.ship;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import jpool.wire.PayloadCodec;

/**
 * What a pool asks to learn which code a job needs on its workers beyond their class path: in a
 * notebook, the classes compiled from cells that the task reaches, the kernel's added jars and the
 * values of the cell variables it reads. The kernel makes one over its JShell's {@link ClassRegistry}
 * (a {@link CaptureAnalyzer}) and {@linkplain #install installs} it; a plain Java program installs
 * none, and its jobs carry nothing.
 *
 * <p>A pool reads the installed shipper once, when it starts, so what a pool does never depends on
 * which other code ran in the same JVM before: no JShell records into anything a pool reads unless
 * its owner installed a shipper over it.
 *
 * <p>Use per submission: {@code Submission s = shipper.begin()}; pass {@code s} as the
 * {@link PayloadCodec.ClassObserver} of every payload of the job as it is encoded (the function, the
 * arguments), then {@code s.finish()}. The job is serialized once; the shipper learns the classes it
 * needs from that one encoding. Implementations are thread-safe; a submission is used by one thread.
 */
public interface CodeShipper {

    /** Starts the analysis of one submission. */
    Submission begin();

    /**
     * The bytes of a class or jar listed in a shipment this shipper produced.
     *
     * @throws IllegalArgumentException if no class or jar has that hash
     */
    byte[] bytes(String hash);

    /** One submission: observes its payloads while they are encoded, then says what they need. */
    interface Submission extends PayloadCodec.ClassObserver {
        /**
         * The shipment of everything observed (its task and argument bytes are not part of it).
         *
         * @throws NotShippableException naming the cell variable whose value cannot be sent
         */
        Capture finish();
    }

    /**
     * Makes {@code shipper} the one pools started from now on use, until the returned registration
     * is closed (which restores the one installed before, if this is still the current one).
     */
    static Registration install(CodeShipper shipper) {
        Objects.requireNonNull(shipper, "shipper");
        CodeShipper previous = Installed.CURRENT.getAndSet(shipper);
        return () -> Installed.CURRENT.compareAndSet(shipper, previous);
    }

    /** The installed shipper, or null when jobs carry no code (a plain Java program). */
    static CodeShipper installed() {
        return Installed.CURRENT.get();
    }

    /** An installation, undone by {@link #close()}. */
    @FunctionalInterface
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}

/** Holds the installed shipper (an interface cannot have a private field). */
final class Installed {
    static final AtomicReference<CodeShipper> CURRENT = new AtomicReference<>();

    private Installed() {
    }
}
