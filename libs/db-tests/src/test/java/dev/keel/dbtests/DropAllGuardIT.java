package dev.keel.dbtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.testdb.Catalog;
import dev.keel.testdb.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code liquibase:dropAll} only runs against a local host and with an explicit force flag. It drops the fixture
 * changelog's tables, never the repository's, which a team's changelog may make hard to drop.
 */
class DropAllGuardIT {

    private static final String FORCE = "-Dliquibase.command.force=true";

    private String database;
    private List<String> before;

    @BeforeEach
    void migrate() throws Exception {
        database = TestPostgres.createEmptyDatabase();
        TestPostgres.migrate(database, new DirectoryResourceAccessor(Path.of(DropAllGuardIT.class.getResource("/fixture").toURI())));
        before = tables();
        assertThat(before).isNotEmpty();
    }

    @Test
    void refusesWithoutTheForceFlag() throws SQLException {
        MavenRun drop = MavenRun.run(TestPostgres.server(), database, "liquibase:dropAll");

        assertThat(drop.exitCode()).as(drop.output()).isNotZero();
        assertThat(drop.output()).containsPattern("\\[ERROR] dropAll refused: it drops every object in jdbc:postgresql://[^?\\s]+/"
                        + database + "\\. Add " + FORCE + " to confirm\\. Nothing was dropped\\.")
                .doesNotContain("liquibase.exception.");
        assertThat(tables()).isEqualTo(before);
    }

    @Test
    void refusesANonLocalHostEvenWithTheForceFlag() throws SQLException {
        // pgjdbc tries the hosts in order, so this URL reaches the test server but names a remote host first.
        String remoteFirst = "db.example.invalid:" + TestPostgres.server().port() + "," + TestPostgres.server().host();
        MavenRun drop = MavenRun.run(TestPostgres.server(), database, Map.of("DB_HOST", remoteFirst), "liquibase:dropAll", FORCE);

        assertThat(drop.exitCode()).as(drop.output()).isNotZero();
        assertThat(drop.output()).contains("dropAll refused").contains("db.example.invalid").contains("only runs against localhost")
                .doesNotContain("liquibase.exception.");
        assertThat(tables()).isEqualTo(before);
    }

    @Test
    void dropsEverythingOnALocalHostWithTheForceFlag() throws SQLException {
        try (Connection connection = TestPostgres.server().connect(database); java.sql.Statement statement = connection.createStatement()) {
            statement.execute("CREATE TYPE drop_mood AS ENUM ('ok'); CREATE DOMAIN drop_positive AS integer CHECK (VALUE > 0);"
                    + " CREATE FUNCTION drop_answer() RETURNS integer LANGUAGE sql AS 'SELECT 42'; CREATE EXTENSION citext;"
                    + " CREATE SCHEMA drop_billing; CREATE TABLE drop_billing.invoices (id int)");
        }
        MavenRun drop = MavenRun.run(TestPostgres.server(), database, "liquibase:dropAll", FORCE);

        assertThat(drop.exitCode()).as(drop.output()).isZero();
        assertThat(drop.output()).as("dropAll holds the lock it releases at its end").doesNotContain("nothing needs releasing");
        assertThat(tables()).isEmpty();
        try (Connection connection = TestPostgres.server().connect(database)) {
            assertThat(Catalog.lines(connection, "SELECT proname::text FROM pg_proc WHERE pronamespace = 'public'::regnamespace"
                    + " UNION ALL SELECT typname::text FROM pg_type WHERE typnamespace = 'public'::regnamespace"
                    + " UNION ALL SELECT extname::text FROM pg_extension WHERE extname <> 'plpgsql'"
                    + " UNION ALL SELECT nspname::text FROM pg_namespace WHERE nspname = 'drop_billing'"))
                    .as("the functions, types, domains, extensions and other schemas Liquibase's own dropAll leaves").isEmpty();
        }
    }

    @Test
    void aDropAllThatStopsHalfWaySaysSoInOneErrorWithTheFix() throws SQLException {
        try (Connection connection = TestPostgres.server().connect(database); java.sql.Statement statement = connection.createStatement()) {
            // Dropping the table drops its serial's sequence too, which Liquibase still lists as a sequence of its own.
            statement.execute("CREATE TABLE drop_probe (id serial); CREATE SEQUENCE drop_probe_other;"
                    + " ALTER TABLE drop_probe ALTER COLUMN id SET DEFAULT nextval('drop_probe_other')");
        }

        MavenRun drop = MavenRun.run(TestPostgres.server(), database, "liquibase:dropAll", FORCE);

        assertThat(drop.exitCode()).as(drop.output()).isNotZero();
        assertThat(drop.output()).as(drop.output())
                .contains("[ERROR] dropAll stopped: ERROR: sequence \"drop_probe_id_seq\" does not exist.")
                .contains("Drop the database itself (DROP DATABASE), then run liquibase:update.")
                .doesNotContain("liquibase.exception.");
    }

    private List<String> tables() throws SQLException {
        try (Connection connection = TestPostgres.server().connect(database)) {
            return Catalog.lines(connection, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
        }
    }
}
