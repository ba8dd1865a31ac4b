package dev.keel.testdb;

import dev.keel.db.settings.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A copy of the real changelog that a test may edit, laid out like a search path (db/changelog/...). */
public final class ChangelogCopy {

    private ChangelogCopy() {
    }

    /** Copies db/src/main/resources/db/changelog to {@code searchPath}/db/changelog and returns {@code searchPath}. */
    public static Path into(Path searchPath) throws IOException {
        Path source = Settings.root().resolve("db/src/main/resources");
        try (Stream<Path> files = Files.walk(source.resolve("db/changelog"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path copy = searchPath.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        }
        return searchPath;
    }
}
