package dev.keel.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.db.settings.Settings;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Executable;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * db/lib/keel-liquibase-extension.jar is what the liquibase-maven-plugin loads, so it must be the build of this
 * module's extension sources (dev.keel.db.settings, dev.keel.db.liquibase, dev.keel.db.embedded) and services. Class files differ between
 * the JDKs the build allows, so the proof holds on any of them: the jar's own copy of the sources and its services
 * equal this module's, and each class in it declares the same members as the class this build compiled.
 */
class ExtensionJarTest {

    private static final String REFRESH = "Rebuild it: mvn -pl db package -DskipTests, then copy"
            + " db/target/db-<version>-liquibase-extension.jar to db/lib/keel-liquibase-extension.jar";
    private static final List<String> PACKAGES = List.of("dev/keel/db/settings", "dev/keel/db/liquibase", "dev/keel/db/embedded");

    private final Path classes = Settings.root().resolve("db/target/classes");
    private final Path sources = Settings.root().resolve("db/src/main/java");
    private final Path jar = Settings.root().resolve("db/lib/keel-liquibase-extension.jar");

    @Test
    void committedJarCarriesTheseSourcesAndServices() throws IOException {
        Map<String, String> expected = new TreeMap<>();
        for (String folder : PACKAGES) {
            expected.putAll(texts(sources, folder, "META-INF/sources/"));
        }
        expected.putAll(texts(classes, "META-INF/services", ""));

        Map<String, String> inJar = new TreeMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : zip.stream().map(ZipEntry.class::cast).toList()) {
                if (!entry.isDirectory() && entry.getName().startsWith("META-INF/s")) {
                    inJar.put(entry.getName(), new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(inJar).as("the sources and services inside %s. %s", jar, REFRESH).isEqualTo(expected);
    }

    @Test
    void committedJarDeclaresWhatTheseClassesDeclare() throws Exception {
        Map<String, String> built = new TreeMap<>();
        Map<String, String> inJar = new TreeMap<>();
        try (URLClassLoader libraries = new URLClassLoader(librariesOnly(), ClassLoader.getPlatformClassLoader());
             URLClassLoader fromBuild = new URLClassLoader(new URL[] {classes.toUri().toURL()}, libraries);
             URLClassLoader fromJar = new URLClassLoader(new URL[] {jar.toUri().toURL()}, libraries);
             ZipFile zip = new ZipFile(jar.toFile())) {
            for (String folder : PACKAGES) {
                try (Stream<Path> files = Files.walk(classes.resolve(folder))) {
                    for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                        String name = className(classes.relativize(file).toString().replace('\\', '/'));
                        built.put(name, declarations(fromBuild.loadClass(name)));
                    }
                }
            }
            for (ZipEntry entry : zip.stream().map(ZipEntry.class::cast).toList()) {
                if (entry.getName().endsWith(".class")) {
                    String name = className(entry.getName());
                    inJar.put(name, declarations(fromJar.loadClass(name)));
                }
            }
        }
        assertThat(inJar).as("the classes inside %s. %s", jar, REFRESH).isEqualTo(built);
    }

    /** This test's class path without this module's classes, which both loaders must find in their own place. */
    private URL[] librariesOnly() throws IOException {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath().normalize();
            if (!path.startsWith(classes.getParent().toAbsolutePath().normalize())) {
                urls.add(path.toUri().toURL());
            }
        }
        return urls.toArray(URL[]::new);
    }

    private static Map<String, String> texts(Path base, String folder, String prefix) throws IOException {
        Map<String, String> texts = new TreeMap<>();
        try (Stream<Path> files = Files.walk(base.resolve(folder))) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                texts.put(prefix + base.relativize(file).toString().replace('\\', '/'), Files.readString(file));
            }
        }
        return texts;
    }

    private static String className(String path) {
        return path.substring(0, path.length() - ".class".length()).replace('/', '.');
    }

    /** A class's signature and declared members, sorted, so the compiler's order does not matter. */
    private static String declarations(Class<?> type) {
        List<String> lines = new ArrayList<>();
        Stream.of(type.getDeclaredFields()).map(field -> field.toGenericString() + Arrays.toString(field.getAnnotations())).forEach(lines::add);
        Stream.concat(Stream.of(type.getDeclaredMethods()), Stream.of(type.getDeclaredConstructors()))
                .filter(member -> !member.isSynthetic()).map(Executable::toGenericString).forEach(lines::add);
        lines.sort(null);
        lines.add(0, type.toGenericString() + " : " + type.getGenericSuperclass() + " " + Arrays.toString(type.getGenericInterfaces())
                + Arrays.toString(type.getAnnotations()));
        return String.join("\n", lines);
    }
}
