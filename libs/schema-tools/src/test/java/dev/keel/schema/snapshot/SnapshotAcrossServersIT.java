package dev.keel.schema.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.testdb.Catalog;
import dev.keel.testdb.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import liquibase.Contexts;
import liquibase.Liquibase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.junit.jupiter.api.Test;

/**
 * The snapshot does not depend on the server: the tests' server (PostgreSQL 15 in CI) and an embedded PostgreSQL 17
 * give the same bytes for the same changelog.
 */
class SnapshotAcrossServersIT {

    @Test
    void isByteIdenticalOnTheTestServerAndOnEmbeddedPostgres17() throws Exception {
        SnapshotFiles onTestServer;
        String testServerVersion;
        try (Connection connection = TestPostgres.server().connect(TestPostgres.createMigratedDatabase())) {
            onTestServer = SnapshotFiles.render(connection, TestPostgres.APP_ROLE);
            testServerVersion = Catalog.lines(connection, "SHOW server_version").get(0);
        }

        TestPostgres.Server embedded = TestPostgres.embedded();
        // The embedded cluster is kept between runs, so the role may be there already and the database gets a new name.
        String probe = "snapshot_probe_" + System.nanoTime();
        try (Connection admin = embedded.connect(embedded.adminDatabase()); Statement statement = admin.createStatement()) {
            statement.execute("DO $$ BEGIN CREATE ROLE " + TestPostgres.APP_ROLE + " LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
            statement.execute("CREATE DATABASE " + probe);
        }
        try (Connection connection = DriverManager.getConnection(embedded.jdbcUrl(probe) + "?options=-c%20keel.app_role="
                + TestPostgres.APP_ROLE, embedded.username(), embedded.password())) {
            TestPostgres.quietly(() -> {
                try (Liquibase liquibase = new Liquibase(TestPostgres.CHANGELOG, new ClassLoaderResourceAccessor(), new JdbcConnection(connection))) {
                    liquibase.update(new Contexts());
                }
            });
        }
        try (Connection connection = embedded.connect(probe)) {
            assertThat(Catalog.lines(connection, "SHOW server_version").get(0)).startsWith("17.");
            assertThat(SnapshotFiles.render(connection, TestPostgres.APP_ROLE)).as("snapshot on PostgreSQL %s vs 17", testServerVersion)
                    .isEqualTo(onTestServer);
        } finally {
            try (Connection admin = embedded.connect(embedded.adminDatabase()); Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + probe + " WITH (FORCE)");
            }
        }
    }
}
