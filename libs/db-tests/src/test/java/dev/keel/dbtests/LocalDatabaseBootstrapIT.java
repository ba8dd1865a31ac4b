package dev.keel.dbtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.db.liquibase.LocalDatabaseBootstrap;
import dev.keel.db.settings.DotEnvFile;
import dev.keel.db.settings.Settings;
import dev.keel.testdb.Catalog;
import dev.keel.testdb.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** On a local server the db goals create a missing database and role; when the server refuses, the goal stops with the fix. */
class LocalDatabaseBootstrapIT {

    private static final String OWNER = "keel_test_cannot_create";

    @BeforeAll
    static void aSchemaOwnerWithoutCreatePrivileges() throws Exception {
        try (Connection admin = TestPostgres.server().connect(TestPostgres.server().adminDatabase()); Statement statement = admin.createStatement()) {
            statement.execute("DO $$ BEGIN CREATE ROLE " + OWNER + " LOGIN NOCREATEDB NOCREATEROLE PASSWORD 'x';"
                    + " EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$");
        }
    }

    @Test
    void aRefusedCreateDatabaseStopsWithTheFix() {
        String missing = "keel_test_never_created";
        assertThatThrownBy(() -> LocalDatabaseBootstrap.ensureExists(url(missing), settings(TestPostgres.APP_ROLE)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Cannot create database " + missing + " on the local server as " + OWNER + ": ")
                .hasMessageContaining("permission denied to create database")
                .hasMessageContaining("createdb " + missing).hasMessageContaining("ALTER ROLE " + OWNER + " CREATEDB");
    }

    @Test
    void aRefusedCreateRoleStopsWithTheFix() throws Exception {
        String database = TestPostgres.createEmptyDatabase();
        assertThatThrownBy(() -> LocalDatabaseBootstrap.ensureExists(url(database), settings("keel_test_role_never_created")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Cannot create role keel_test_role_never_created on the local server as " + OWNER)
                .hasMessageContaining("ALTER ROLE " + OWNER + " CREATEROLE");
        try (Connection connection = TestPostgres.server().connect(database)) {
            assertThat(Catalog.lines(connection, "SELECT count(*)::text FROM pg_roles WHERE rolname = 'keel_test_role_never_created'"))
                    .containsExactly("0");
        }
    }

    private static String url(String database) {
        return TestPostgres.server().jdbcUrl(database);
    }

    private static Settings settings(String appRole) {
        return new Settings(Map.of("DB_USERNAME", OWNER, "DB_PASSWORD", "x", "DB_APP_USERNAME", appRole), new Properties(),
                DotEnvFile.read(Path.of("no-such-dir", ".env")));
    }
}
