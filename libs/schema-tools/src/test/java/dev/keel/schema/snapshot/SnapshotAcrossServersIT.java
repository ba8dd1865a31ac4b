package dev.keel.schema.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.testdb.Catalog;
import dev.keel.testdb.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import liquibase.Contexts;
import liquibase.Liquibase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The snapshot does not depend on the server: a changelog with every kind of object the snapshot describes gives the
 * same bytes on the tests' server (PostgreSQL 15 in CI) and on embedded PostgreSQL 14, 16 and 17. The build copies the
 * binaries of 14 and 16 into {@code target/postgres-binaries} (see this module's POM). The fixture is small, so the
 * test costs the same whatever the size of the project's changelog; SchemaSnapshotIT covers that changelog.
 */
class SnapshotAcrossServersIT {

    private static final String FIXTURE = "snapshot/every-kind.sql";

    private static SnapshotFiles onTestServer;
    private static String testServerVersion;

    @BeforeAll
    static void renderOnTheTestServer() throws Exception {
        onTestServer = render(TestPostgres.server(), "");
        assertThat(onTestServer.sql()).as("the fixture's objects in the snapshot").contains("CREATE TABLE fixture_items (",
                "CREATE VIEW fixture_open_items AS", "CREATE SEQUENCE fixture_numbers", "CREATE TYPE fixture_state AS ENUM",
                "CREATE TRIGGER fixture_items_touch", "GRANT SELECT, USAGE ON SEQUENCE fixture_numbers", "GRANT SELECT ON TABLE fixture_open_items", "ALTER DEFAULT PRIVILEGES");
    }

    @Test
    void isByteIdenticalOnEmbeddedPostgres17() throws Exception {
        assertThat(render(TestPostgres.embedded(), "17.")).as("snapshot on PostgreSQL %s vs 17", testServerVersion).isEqualTo(onTestServer);
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(strings = {"14", "16"})
    void isByteIdenticalOnAnOlderMajor(String major) throws Exception {
        assertThat(render(TestPostgres.embedded(binaries(major)), major + ".")).as("snapshot on PostgreSQL %s vs %s", testServerVersion, major)
                .isEqualTo(onTestServer);
    }

    /** The snapshot of the fixture applied to a new database on {@code server}, whose version starts with {@code version}. */
    private static SnapshotFiles render(TestPostgres.Server server, String version) throws Exception {
        // A kept cluster may have the role already, and the database gets a new name every time.
        String probe = "snapshot_probe_" + System.nanoTime();
        TestPostgres.createAppRole(server);
        try (Connection admin = server.connect(server.adminDatabase()); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + probe);
        }
        try {
            // Liquibase closes the connection it was given.
            Connection migration = server.connect(probe);
            TestPostgres.quietly(() -> {
                try (Liquibase liquibase = new Liquibase(FIXTURE, new ClassLoaderResourceAccessor(), new JdbcConnection(migration))) {
                    liquibase.update(new Contexts());
                }
            });
            try (Connection connection = server.connect(probe)) {
                String actual = Catalog.lines(connection, "SHOW server_version").get(0);
                testServerVersion = testServerVersion == null ? actual : testServerVersion;
                assertThat(actual).startsWith(version);
                return SnapshotFiles.render(connection, TestPostgres.APP_ROLE);
            }
        } finally {
            try (Connection admin = server.connect(server.adminDatabase()); Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + probe + " WITH (FORCE)");
            }
        }
    }

    private static Path binaries(String major) {
        String jar = System.getProperty("keel.postgres-" + major + "-binaries");
        assertThat(jar).as("keel.postgres-%s-binaries: run this test through mvn verify, which copies the binaries", major).isNotNull();
        assertThat(Path.of(jar)).as("PostgreSQL %s binaries", major).isRegularFile();
        return Path.of(jar);
    }
}
