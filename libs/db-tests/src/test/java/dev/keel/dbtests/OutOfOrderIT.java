package dev.keel.dbtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.testdb.Catalog;
import dev.keel.testdb.ChangelogCopy;
import dev.keel.testdb.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database that applied a changeset which the changelog now places after a pending one, as when a branch written
 * earlier is merged later: {@code liquibase:status} names both, {@code liquibase:updateSQL} refuses to write SQL for it,
 * {@code liquibase:update} refuses and applies nothing,
 * and applies it once {@code -Dkeel.allowOutOfOrder=true} says so. A changeset update skips while its precondition fails
 * is pending without being out of order. An applied changeset the changelog no longer has is named by both.
 */
class OutOfOrderIT {

    private static final String HISTORY = "SELECT id FROM databasechangelog ORDER BY orderexecuted";
    private static final String PENDING = "db/changelog/changes/001b_add_fixture_parents_note.yaml::001b_add_fixture_parents_note::test";
    private static final String APPLIED_AFTER = FixtureChangelog.SECOND;

    @TempDir
    Path root;

    @Test
    void statusNamesThePendingAndTheAppliedOneAfterItAndUpdateRefusesUnlessAllowed() throws Exception {
        Path searchPath = root;
        String database = TestPostgres.createEmptyDatabase();
        String searchPathArgument = FixtureChangelog.appliedTo(searchPath, database);

        Files.writeString(searchPath.resolve("db/changelog/changes/001b_add_fixture_parents_note.yaml"), """
                databaseChangeLog:
                  - changeSet:
                      id: 001b_add_fixture_parents_note
                      author: test
                      changes:
                        - addColumn: {tableName: fixture_parents, columns: [{column: {name: note, type: text}}]}
                """);
        // Changes for other databases only: Liquibase runs nothing of it here and never records it.
        Files.writeString(searchPath.resolve("db/changelog/changes/001c_mariadb_only.yaml"), """
                databaseChangeLog:
                  - changeSet:
                      id: 001c_mariadb_only
                      author: test
                      changes:
                        - sql: {dbms: mariadb, sql: ALTER TABLE fixture_parents ADD COLUMN mariadb_only int}
                """);
        // Skipped while its precondition fails: Liquibase leaves it unrecorded and tries it again on every update.
        Files.writeString(searchPath.resolve("db/changelog/changes/001d_copy_legacy.yaml"), """
                databaseChangeLog:
                  - changeSet:
                      id: 001d_copy_legacy
                      author: test
                      preConditions:
                        - onFail: CONTINUE
                        - tableExists: {tableName: legacy}
                      changes:
                        - createTable: {tableName: legacy_copy, columns: [{column: {name: id, type: bigint}}]}
                  - changeSet:
                      id: 001d_on_another_system
                      author: test
                      changes:
                        - executeCommand: {executable: getmac, os: "Windows XP, OS/2"}
                """);
        ChangelogCopy.replace(searchPath.resolve(FixtureChangelog.MASTER), "  - include:\n      file: changes/002_create_fixture_children.yaml",
                "  - include:\n      file: changes/001b_add_fixture_parents_note.yaml\n      relativeToChangelogFile: true\n"
                        + "  - include:\n      file: changes/001c_mariadb_only.yaml\n      relativeToChangelogFile: true\n"
                        + "  - include:\n      file: changes/001d_copy_legacy.yaml\n      relativeToChangelogFile: true\n"
                        + "  - include:\n      file: changes/002_create_fixture_children.yaml");

        MavenRun status = MavenRun.run(TestPostgres.server(), database, "liquibase:status", searchPathArgument);
        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.output()).contains("Out of order: " + PENDING + " is pending, but the database already applied " + APPLIED_AFTER
                + ", which comes after it in the changelog; update refuses it unless -Dkeel.allowOutOfOrder=true");

        MavenRun preview = MavenRun.run(TestPostgres.server(), database, "liquibase:updateSQL", searchPathArgument);
        assertThat(preview.exitCode()).as(preview.output()).isNotZero();
        assertThat(preview.output()).contains("Out of order: " + PENDING).contains("update refuses it, so no SQL was written for it.");

