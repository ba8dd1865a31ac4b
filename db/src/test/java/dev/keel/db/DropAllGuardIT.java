package dev.keel.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.db.testing.Catalog;
import dev.keel.db.testing.MavenRun;
import dev.keel.db.testing.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code liquibase:dropAll} only runs against a local host and with an explicit force flag. */
class DropAllGuardIT {

    private static final String FORCE = "-Dliquibase.command.force=true";

    private String database;

    @BeforeEach
    void migrate() {
        database = TestPostgres.createMigratedDatabase();
    }

    @Test
    void refusesWithoutTheForceFlag() throws SQLException {
        MavenRun drop = MavenRun.run(TestPostgres.server(), database, "liquibase:dropAll");

        assertThat(drop.exitCode()).as(drop.output()).isNotZero();
        assertThat(drop.output()).contains("dropAll refused").contains(FORCE).contains("Nothing was dropped");
        assertThat(tables()).contains("users", "teams", "team_memberships");
    }

    @Test
    void refusesANonLocalHostEvenWithTheForceFlag() throws SQLException {
        // pgjdbc tries the hosts in order, so this URL reaches the test server but names a remote host first.
        String remoteFirst = "db.example.invalid:" + TestPostgres.server().port() + "," + TestPostgres.server().host();
        MavenRun drop = MavenRun.start(TestPostgres.server(), database, Map.of("DB_HOST", remoteFirst), "liquibase:dropAll", FORCE)
                .awaitExit();

        assertThat(drop.exitCode()).as(drop.output()).isNotZero();
        assertThat(drop.output()).contains("dropAll refused").contains("db.example.invalid").contains("only runs against localhost");
        assertThat(tables()).contains("users", "teams", "team_memberships");
    }

    @Test
    void dropsEverythingOnALocalHostWithTheForceFlag() throws SQLException {
        MavenRun drop = MavenRun.run(TestPostgres.server(), database, "liquibase:dropAll", FORCE);

        assertThat(drop.exitCode()).as(drop.output()).isZero();
        assertThat(tables()).isEmpty();
    }

    private List<String> tables() throws SQLException {
        try (Connection connection = TestPostgres.server().connect(database)) {
            return Catalog.lines(connection, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
        }
    }
}
