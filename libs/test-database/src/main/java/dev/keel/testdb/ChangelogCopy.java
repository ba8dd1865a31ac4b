package dev.keel.testdb;

import dev.keel.db.settings.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Changelogs that a test may edit: copies laid out like a search path (db/changelog/...), and edits of their files. */
public final class ChangelogCopy {

    private ChangelogCopy() {
    }

    /**
     * Copies the changelog with every file it may include, which is all of db/src/main/resources but the Liquibase
     * extension's service registrations (META-INF/services), to {@code searchPath} and returns {@code searchPath}. A
     * team's changelog may include files outside db/changelog, by their path from the resources' root, META-INF too.
     */
    public static Path into(Path searchPath) throws IOException {
        return into(Settings.root().resolve("db/src/main/resources"), searchPath);
    }

    static Path into(Path resources, Path searchPath) throws IOException {
        Path services = resources.resolve("META-INF").resolve("services");
        try (Stream<Path> files = Files.walk(resources)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.startsWith(services)) {
                    continue;
                }
                Path copy = searchPath.resolve(resources.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        }
        return searchPath;
    }

    /** Copies the folder {@code from}, with everything below it, to {@code to}. */
    public static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path copy = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        }
    }

    /** Replaces every {@code from} in {@code file} with {@code to}; fails when the file has no {@code from}. */
    public static void replace(Path file, String from, String to) {
        try {
            String text = Files.readString(file);
            if (!text.contains(from)) {
                throw new IllegalArgumentException(file + " has no " + from);
            }
            Files.writeString(file, text.replace(from, to));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
