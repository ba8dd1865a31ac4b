package dev.keel.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Executable;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The plugin committed under {@code .mvn/plugins} is the build of this module's sources. Class files differ between
 * JDKs, so the proof holds on any JDK the build allows: the jar's own copy of the sources equals {@code src/main/java},
 * its plugin descriptor (every goal and parameter) equals the one this build generated, and each of its classes
 * declares the same members as the class this build compiled.
 */
class PluginJarTest {

    private static final String REBUILD = "Rebuild it: mvn -pl libs/maven-plugin package -Pcommit-plugin"
            + " (after a change to these sources, raise the version here and keel-maven-plugin.version in the root POM first:"
            + " Maven keeps the build it fetched under each version)";

    private final String version = System.getProperty("keel.plugin.version");
    private final Path classes = Path.of(System.getProperty("keel.plugin.classes"));
    private final Path sources = Path.of(System.getProperty("keel.plugin.sources"));
    private final Path committed = Path.of(System.getProperty("keel.plugin.repository"), "dev/keel/keel-maven-plugin", version,
            "keel-maven-plugin-" + version + ".jar");

    @Test
    void committedJarCarriesTheseSources() throws IOException {
        try (JarFile jar = new JarFile(committed.toFile())) {
            assertThat(entries(jar, "META-INF/sources/")).as("the sources inside %s. %s", committed, REBUILD).isEqualTo(files(sources));
        }
    }

    @Test
    void committedJarDescribesTheseGoals() throws IOException {
        try (JarFile jar = new JarFile(committed.toFile())) {
            assertThat(entries(jar, "META-INF/maven/plugin.xml")).as("the plugin descriptor inside %s. %s", committed, REBUILD)
                    .isEqualTo(Map.of("", Files.readString(classes.resolve("META-INF/maven/plugin.xml"))));
        }
    }

    @Test
    void committedJarDeclaresWhatTheseClassesDeclare() throws Exception {
        try (JarFile jar = new JarFile(committed.toFile());
             URLClassLoader maven = new URLClassLoader(mavenApi(), ClassLoader.getPlatformClassLoader());
             URLClassLoader built = new URLClassLoader(new URL[] {classes.toUri().toURL()}, maven);
             URLClassLoader inJar = new URLClassLoader(new URL[] {committed.toUri().toURL()}, maven)) {
            Map<String, String> builtClasses = new TreeMap<>();
            Map<String, String> jarClasses = new TreeMap<>();
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                    String name = className(classes.relativize(file).toString().replace('\\', '/'));
                    builtClasses.put(name, members(built.loadClass(name)));
                }
            }
            for (JarEntry entry : (Iterable<JarEntry>) jar.stream()::iterator) {
                if (entry.getName().endsWith(".class")) {
                    String name = className(entry.getName());
                    jarClasses.put(name, members(inJar.loadClass(name)));
                }
            }
            assertThat(jarClasses).as("the classes inside %s. %s", committed, REBUILD).isEqualTo(builtClasses);
        }
    }

    @Test
    void committedPomNeedsNothingButMaven() throws IOException {
        String pom = Files.readString(committed.resolveSibling("keel-maven-plugin-" + version + ".pom"));
        assertThat(pom).as("the plugin's POM beside %s. %s", committed, REBUILD)
                .contains("<packaging>maven-plugin</packaging>").doesNotContain("<parent>").doesNotContain("<dependencies>");
    }

    /** This test's class path without this module's own classes: the Maven API that both builds are compiled against. */
    private URL[] mavenApi() throws IOException {
        java.util.List<URL> urls = new java.util.ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath().normalize();
            if (!path.equals(classes.toAbsolutePath().normalize()) && !path.startsWith(classes.getParent().resolve("test-classes").toAbsolutePath().normalize())) {
                urls.add(path.toUri().toURL());
            }
        }
        return urls.toArray(URL[]::new);
    }

    private static String className(String path) {
        return path.substring(0, path.length() - ".class".length()).replace('/', '.');
    }

    /** What a class declares, in an order that does not depend on the compiler. */
    private static String members(Class<?> type) {
        StringBuilder text = new StringBuilder(type.toGenericString()).append(" extends ").append(type.getGenericSuperclass())
                .append(" implements ").append(Arrays.toString(type.getGenericInterfaces())).append(Arrays.toString(type.getAnnotations()));
        Stream.of(type.getDeclaredFields()).map(f -> f.toGenericString() + Arrays.toString(f.getAnnotations())).sorted()
                .forEach(f -> text.append('\n').append(f));
        Stream.concat(Stream.of(type.getDeclaredMethods()), Stream.of(type.getDeclaredConstructors()))
                .filter(m -> !m.isSynthetic()).map(Executable::toGenericString).sorted().forEach(m -> text.append('\n').append(m));
        return text.toString();
    }

    private static Map<String, String> entries(JarFile jar, String prefix) throws IOException {
        Map<String, String> found = new TreeMap<>();
        for (JarEntry entry : (Iterable<JarEntry>) jar.stream()::iterator) {
            if (!entry.isDirectory() && entry.getName().startsWith(prefix)) {
                try (InputStream in = jar.getInputStream(entry)) {
                    found.put(entry.getName().substring(prefix.length()), new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        return found;
    }

    private static Map<String, String> files(Path directory) throws IOException {
        Map<String, String> found = new TreeMap<>();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                found.put(directory.relativize(file).toString().replace('\\', '/'), Files.readString(file));
            }
        }
        return found;
    }
}
