package dev.keel.maven;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.DefaultDependencyResolutionRequest;
import org.apache.maven.project.DependencyResolutionException;
import org.apache.maven.project.DependencyResolutionResult;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.ProjectDependenciesResolver;
import org.eclipse.aether.graph.Dependency;

/**
 * A keel:* goal: after the reactor has compiled (each goal forks the compile phase), it runs one schema tool of
 * {@link #toolsModule} in this JVM, on that module's runtime class path, and ends with the tool. The tools'
 * code stays ordinary source in the reactor; this plugin only knows the entry point
 * ({@code public static String run(String tool)}, which returns null or the one-line reason it refused).
 */
abstract class ToolMojo extends AbstractMojo {

    private static final Set<String> RUNTIME_SCOPES = Set.of("compile", "runtime");

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    /** The module whose main code holds the tools, relative to the repository root. */
    @Parameter(property = "keel.toolsModule", defaultValue = "libs/schema-tools")
    private String toolsModule;

    /** The class with {@code public static String run(String tool)}. */
    @Parameter(property = "keel.toolsEntryPoint", defaultValue = "dev.keel.schema.Tools")
    private String entryPoint;

    @Component
    private ProjectDependenciesResolver resolver;

    /** The tool's name, as the entry point knows it. */
    abstract String tool();

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        MavenProject tools = toolsProject();
        String refused;
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Never closed: the shutdown hooks the tool leaves (stopping an embedded PostgreSQL, dropping its throwaway
        // databases) run when Maven exits, and load classes from it then. The JVM ends with the command anyway.
        URLClassLoader classes = new URLClassLoader(classPath(tools), ClassLoader.getPlatformClassLoader());
        try {
            thread.setContextClassLoader(classes);
            Method run = classes.loadClass(entryPoint).getMethod("run", String.class);
            refused = (String) run.invoke(null, tool());
        } catch (InvocationTargetException e) {
            throw new MojoExecutionException(tool() + " failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new MojoExecutionException(tools.getArtifactId() + " has no entry point " + entryPoint + ".run(String): " + e, e);
        } finally {
            thread.setContextClassLoader(previous);
        }
        if (refused != null) {
            throw new MojoFailureException(refused);
        }
    }

    private MavenProject toolsProject() throws MojoExecutionException {
        Path wanted = Path.of(session.getExecutionRootDirectory()).resolve(toolsModule).normalize();
        // With only some modules in the build, the others' classes (the entities') would come from the local repository, stale.
        boolean wholeReactor = session.getAllProjects() == null || session.getProjects().size() == session.getAllProjects().size();
        for (MavenProject project : session.getProjects()) {
            if (wholeReactor && project.getBasedir().toPath().normalize().equals(wanted)) {
                return project;
            }
        }
        throw new MojoExecutionException("keel:" + tool() + " runs from the repository root, with " + toolsModule
                + " in the build: cd to the folder with the root pom.xml and run it without -pl");
    }

    /** The tools module's and its reactor dependencies' compiled classes, then their external dependencies' jars. */
    private URL[] classPath(MavenProject tools) throws MojoExecutionException {
        List<MavenProject> reactor = new ArrayList<>(session.getProjectDependencyGraph().getUpstreamProjects(tools, true));
        reactor.add(0, tools);
        Set<String> reactorKeys = new LinkedHashSet<>();
        Set<File> files = new LinkedHashSet<>();
        for (MavenProject project : reactor) {
            reactorKeys.add(project.getGroupId() + ":" + project.getArtifactId());
            files.add(new File(project.getBuild().getOutputDirectory()));
        }
        DefaultDependencyResolutionRequest request = new DefaultDependencyResolutionRequest(tools, session.getRepositorySession());
        // The graph's scopes are already those each node has for the tools module: compile and runtime run it.
        request.setResolutionFilter((node, parents) -> node.getDependency() == null
                || RUNTIME_SCOPES.contains(node.getDependency().getScope())
                && !reactorKeys.contains(node.getArtifact().getGroupId() + ":" + node.getArtifact().getArtifactId()));
        DependencyResolutionResult result;
        try {
            result = resolver.resolve(request);
        } catch (DependencyResolutionException e) {
            throw new MojoExecutionException("Cannot resolve the dependencies of " + toolsModule + ": " + e.getMessage(), e);
        }
        for (Dependency dependency : result.getDependencies()) {
            File file = dependency.getArtifact().getFile();
            if (file != null && RUNTIME_SCOPES.contains(dependency.getScope()) && !reactorKeys.contains(dependency.getArtifact().getGroupId() + ":" + dependency.getArtifact().getArtifactId())) {
                files.add(file);
            }
        }
        List<URL> urls = new ArrayList<>();
        for (File file : files) {
            try {
                urls.add(file.toURI().toURL());
            } catch (MalformedURLException e) {
                throw new MojoExecutionException("Not a class path entry: " + file, e);
            }
        }
        return urls.toArray(URL[]::new);
    }
}
