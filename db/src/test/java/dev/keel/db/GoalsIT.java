package dev.keel.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.db.settings.Settings;
import dev.keel.db.testing.Catalog;
import dev.keel.db.testing.MavenRun;
import dev.keel.db.testing.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The everyday goals of the README, run as a user types them, against a fresh database. */
class GoalsIT {

    private final String database = TestPostgres.createEmptyDatabase();

    @Test
    void previewsChangeNothingAndUpdateTagRollbackWorkAsDocumented() throws Exception {
        MavenRun status = succeed("liquibase:status", "-Dliquibase.verbose=true");
        assertThat(status.output()).contains(changesetCount() + " changesets have not been applied")
                .contains("20261124040000_create_users").contains("20261124040200_create_team_memberships");

        succeed("liquibase:validate");
        succeed("liquibase:updateSQL");
        assertThat(Files.readString(migrateSql())).contains("CREATE TABLE users").contains("CREATE TABLE team_memberships");
        assertThat(appliedChangesets()).isEmpty();
        assertThat(domainTables()).isEmpty();

        succeed("liquibase:update", "-Dliquibase.changesToApply=1");
        succeed("liquibase:tag", "-Dliquibase.tag=release-1");
        succeed("liquibase:update");
        assertThat(domainTables()).containsExactly("team_memberships", "teams", "users");
        assertThat(succeed("liquibase:history").output()).contains("20261124040200_create_team_memberships");

        succeed("liquibase:rollbackSQL", "-Dliquibase.rollbackCount=" + (changesetCount() - 2));
        assertThat(Files.readString(migrateSql())).contains("DROP TABLE team_memberships").doesNotContain("DROP TABLE teams");
        assertThat(domainTables()).containsExactly("team_memberships", "teams", "users");

        succeed("liquibase:rollback", "-Dliquibase.rollbackTag=release-1");
        assertThat(domainTables()).containsExactly("users");
        succeed("liquibase:rollback", "-Dliquibase.rollbackCount=1");
        assertThat(domainTables()).isEmpty();
        succeed("liquibase:update");
        assertThat(appliedChangesets()).hasSize(changesetCount());
        assertThat(succeed("liquibase:status").output()).contains("is up to date");
    }

    private MavenRun succeed(String goal, String... arguments) {
        MavenRun run = MavenRun.run(TestPostgres.server(), database, goal, arguments);
        assertThat(run.exitCode()).as("%s failed:%n%s", goal, run.output()).isZero();
        return run;
    }

    /** One changeset per file, each included once by the master changelog. */
    private static int changesetCount() throws IOException {
        Path master = Settings.root().resolve("db/src/main/resources/" + TestPostgres.CHANGELOG);
        return (int) Files.readAllLines(master).stream().filter(line -> line.strip().equals("- include:")).count();
    }

    private static Path migrateSql() {
        return Settings.root().resolve("db/target/liquibase/migrate.sql");
    }

    private List<String> domainTables() throws SQLException {
        return query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                + " AND table_name NOT LIKE 'databasechangelog%' ORDER BY 1");
    }

    private List<String> appliedChangesets() throws SQLException {
        return query("SELECT id FROM databasechangelog WHERE to_regclass('databasechangelog') IS NOT NULL");
    }

    private List<String> query(String sql) throws SQLException {
        try (Connection connection = TestPostgres.server().connect(database)) {
            if (sql.contains("databasechangelog WHERE") && Catalog.lines(connection, "SELECT to_regclass('databasechangelog')::text").get(0) == null) {
                return List.of();
            }
            return Catalog.lines(connection, sql);
        }
    }
}
