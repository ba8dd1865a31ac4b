package dev.keel.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.db.settings.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * db/lib/keel-liquibase-extension.jar is what the liquibase-maven-plugin loads. It must hold exactly the
 * classes compiled from this module's sources (dev.keel.db.settings, dev.keel.db.liquibase) and its services.
 */
class ExtensionJarTest {

    private static final String REFRESH = "Rebuild it: mvn -pl db package -DskipTests, then copy"
            + " db/target/db-<version>-liquibase-extension.jar to db/lib/keel-liquibase-extension.jar";

    @Test
    void committedJarMatchesTheCompiledSources() throws IOException {
        Path classes = Settings.root().resolve("db/target/classes");
        Map<String, byte[]> compiled = new TreeMap<>();
        for (String root : new String[] {"dev/keel/db/settings", "dev/keel/db/liquibase", "META-INF/services"}) {
            try (Stream<Path> files = Files.walk(classes.resolve(root))) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    compiled.put(classes.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
                }
            }
        }

        Map<String, byte[]> committed = new TreeMap<>();
        try (ZipFile jar = new ZipFile(Settings.root().resolve("db/lib/keel-liquibase-extension.jar").toFile())) {
            for (ZipEntry entry : jar.stream().map(ZipEntry.class::cast).toList()) {
                if (!entry.isDirectory() && !entry.getName().startsWith("META-INF/maven/") && !entry.getName().equals("META-INF/MANIFEST.MF")) {
                    committed.put(entry.getName(), jar.getInputStream(entry).readAllBytes());
                }
            }
        }

        assertThat(committed.keySet()).as("entries of the committed jar. " + REFRESH).isEqualTo(compiled.keySet());
        for (Map.Entry<String, byte[]> entry : compiled.entrySet()) {
            assertThat(committed.get(entry.getKey())).as("%s differs from its source. %s", entry.getKey(), REFRESH).isEqualTo(entry.getValue());
        }
    }
}
