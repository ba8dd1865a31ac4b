package dev.keel.dbtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.db.settings.Settings;
import dev.keel.testdb.Catalog;
import dev.keel.testdb.StatusOutput;
import dev.keel.testdb.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The everyday goals of the README, run as a user types them against a fresh database, on db-tests' own fixture
 * changelog ({@code -Dliquibase.searchPath}), so a team's changeset, one without a rollback say, never fails this test:
 * RollbackIT names that one. Every assertion is derived from the changelog, never from its contents.
 */
class GoalsIT {

    private final String database = TestPostgres.createEmptyDatabase();

    @TempDir
    Path root;

    private String searchPathArgument;

    /**
     * Every goal of the README's table, in six Maven runs rather than one per goal: goals that need no look at the
     * database in between share a run (Maven runs them in order, each with its own connection and lock), and
     * what each did is read from the run's output, the SQL file and the database afterwards.
     */
    @Test
    void previewsChangeNothingAndUpdateTagRollbackWorkAsDocumented() throws Exception {
        Path searchPath = FixtureChangelog.copyTo(root);
        searchPathArgument = "-Dliquibase.searchPath=" + searchPath;
        String migrated = TestPostgres.createEmptyDatabase();
        TestPostgres.migrate(migrated, new DirectoryResourceAccessor(searchPath));
        List<String> changesets = history(migrated);
        String first = changesets.get(0);
        String last = changesets.get(changesets.size() - 1);
        List<String> emptySchema = schema(database);
        List<String> fullSchema = schema(migrated);

        MavenRun previews = succeed("liquibase:status", "liquibase:validate", "liquibase:updateSQL");
        assertThat(StatusOutput.listed(previews.output())).as("status lists every changeset the update applied").containsAll(changesets);
        assertThat(StatusOutput.awaitingUpdate(previews.output())).as("and, of those the update records, no other").isSubsetOf(changesets);
        assertThat(Files.readString(migrateSql())).contains("-- Changeset " + first).contains("-- Changeset " + last);
        assertThat(appliedChangesets()).as("previews apply nothing").isEmpty();
        assertThat(schema(database)).as("previews change nothing").isEqualTo(emptySchema);

        succeed("liquibase:update", "-Dliquibase.changesToApply=1", "liquibase:tag", "-Dliquibase.tag=release-1");
        assertThat(appliedChangesets()).hasSize(1);
        List<String> afterFirst = schema(database);

        MavenRun updateHistoryRollbackSql = succeed("liquibase:update", "liquibase:history", "liquibase:rollbackSQL", "-Dliquibase.rollbackCount=1");
        assertThat(updateHistoryRollbackSql.output()).contains(last.split("::")[1]);
        assertThat(Files.readString(migrateSql())).contains("-- Rolling Back ChangeSet: " + last);
        assertThat(appliedChangesets()).as("rollbackSQL rolls nothing back").hasSize(changesets.size());
        assertThat(schema(database)).as("update builds the whole changelog; rollbackSQL changes nothing").isEqualTo(fullSchema);

        succeed("liquibase:rollback", "-Dliquibase.rollbackTag=release-1");
        assertThat(appliedChangesets()).hasSize(1);
        assertThat(schema(database)).isEqualTo(afterFirst);

        MavenRun rollbackReleaseLocks = succeed("liquibase:rollback", "-Dliquibase.rollbackCount=1", "liquibase:releaseLocks");
        assertThat(rollbackReleaseLocks.output()).contains("nothing needs releasing").doesNotContain("Successfully released all database change log locks");
        assertThat(appliedChangesets()).isEmpty();
        assertThat(schema(database)).isEqualTo(emptySchema);

        MavenRun updateStatus = succeed("liquibase:update", "liquibase:status");
        assertThat(appliedChangesets()).hasSize(changesets.size());
        assertThat(StatusOutput.awaitingUpdate(updateStatus.output())).as("after an update only a changeset that runs again is listed")
                .isSubsetOf(history(database));
    }

    private MavenRun succeed(String goal, String... arguments) {
        List<String> withSearchPath = new java.util.ArrayList<>(List.of(arguments));
        withSearchPath.add(searchPathArgument);
        MavenRun run = MavenRun.run(TestPostgres.server(), database, goal, withSearchPath.toArray(String[]::new));
        assertThat(run.exitCode()).as("%s failed:%n%s", goal, run.output()).isZero();
        assertThat(run.output()).as("a documented command warns of nothing").doesNotContain("[WARNING]");
        return run;
    }

    private static Path migrateSql() {
        return Settings.root().resolve("db/target/liquibase/migrate.sql");
    }

    /** The changesets a full update applied, in order, each as Liquibase names it: {@code file::id::author}. */
    private static List<String> history(String database) throws SQLException {
        try (Connection connection = TestPostgres.server().connect(database)) {
            return Catalog.lines(connection, "SELECT filename || '::' || id || '::' || author FROM databasechangelog ORDER BY orderexecuted");
        }
    }

    private static List<String> schema(String database) throws SQLException {
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
