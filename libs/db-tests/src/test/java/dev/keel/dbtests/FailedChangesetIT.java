package dev.keel.dbtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.db.settings.Settings;
import dev.keel.testdb.Catalog;
import dev.keel.testdb.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A changeset PostgreSQL rejects, or a file Liquibase cannot parse: {@code liquibase:update} names it, the error and
 * what to do, without a stack trace or exception class names. {@code liquibase:rollback} does the same for a changeset
 * it cannot undo and for a tag the database does not have.
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
    void aLoadDataBatchNamesTheRowsErrorNotTheAbortedTransactionItLeft() throws Exception {
        Path searchPath = FixtureChangelog.copyTo(root);
        Files.writeString(searchPath.resolve("db/changelog/changes/003_parents.csv"), "id;name\n1;short\n2;" + "x".repeat(101) + "\n3;short\n");
        FixtureChangelog.addAndInclude(searchPath, "003_load_parents.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 003_load_parents
                      author: test
                      changes:
                        - loadData:
                            tableName: fixture_parents
                            file: 003_parents.csv
                            relativeToChangelogFile: true
                            separator: ";"
                            usePreparedStatements: true
                """);

        MavenRun update = MavenRun.run(TestPostgres.server(), TestPostgres.createEmptyDatabase(), "liquibase:update",
                "-Dliquibase.searchPath=" + searchPath);

        assertThat(update.exitCode()).as(update.output()).isNotZero();
        assertThat(update.output()).as(update.output())
                .contains("[ERROR] Changeset db/changelog/changes/003_load_parents.yaml::003_load_parents::test failed: ERROR: new row for"
                        + " relation \"fixture_parents\" violates check constraint \"ck_fixture_parents__name_length\"")
                .contains("[ERROR] It was rolled back, and the changesets before it stay applied. Fix it, then run the update again.");
    }

    @Test
    void aChangesetWhosePreconditionFailsIsNamedWithThePreconditionAndWhatToDo() throws Exception {
        Path searchPath = FixtureChangelog.copyTo(root);
        FixtureChangelog.addAndInclude(searchPath, "003_needs_legacy.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 003_needs_legacy
                      author: test
                      preConditions:
                        - tableExists: {tableName: legacy}
                      changes:
                        - sql: ALTER TABLE legacy ADD COLUMN note text
                """);

        MavenRun update = MavenRun.run(TestPostgres.server(), TestPostgres.createEmptyDatabase(), "liquibase:update",
                "-Dliquibase.searchPath=" + searchPath);

        assertThat(update.exitCode()).as(update.output()).isNotZero();
        assertThat(update.output()).as(update.output())
                .containsPattern("\\[ERROR] Changeset db/changelog/changes/003_needs_legacy.yaml::003_needs_legacy::test failed its preconditions: .*"
                        + "Table legacy does not exist")
                .contains("[ERROR] Nothing of it ran, and the changesets before it stay applied. Make its preconditions hold, or say in onFail"
                        + " what to do when they do not (MARK_RAN, CONTINUE or WARN), then run the update again.")
                .doesNotContain("Preconditions Failed");
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
                .containsPattern("\\[ERROR] The changelog cannot be read: db/changelog/changes/003_unparsable.yaml line \\d+ column \\d+: while parsing")
                .contains("[ERROR] Fix that file, then run the command again. Nothing was applied.")
                .doesNotContain("liquibase.exception.");
    }

    @Test
    void anXmlFileAgainstTheSchemaIsOneLineWithoutTheParsersListOfElements() throws Exception {
        Path searchPath = FixtureChangelog.copyTo(root);
        FixtureChangelog.addAndInclude(searchPath, "003_unparsable.xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">
                  <changeSet id="003_unparsable" author="test"><addColumns tableName="fixture_parents"/></changeSet>
                </databaseChangeLog>
                """);

        MavenRun update = MavenRun.run(TestPostgres.server(), TestPostgres.createEmptyDatabase(), "liquibase:update",
                "-Dliquibase.searchPath=" + searchPath);

        assertThat(update.exitCode()).as(update.output()).isNotZero();
        assertThat(update.output()).as(update.output())
                .contains("[ERROR] The changelog cannot be read: db/changelog/changes/003_unparsable.xml line 4 column")
                .contains("Invalid content was found starting with element 'addColumns'.")
                .doesNotContain("One of '").doesNotContain("cvc-");
    }

    @Test
    void aChangesetWithoutRollbackIsNamedWithWhatWasRolledBackAndTheFix() throws Exception {
        Path searchPath = FixtureChangelog.copyTo(root);
        FixtureChangelog.addAndInclude(searchPath, "003_backfill.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 003_backfill
                      author: test
                      changes:
                        - sql: INSERT INTO fixture_parents (id, name) VALUES (3, 'three')
                """);
        FixtureChangelog.addAndInclude(searchPath, "004_more.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 004_more
                      author: test
                      changes:
                        - sql: INSERT INTO fixture_parents (id, name) VALUES (4, 'four')
                      rollback:
                        - sql: DELETE FROM fixture_parents WHERE id = 4
                """);
        String database = TestPostgres.createEmptyDatabase();
        String changelog = "-Dliquibase.searchPath=" + searchPath;
        MavenRun update = MavenRun.run(TestPostgres.server(), database, "liquibase:update", changelog);
        assertThat(update.exitCode()).as(update.output()).isZero();

        MavenRun rollback = MavenRun.run(TestPostgres.server(), database, "liquibase:rollback", changelog, "-Dliquibase.rollbackCount=3");

        assertThat(rollback.exitCode()).as(rollback.output()).isNotZero();
        assertThat(rollback.output()).as(rollback.output())
                .contains("[ERROR] Changeset db/changelog/changes/003_backfill.yaml::003_backfill::test cannot be rolled back: its sql"
                        + " has no automatic rollback. The 1 changeset(s) after it were rolled back; it and the changesets before it stay applied.")
                .contains("[ERROR] Add a rollback: block to the changeset")
                .doesNotContain("liquibase.exception.");
        try (Connection connection = TestPostgres.server().connect(database)) {
            assertThat(Catalog.lines(connection, "SELECT id FROM databasechangelog ORDER BY orderexecuted"))
                    .containsExactly("001_create_fixture_parents", "002_create_fixture_children", "003_backfill");
        }

        MavenRun preview = MavenRun.run(TestPostgres.server(), database, "liquibase:rollbackSQL", changelog, "-Dliquibase.rollbackCount=1");

        assertThat(preview.exitCode()).as(preview.output()).isNotZero();
        assertThat(preview.output()).as(preview.output())
                .contains("[ERROR] Changeset db/changelog/changes/003_backfill.yaml::003_backfill::test cannot be rolled back: its sql"
                        + " has no automatic rollback. The preview stops there; nothing was rolled back.")
                .doesNotContain("liquibase.exception.");
        String written = Files.readString(Settings.root().resolve("db/target/liquibase/migrate.sql"));
        assertThat(written).as("the file the preview was writing, its note last")
                .containsSubsequence("-- Liquibase version", "-- INCOMPLETE: the preview stopped here; do not run this file.",
                        "-- Changeset db/changelog/changes/003_backfill.yaml::003_backfill::test cannot be rolled back");
        assertThat(written.substring(written.indexOf("-- INCOMPLETE")).lines()).as(written).allMatch(line -> line.startsWith("-- "));

        MavenRun toTag = MavenRun.run(TestPostgres.server(), database, "liquibase:rollback", changelog, "-Dliquibase.rollbackTag=v9");

        assertThat(toTag.exitCode()).as(toTag.output()).isNotZero();
        assertThat(toTag.output()).as(toTag.output())
                .contains("[ERROR] Could not find tag 'v9' in the database. Nothing was rolled back.")
                .contains("liquibase:history (history in the migration jar) lists the applied changesets with their tags")
                .doesNotContain("liquibase.exception.");
    }

    @Test
    void aChangesetItsPreconditionMarkedRanIsRolledBackWithoutDroppingWhatItFoundThere() throws Exception {
        Path searchPath = FixtureChangelog.copyTo(root);
        FixtureChangelog.addAndInclude(searchPath, "003_create_legacy_notes.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 003_create_legacy_notes
                      author: test
                      preConditions:
                        - onFail: MARK_RAN
                        - not:
                            - tableExists: {tableName: legacy_notes}
                      changes:
                        - createTable: {tableName: legacy_notes, columns: [{column: {name: body, type: text}}]}
                """);
        String database = TestPostgres.createEmptyDatabase();
        try (Connection connection = TestPostgres.server().connect(database); java.sql.Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE legacy_notes (body text); INSERT INTO legacy_notes VALUES ('kept')");
        }
        String changelog = "-Dliquibase.searchPath=" + searchPath;
        MavenRun update = MavenRun.run(TestPostgres.server(), database, "liquibase:update", changelog);
        assertThat(update.exitCode()).as(update.output()).isZero();

        MavenRun rollback = MavenRun.run(TestPostgres.server(), database, "liquibase:rollback", changelog, "-Dliquibase.rollbackCount=1");

        assertThat(rollback.exitCode()).as(rollback.output()).isZero();
        try (Connection connection = TestPostgres.server().connect(database)) {
            assertThat(Catalog.lines(connection, "SELECT body FROM legacy_notes")).as("the table it found there, with its rows").containsExactly("kept");
            assertThat(Catalog.lines(connection, "SELECT id FROM databasechangelog ORDER BY orderexecuted"))
                    .containsExactly("001_create_fixture_parents", "002_create_fixture_children");
        }
    }
}
