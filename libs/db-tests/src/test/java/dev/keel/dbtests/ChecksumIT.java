package dev.keel.dbtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.testdb.Catalog;
import dev.keel.testdb.ChangelogCopy;
import dev.keel.testdb.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An applied changeset that was edited afterwards makes {@code liquibase:update} refuse and change nothing. */
class ChecksumIT {

    private static final String HISTORY = "SELECT id || ' ' || md5sum FROM databasechangelog ORDER BY orderexecuted";

    @TempDir
    Path root;

    @Test
    void refusesAnEditedChangesetAndAppliesNothing() throws Exception {
        Path searchPath = root;
        String database = TestPostgres.createEmptyDatabase();
        String searchPathArgument = FixtureChangelog.appliedTo(searchPath, database);

        ChangelogCopy.replace(searchPath.resolve(FixtureChangelog.FIRST_FILE), "<= 100", "<= 200");
        FixtureChangelog.addAndInclude(searchPath, "003_pending.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 003_pending
                      author: test
                      changes:
                        - createTable: {tableName: must_not_exist, columns: [{column: {name: id, type: int}}]}
                """);
        List<String> before;
        List<String> history;
        try (Connection connection = TestPostgres.server().connect(database)) {
            before = Catalog.fingerprint(connection);
            history = Catalog.lines(connection, HISTORY);
        }
        MavenRun update = MavenRun.run(TestPostgres.server(), database, "liquibase:update", searchPathArgument);

        assertThat(update.exitCode()).as(update.output()).isNotZero();
        assertThat(update.output()).contains("check sum").contains("001_create_fixture_parents")
                .as("Maven prints the failure itself, with what to do").contains("[ERROR] Validation Failed:")
                .contains("[ERROR] An applied changeset was edited: undo the edit and put the change in a new changeset. If it is not released"
                        + " yet and only your database has it, you may instead undo the edit, roll it back with liquibase:rollback, redo the edit"
                        + " and update. Nothing was applied.")
                .doesNotContain("Cannot find default log service");
        MavenRun rollback = MavenRun.run(TestPostgres.server(), database, "liquibase:rollback", searchPathArgument, "-Dliquibase.rollbackCount=1");
        assertThat(rollback.exitCode()).as(rollback.output()).isNotZero();
        assertThat(rollback.output()).contains("[ERROR] An applied changeset was edited").contains("Nothing was rolled back.")
                .doesNotContain("Nothing was applied");
        try (Connection connection = TestPostgres.server().connect(database)) {
            assertThat(Catalog.fingerprint(connection)).containsExactlyElementsOf(before);
            assertThat(Catalog.lines(connection, HISTORY)).containsExactlyElementsOf(history);
        }
    }

    @Test
    void aRunWithoutTheContextsOfTheUpdateThatAppliedAChangesetPerContextSaysSo() throws Exception {
        Path searchPath = root;
        String database = TestPostgres.createEmptyDatabase();
        String searchPathArgument = FixtureChangelog.appliedTo(searchPath, database);
        FixtureChangelog.addAndInclude(searchPath, "003_per_database.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 003_per_database
                      author: test
                      context: postgresql
                      changes:
                        - createTable: {tableName: per_database, columns: [{column: {name: id, type: bigint}}]}
                  - changeSet:
                      id: 003_per_database
                      author: test
                      context: mysql
                      changes:
                        - sql: {sql: "CREATE TABLE per_database (id bigint) ENGINE=InnoDB"}
                """);
        MavenRun update = MavenRun.run(TestPostgres.server(), database, "liquibase:update", searchPathArgument, "-Dliquibase.contexts=postgresql");
        assertThat(update.exitCode()).as(update.output()).isZero();

        // No contexts, even where .mvn/maven.config gives this build some.
        MavenRun status = MavenRun.run(TestPostgres.server(), database, "liquibase:status", searchPathArgument, "-DLIQUIBASE_COMMAND_CONTEXTS=");

        assertThat(status.exitCode()).as(status.output()).isNotZero();
        assertThat(status.output()).contains("[ERROR] This run selected no contexts, and the changelog picks changesets by context: if your"
                + " updates select some, give this run the same (LIQUIBASE_COMMAND_CONTEXTS, or -Dliquibase.contexts)")
                .as("status never applies anything").doesNotContain("Nothing was applied");
    }
}
