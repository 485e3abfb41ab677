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
     * The dependencies (compile and runtime scope) and repositories of a POM, or of POM fragments: any
     * number of {@code <dependency>} and {@code <repository>} elements, as IJava's %%loadFromPOM takes.
     * Repositories are added; {@code ${property}} references are replaced from the POM's properties.
     *
     * @return coordinates for {@link #resolve}
     */
    List<String> readPom(String xml) throws MagicException {
        String pom = xml;
        if (!xml.contains("<project")) {
            StringBuilder sb = new StringBuilder("<project><modelVersion>4.0.0</modelVersion><groupId>notebook</groupId>"
                    + "<artifactId>notebook</artifactId><version>0</version>");
            sb.append(elements(xml, "properties"));
            sb.append("<repositories>").append(elements(xml, "repository")).append("</repositories>");
            sb.append("<dependencies>").append(elements(xml, "dependency")).append("</dependencies></project>");
            pom = sb.toString();
        }
        org.apache.maven.model.Model model;
        try {
            model = new org.apache.maven.model.io.xpp3.MavenXpp3Reader().read(new java.io.StringReader(pom), false);
        } catch (java.io.IOException | org.codehaus.plexus.util.xml.pull.XmlPullParserException e) {
            throw new MagicException("not a POM or POM fragment: " + e.getMessage());
        }
        java.util.Properties props = model.getProperties();
        for (org.apache.maven.model.Repository r : model.getRepositories()) {
            if (r.getUrl() == null) {
                throw new MagicException("repository " + r.getId() + " has no <url>");
            }
            addRepository(r.getId() == null ? r.getUrl() : r.getId(), interpolate(r.getUrl(), props));
        }
        List<String> coordinates = new ArrayList<>();
        for (org.apache.maven.model.Dependency d : model.getDependencies()) {
            String scope = d.getScope() == null ? "compile" : d.getScope();
            if (!scope.equals("compile") && !scope.equals("runtime")) {
                continue;
            }
            if (d.getVersion() == null) {
                throw new MagicException("dependency " + d.getGroupId() + ":" + d.getArtifactId() + " has no <version>");
            }
            String type = d.getType() == null ? "jar" : d.getType();
            coordinates.add(interpolate(d.getGroupId(), props) + ":" + interpolate(d.getArtifactId(), props) + ":"
                    + type + (d.getClassifier() == null ? "" : ":" + interpolate(d.getClassifier(), props)) + ":"
                    + interpolate(d.getVersion(), props));
        }
        return coordinates;
    }

    private static String elements(String xml, String tag) {
        StringBuilder sb = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?s)<" + tag + "\\b.*?</" + tag + ">").matcher(xml);
        while (m.find()) {
            sb.append(m.group());
        }
        return sb.toString();
    }

    private static String interpolate(String s, java.util.Properties props) {
        if (s == null) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{([^}]+)}").matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = props.getProperty(m.group(1), System.getProperty(m.group(1)));
            m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(v == null ? m.group() : v));
        }
        return m.appendTail(sb).toString();
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
