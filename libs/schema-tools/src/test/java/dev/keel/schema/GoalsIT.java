package dev.keel.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.db.settings.Settings;
import dev.keel.schema.released.ReleasedChangesets;
import dev.keel.schema.testing.MavenRun;
import dev.keel.testdb.Catalog;
import dev.keel.testdb.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The everyday goals of the README, run as a user types them against a fresh database, with whatever
 * changelog this repository has: every assertion is derived from the changelog, never from its contents.
 */
class GoalsIT {

    private final String database = TestPostgres.createEmptyDatabase();

    @Test
    void previewsChangeNothingAndUpdateTagRollbackWorkAsDocumented() throws Exception {
        List<String> changesets = new ArrayList<>(ReleasedChangesets.checksums(Project.current().resources()).keySet());
        String first = changesets.get(0);
        String last = changesets.get(changesets.size() - 1);
        List<String> emptySchema = schema();

        MavenRun status = succeed("liquibase:status", "-Dliquibase.verbose=true");
        assertThat(status.output()).contains(changesets.size() + " changesets have not been applied").contains(first).contains(last);

        succeed("liquibase:validate");
        succeed("liquibase:updateSQL");
        assertThat(Files.readString(migrateSql())).contains("-- Changeset " + first).contains("-- Changeset " + last);
        assertThat(appliedChangesets()).isEmpty();
        assertThat(schema()).as("previews change nothing").isEqualTo(emptySchema);

        succeed("liquibase:update", "-Dliquibase.changesToApply=1");
        List<String> afterFirst = schema();
        succeed("liquibase:tag", "-Dliquibase.tag=release-1");
        succeed("liquibase:update");
        assertThat(appliedChangesets()).hasSize(changesets.size());
        List<String> full = schema();
        assertThat(succeed("liquibase:history").output()).contains(last.split("::")[1]);

        succeed("liquibase:rollbackSQL", "-Dliquibase.rollbackCount=1");
        assertThat(Files.readString(migrateSql())).contains("-- Rolling Back ChangeSet: " + last);
        assertThat(schema()).isEqualTo(full);

        succeed("liquibase:rollback", "-Dliquibase.rollbackTag=release-1");
        assertThat(appliedChangesets()).hasSize(1);
        assertThat(schema()).isEqualTo(afterFirst);
        succeed("liquibase:rollback", "-Dliquibase.rollbackCount=1");
        assertThat(appliedChangesets()).isEmpty();
        assertThat(schema()).isEqualTo(emptySchema);

        assertThat(succeed("liquibase:releaseLocks").output()).contains("nothing needs releasing");
        succeed("liquibase:update");
        assertThat(appliedChangesets()).hasSize(changesets.size());
        assertThat(succeed("liquibase:status").output()).contains("is up to date");
    }

    private MavenRun succeed(String goal, String... arguments) {
        MavenRun run = MavenRun.run(TestPostgres.server(), database, goal, arguments);
        assertThat(run.exitCode()).as("%s failed:%n%s", goal, run.output()).isZero();
        return run;
    }

    private static Path migrateSql() {
        return Settings.root().resolve("db/target/liquibase/migrate.sql");
    }

    private List<String> schema() throws SQLException {
        try (Connection connection = TestPostgres.server().connect(database)) {
            return Catalog.fingerprint(connection);
        }
    }

    private List<String> appliedChangesets() throws SQLException {
        try (Connection connection = TestPostgres.server().connect(database)) {
            // A query naming a missing table fails as a whole, so ask whether the table exists first.
            if (Catalog.lines(connection, "SELECT to_regclass('databasechangelog') IS NOT NULL").get(0).equals("f")) {
                return List.of();
            }
            return Catalog.lines(connection, "SELECT id FROM databasechangelog ORDER BY orderexecuted");
        }
    }
}