        MavenRun refused = MavenRun.run(TestPostgres.server(), database, "liquibase:update", searchPathArgument);
        assertThat(refused.exitCode()).as(refused.output()).isNotZero();
        assertThat(refused.output()).contains("Out of order: " + PENDING + " is pending, but the database already applied " + APPLIED_AFTER)
                .contains("Nothing was applied. To apply it anyway, add -Dkeel.allowOutOfOrder=true.");
        assertThat(history(database)).containsExactly("001_create_fixture_parents", "002_create_fixture_children");

        MavenRun allowed = MavenRun.run(TestPostgres.server(), database, "liquibase:update", searchPathArgument, "-Dkeel.allowOutOfOrder=true");
        assertThat(allowed.exitCode()).as(allowed.output()).isZero();
        assertThat(history(database)).containsExactly("001_create_fixture_parents", "002_create_fixture_children", "001b_add_fixture_parents_note");

        MavenRun inOrderAgain = MavenRun.run(TestPostgres.server(), database, "liquibase:status", searchPathArgument);
        assertThat(inOrderAgain.output()).as("nothing pending but what is for other databases or skipped: nothing out of order")
                .doesNotContain("Out of order")
                .contains("For other databases only: db/changelog/changes/001c_mariadb_only.yaml::001c_mariadb_only::test has changes for other"
                        + " databases (dbms) only")
                .contains("May stay pending: db/changelog/changes/001d_copy_legacy.yaml::001d_copy_legacy::test continues past a failed precondition")
                .contains("May stay pending: db/changelog/changes/001d_copy_legacy.yaml::001d_on_another_system::test continues past");
        MavenRun again = MavenRun.run(TestPostgres.server(), database, "liquibase:update", searchPathArgument);
        assertThat(again.exitCode()).as("a later update is not refused for it").as(again.output()).isZero();
    }

    @Test
    void anAppliedChangesetTheChangelogNoLongerHasIsNamedByStatusAndUpdate() throws Exception {
        Path searchPath = root;
        String database = TestPostgres.createEmptyDatabase();
        FixtureChangelog.copyTo(searchPath);
        // A change for PostgreSQL alone counts in the checksum update records only where Liquibase knows the database.
        Path second = searchPath.resolve("db/changelog/changes/002_create_fixture_children.yaml");
        Files.writeString(second, Files.readString(second)
                + "        - sql: {dbms: postgresql, sql: \"COMMENT ON TABLE fixture_children IS 'children'\"}\n");
        String searchPathArgument = "-Dliquibase.searchPath=" + searchPath;
        MavenRun applied = MavenRun.run(TestPostgres.server(), database, "liquibase:update", searchPathArgument);
        assertThat(applied.exitCode()).as(applied.output()).isZero();

        // What keel:rebase does to a changeset of the branch that this database applied before the rebase, after the merge
        // of the main line's changeset.
        ChangelogCopy.replace(searchPath.resolve("db/changelog/changes/002_create_fixture_children.yaml"),
                "id: 002_create_fixture_children", "id: 003_create_fixture_children");
        Files.writeString(searchPath.resolve("db/changelog/changes/002_main.yaml"), """
                databaseChangeLog:
                  - changeSet: {id: 002_main, author: test, changes: [{sql: {sql: SELECT 1}}]}
                """);
        ChangelogCopy.replace(searchPath.resolve(FixtureChangelog.MASTER), "  - include:\n      file: changes/002_create_fixture_children.yaml",
                "  - include: {file: changes/002_main.yaml, relativeToChangelogFile: true}\n  - include:\n      file: changes/002_create_fixture_children.yaml");
        String unknown = "Not in the changelog: " + APPLIED_AFTER + " is applied to this database, but the changelog has no such changeset";

        MavenRun status = MavenRun.run(TestPostgres.server(), database, "liquibase:status", searchPathArgument);
        assertThat(status.output()).as(status.output()).contains(unknown);
        MavenRun preview = MavenRun.run(TestPostgres.server(), database, "liquibase:updateSQL", searchPathArgument);
        assertThat(preview.exitCode()).as(preview.output()).isNotZero();
        assertThat(preview.output()).as(preview.output()).contains("Renamed: db/changelog/changes/002_create_fixture_children.yaml::003_create_fixture_children")
                .contains("Update refuses it, so no SQL was written.");
        MavenRun update = MavenRun.run(TestPostgres.server(), database, "liquibase:update", searchPathArgument);
        assertThat(update.exitCode()).as(update.output()).isNotZero();
        assertThat(update.output()).as(update.output())
                .contains("Renamed: db/changelog/changes/002_create_fixture_children.yaml::003_create_fixture_children::test is pending, but this"
                        + " database applied it as " + APPLIED_AFTER + " before it was renamed")
                .contains("UPDATE databasechangelog SET id = '003_create_fixture_children', filename = 'db/changelog/changes/002_create_fixture_children.yaml'"
                        + " WHERE id = '002_create_fixture_children' AND author = 'test'")
                .contains("Once the new names are recorded, db/changelog/changes/002_main.yaml::002_main::test, pending before"
                        + " db/changelog/changes/002_create_fixture_children.yaml::003_create_fixture_children::test, is out of order: apply it with"
                        + " -Dkeel.allowOutOfOrder=true (on your own database that order does no harm), or start that database afresh with liquibase:dropAll.")
                .contains("Nothing was applied.").doesNotContain("already exists");
        assertThat(history(database)).containsExactly("001_create_fixture_parents", "002_create_fixture_children");
    }

    @Test
    void anAppliedChangesetTheChangelogNowGivesAnotherDbmsIsNamedForWhatItIs() throws Exception {
        Path searchPath = root;
        String database = TestPostgres.createEmptyDatabase();
        String searchPathArgument = FixtureChangelog.appliedTo(searchPath, database);
        ChangelogCopy.replace(searchPath.resolve("db/changelog/changes/002_create_fixture_children.yaml"),
                "      author: test\n", "      author: test\n      dbms: mssql\n");

        MavenRun status = MavenRun.run(TestPostgres.server(), database, "liquibase:status", searchPathArgument);

        assertThat(status.output()).as(status.output()).contains("Not for PostgreSQL now: " + APPLIED_AFTER + " is applied to this database,"
                + " but the changelog now gives it dbms: mssql, so a new database does not get it and a rollback skips it.")
                .doesNotContain("Not in the changelog");
    }

    @Test
    void aRollbackThatWouldSkipALaterChangesetItsContextsLeaveOutRefusesAndRollsNothingBack() throws Exception {
        Path searchPath = root;
        String database = TestPostgres.createEmptyDatabase();
        String searchPathArgument = FixtureChangelog.appliedTo(searchPath, database);
        FixtureChangelog.addAndInclude(searchPath, "003_fake_parents.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 003_fake_parents
                      author: test
                      context: faker
                      changes:
                        - sql: INSERT INTO fixture_parents (id, name) VALUES (1, 'fake')
                      rollback:
                        - sql: DELETE FROM fixture_parents WHERE id = 1
                """);
        MavenRun faker = MavenRun.run(TestPostgres.server(), database, "liquibase:update", searchPathArgument, "-Dliquibase.contexts=faker");
        assertThat(faker.exitCode()).as(faker.output()).isZero();

        MavenRun rollback = MavenRun.run(TestPostgres.server(), database, "liquibase:rollback", searchPathArgument,
                "-Dliquibase.contexts=prod", "-Dliquibase.rollbackCount=1");

        assertThat(rollback.exitCode()).as(rollback.output()).isNotZero();
        assertThat(rollback.output()).as(rollback.output()).contains("Rolling back " + APPLIED_AFTER + " would leave"
                + " db/changelog/changes/003_fake_parents.yaml::003_fake_parents::test, which this database applied after it, applied: this"
                + " rollback's contexts or labels leave that one out (it was applied with contexts faker)")
                .contains("Nothing was rolled back.").doesNotContain("liquibase.exception.");
        assertThat(history(database)).containsExactly("001_create_fixture_parents", "002_create_fixture_children", "003_fake_parents");
    }

    private static List<String> history(String database) throws Exception {
        try (Connection connection = TestPostgres.server().connect(database)) {
            return Catalog.lines(connection, HISTORY);
        }
    }
}
