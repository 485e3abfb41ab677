package jpool.kernel;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

/**
 * %maven: resolves artifacts and their runtime dependencies with Maven's own resolver, from Maven Central
 * (and repositories added with %mavenRepo), caching in ~/.m2/repository like Maven does.
 */
final class MavenResolver {

    private final Map<String, RemoteRepository> repositories = new LinkedHashMap<>();
    private RepositorySystem system;

    MavenResolver() {
        addRepository("central", "https://repo.maven.apache.org/maven2/");
    }

    synchronized void addRepository(String id, String url) {
        repositories.put(id, new RemoteRepository.Builder(id, "default", url).build());
    }

    /**
     * Resolves coordinates {@code group:artifact[:extension[:classifier]]:version} with their transitive runtime
     * dependencies.
     *
     * @return the files, dependencies included, in resolution order
     */
    synchronized List<Path> resolve(List<String> coordinates) throws MagicException {
        if (system == null) {
            system = new RepositorySystemSupplier().get();
        }
        DefaultRepositorySystemSession session = MavenRepositorySystemUtils.newSession();
        // POM profiles activate on java.version and friends; without them parents with JDK profiles fail to build
        session.setSystemProperties(System.getProperties());
        Path local = Path.of(System.getProperty("user.home"), ".m2", "repository");
        String override = System.getProperty("maven.repo.local");
        if (override != null && !override.isBlank()) {
            local = Path.of(override);
        }
        session.setLocalRepositoryManager(system.newLocalRepositoryManager(session, new LocalRepository(local.toFile())));
        CollectRequest collect = new CollectRequest();
        for (String c : coordinates) {
            DefaultArtifact artifact;
            try {
                artifact = new DefaultArtifact(c);
            } catch (IllegalArgumentException e) {
                throw new MagicException("not Maven coordinates (group:artifact:version): " + c);
            }
            collect.addDependency(new Dependency(artifact, JavaScopes.RUNTIME));
        }
        collect.setRepositories(new ArrayList<>(repositories.values()));
        DependencyRequest request = new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
        try {
            List<Path> files = new ArrayList<>();
            for (ArtifactResult r : system.resolveDependencies(session, request).getArtifactResults()) {
                File f = r.getArtifact() == null ? null : r.getArtifact().getFile();
                if (f != null) {
                    files.add(f.toPath());
                }
            }
            return files;
        } catch (DependencyResolutionException e) {
            String msg = e.getMessage();
            Throwable cause = e.getCause();
            while (cause != null && cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw new MagicException("cannot resolve " + String.join(" ", coordinates) + ": " + msg
                    + (cause != null && cause.getMessage() != null && !msg.contains(cause.getMessage())
                    ? " (" + cause.getMessage() + ")" : ""));
        }
    }
}
