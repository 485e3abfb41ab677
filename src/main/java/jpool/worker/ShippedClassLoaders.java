package jpool.worker;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jpool.ship.CodeCache;
import jpool.ship.Shipment;
import jpool.ship.SnapshotLoader;
import jpool.wire.Limits;
import jpool.wire.UnitWire;

/**
 * Resolves a unit's classes through the snapshot loader of the code shipped with its job (notebook
 * cells): the first extra frame of the unit that carries a job's function is its {@link Shipment},
 * followed by (hash, bytes) pairs for the classes and jars this worker has not been sent before.
 * Jobs without shipped code resolve through the worker's class path.
 *
 * <p>Jars that a shipment lists without sending are read in place when the worker runs on the
 * submitting host and the file there has the listed hash.
 *
 * <p>The pool initializer's code arrives the same way, in {@code welcome}; its snapshot loader
 * becomes the worker's globals ({@link CodeCache#workerGlobals}): the cell classes and cell
 * variables it lists are defined once per worker and shared by every later task that lists them,
 * so what the initializer sets there is what the tasks read.
 */
final class ShippedClassLoaders implements TaskClassLoaders {

    private final ClassLoader classPath = ShippedClassLoaders.class.getClassLoader();
    private final CodeCache cache = new CodeCache(classPath);
    private final Map<Long, Shipment> shipments = new ConcurrentHashMap<>();

    @Override
    public void received(UnitWire unit) {
        List<byte[]> extra = unit.extra();
        if (unit.function() == null || extra.isEmpty()) {
            return;
        }
        shipments.put(unit.jobId(), take(extra));
    }

    @Override
    public void limits(Limits limits) {
        cache.limits(limits);
    }

    @Override
    public ClassLoader forInitializer(List<byte[]> code) {
        return code.isEmpty() ? classPath : cache.workerGlobals(take(code));
    }

    /** Decodes the shipment in the first frame and caches the classes and jars that follow it. */
    private Shipment take(List<byte[]> extra) {
        Shipment shipment = Shipment.decode(extra.get(0));
        for (int i = 1; i + 1 < extra.size(); i += 2) {
            String hash = new String(extra.get(i), StandardCharsets.UTF_8);
            if (!cache.has(hash)) {
                cache.accept(shipment, hash, extra.get(i + 1));
            }
        }
        for (Shipment.JarRef jar : shipment.jars()) {
            if (!cache.has(jar.hash())) {
                cache.putJarInPlace(jar.hash(), Path.of(jar.path()));
            }
        }
        return shipment;
    }

    @Override
    public ClassLoader forUnit(UnitWire unit) {
        Shipment shipment = shipments.get(unit.jobId());
        if (shipment == null) {
            return classPath;
        }
        SnapshotLoader loader = cache.loader(shipment);
        loader.enterJob(unit.jobId());
        return loader;
    }

    @Override
    public void jobDropped(long jobId) {
        Shipment shipment = shipments.remove(jobId);
        if (shipment != null) {
            SnapshotLoader loader = cache.cachedLoader(shipment);
            if (loader != null) {
                loader.jobDone(jobId);
            }
        }
    }
}
