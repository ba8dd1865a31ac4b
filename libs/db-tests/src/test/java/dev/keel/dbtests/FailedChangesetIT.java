package dev.keel.dbtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.testdb.Catalog;
import dev.keel.testdb.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A changeset PostgreSQL rejects, or a file Liquibase cannot parse: {@code liquibase:update} names it, the error and
 * what to do, without a stack trace or exception class names.
 */
class FailedChangesetIT {

    @TempDir
    Path root;

    @Test
    void namesTheChangesetAndPostgresErrorInOneLineAndKeepsTheOnesBefore() throws Exception {
        Path searchPath = FixtureChangelog.copyTo(root);
        FixtureChangelog.addAndInclude(searchPath, "003_broken.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 003_broken
                      author: test
                      changes:
                        - sql: ALTER TABLE fixture_nowhere ADD COLUMN note text
                """);
        String database = TestPostgres.createEmptyDatabase();

        MavenRun update = MavenRun.run(TestPostgres.server(), database, "liquibase:update", "-Dliquibase.searchPath=" + searchPath);

        assertThat(update.exitCode()).as(update.output()).isNotZero();
        String changeSet = "db/changelog/changes/003_broken.yaml::003_broken::test";
        String error = "ERROR: relation \"fixture_nowhere\" does not exist [Failed SQL: (0) ALTER TABLE fixture_nowhere ADD COLUMN note text]";
        assertThat(update.output()).as(update.output())
                .contains("[ERROR] ChangeSet " + changeSet + " encountered an exception. " + error)
                .contains("[ERROR] Changeset " + changeSet + " failed: " + error)
                .contains("[ERROR] It was rolled back, and the changesets before it stay applied. Fix it, then run the update again.")
                .doesNotContainPattern("\\bat (liquibase|org\\.postgresql)\\.")
                .doesNotContain("liquibase.exception.");
        try (Connection connection = TestPostgres.server().connect(database)) {
            assertThat(Catalog.lines(connection, "SELECT id FROM databasechangelog ORDER BY orderexecuted"))
                    .containsExactly("001_create_fixture_parents", "002_create_fixture_children");
        }
    }

    @Test
    void aFileThatCannotBeParsedIsNamedWithoutExceptionClassNames() throws Exception {
        Path searchPath = FixtureChangelog.copyTo(root);
        FixtureChangelog.addAndInclude(searchPath, "003_unparsable.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 003_unparsable
                      author: test
                      changes:
                        - sql: [ALTER TABLE fixture_parents ADD COLUMN note text
                """);

        MavenRun update = MavenRun.run(TestPostgres.server(), TestPostgres.createEmptyDatabase(), "liquibase:update",
                "-Dliquibase.searchPath=" + searchPath);

        assertThat(update.exitCode()).as(update.output()).isNotZero();
        assertThat(update.output()).as(update.output())
                .containsPattern("\\[ERROR] Error parsing db/changelog/db.changelog-master.yaml : Syntax error in file db/changelog/changes/003_unparsable.yaml")
                .contains("[ERROR] Fix that file, then run the command again. Nothing was applied.")
                .doesNotContain("liquibase.exception.");
    }
}
