package dev.keel.schema.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.testdb.Catalog;
import dev.keel.testdb.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import liquibase.Contexts;
import liquibase.Liquibase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The snapshot does not depend on the server: the tests' server (PostgreSQL 15 in CI) and embedded PostgreSQL 14, 16
 * and 17 give the same bytes for the same changelog. The binaries of 14 and 16 are copied by the build into
 * {@code target/postgres-binaries} (see this module's POM).
 */
class SnapshotAcrossServersIT {

    private static SnapshotFiles onTestServer;
    private static String testServerVersion;

    @BeforeAll
    static void renderOnTheTestServer() throws Exception {
        try (Connection connection = TestPostgres.server().connect(TestPostgres.createMigratedDatabase())) {
            onTestServer = SnapshotFiles.render(connection, TestPostgres.APP_ROLE);
            testServerVersion = Catalog.lines(connection, "SHOW server_version").get(0);
        }
    }

    @Test
    void isByteIdenticalOnEmbeddedPostgres17() throws Exception {
        assertSameSnapshot(TestPostgres.embedded(), "17.");
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(strings = {"14", "16"})
    void isByteIdenticalOnAnOlderMajor(String major) throws Exception {
        assertSameSnapshot(TestPostgres.embedded(binaries(major)), major + ".");
    }

    private static void assertSameSnapshot(TestPostgres.Server server, String expectedVersion) throws Exception {
        // A kept cluster may have the role already, and the database gets a new name every time.
        String probe = "snapshot_probe_" + System.nanoTime();
        try (Connection admin = server.connect(server.adminDatabase()); Statement statement = admin.createStatement()) {
            statement.execute("DO $$ BEGIN CREATE ROLE " + TestPostgres.APP_ROLE + " LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
            statement.execute("CREATE DATABASE " + probe);
        }
        try {
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl(probe) + "?options=-c%20keel.app_role="
                    + TestPostgres.APP_ROLE, server.username(), server.password())) {
                TestPostgres.quietly(() -> {
                    try (Liquibase liquibase = new Liquibase(TestPostgres.CHANGELOG, new ClassLoaderResourceAccessor(), new JdbcConnection(connection))) {
                        liquibase.update(new Contexts());
                    }
                });
            }
            try (Connection connection = server.connect(probe)) {
                String version = Catalog.lines(connection, "SHOW server_version").get(0);
                assertThat(version).startsWith(expectedVersion);
                assertThat(SnapshotFiles.render(connection, TestPostgres.APP_ROLE)).as("snapshot on PostgreSQL %s vs %s", testServerVersion, version)
                        .isEqualTo(onTestServer);
            }
        } finally {
            try (Connection admin = server.connect(server.adminDatabase()); Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + probe + " WITH (FORCE)");
            }
        }
    }

    private static Path binaries(String major) throws IOException {
        String folder = System.getProperty("keel.postgres-binaries");
        assertThat(folder).as("keel.postgres-binaries: run this test through mvn verify, which copies the binaries").isNotNull();
        try (Stream<Path> jars = Files.list(Path.of(folder))) {
            List<Path> found = jars.filter(jar -> jar.getFileName().toString().startsWith("postgres-" + major + ".")).toList();
            assertThat(found).as("PostgreSQL %s binaries in %s", major, folder).hasSize(1);
            return found.get(0);
        }
    }
}
