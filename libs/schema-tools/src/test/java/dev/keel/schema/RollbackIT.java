package dev.keel.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.db.liquibase.ClasspathChangelog;
import dev.keel.schema.released.ReleasedChangesets;
import dev.keel.schema.rollback.RollbackCheck;
import dev.keel.schema.scale.ScaleChangelog;
import dev.keel.schema.testing.FixtureProject;
import dev.keel.testdb.TestPostgres;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every changeset of the changelog can be rolled back exactly; a planted bad rollback is named in one line. */
class RollbackIT {

    @TempDir
    Path root;

    @Test
    void rollsBackEveryChangesetInOrderAndUpdatesAgain() throws Exception {
        List<String> problems = RollbackCheck.problems(TestPostgres.createEmptyDatabase(), TestPostgres.CHANGELOG, new ClasspathChangelog(),
                ReleasedChangesets.read(Project.current())::released);

        assertThat(problems).as("%n%s%n", String.join(System.lineSeparator(), problems)).isEmpty();
    }

    @Test
    void namesAChangesetWhoseRollbackLeavesResidue() throws Exception {
        Project project = FixtureProject.create(root);
        FixtureProject.write(project, "db/changelog/changes/003_add_fixture_index.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 003_add_fixture_index
                      author: test
                      changes:
                        - sql: {sql: CREATE INDEX ix_fixture_parents__name ON fixture_parents (name)}
                      rollback:
                        - sql: {sql: SELECT 1}
                """);
        FixtureProject.include(project, "003_add_fixture_index.yaml");
        FixtureProject.write(project, "db/changelog/changes/004_create_billing.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 004_create_billing
                      author: test
                      changes:
                        - sql: {sql: "CREATE SCHEMA billing; CREATE TYPE billing.state AS ENUM ('open'); CREATE TABLE billing.invoices (state billing.state)"}
                      rollback:
                        - sql: {sql: DROP TABLE billing.invoices}
                """);
        FixtureProject.include(project, "004_create_billing.yaml");
        FixtureProject.write(project, "db/changelog/changes/005_touch_function.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 005_touch_function
                      author: test
                      changes:
                        - sql: {splitStatements: false, sql: "CREATE FUNCTION fixture_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$"}
                      rollback:
                        - sql: {sql: DROP FUNCTION fixture_touch()}
                """);
        FixtureProject.include(project, "005_touch_function.yaml");
        FixtureProject.write(project, "db/changelog/changes/006_touch_trigger.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 006_touch_trigger
                      author: test
                      changes:
                        - sql: {sql: CREATE TRIGGER tg_fixture_parents__touch BEFORE INSERT ON fixture_parents FOR EACH ROW EXECUTE FUNCTION fixture_touch()}
                      rollback:
                        - sql: {sql: DROP TRIGGER IF EXISTS tg_fixture_parents__touch_typo ON fixture_parents}
                """);
        FixtureProject.include(project, "006_touch_trigger.yaml");

        List<String> problems = problems(project);
        assertThat(problems).as(String.join("\n", problems)).hasSize(3);
        assertThat(problems.get(0))
                .startsWith("db/changelog/changes/003_add_fixture_index.yaml::003_add_fixture_index: its rollback does not restore the schema")
                .contains("left behind [index CREATE INDEX ix_fixture_parents__name").endsWith("make its rollback undo exactly what the changeset does");
        assertThat(problems.get(1)).as("a schema of its own and a type are the changelog's too")
                .startsWith("db/changelog/changes/004_create_billing.yaml::004_create_billing: its rollback does not restore the schema")
                .contains("schema billing").contains("type billing.state e");
        assertThat(problems.get(2)).as("a trigger, not the function it keeps from being dropped")
                .startsWith("db/changelog/changes/006_touch_trigger.yaml::006_touch_trigger: its rollback does not restore the schema")
                .contains("left behind [trigger CREATE TRIGGER tg_fixture_parents__touch");
    }

    @Test
    void asksForAMissingRollbackOnlyOfAChangesetNotReleased() throws Exception {
        Project project = FixtureProject.create(root);
        FixtureProject.write(project, "db/changelog/changes/003_backfill.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 003_backfill
                      author: test
                      changes:
                        - sql: {sql: UPDATE fixture_parents SET name = upper(name)}
                """);
        FixtureProject.include(project, "003_backfill.yaml");
        String changeset = "db/changelog/changes/003_backfill.yaml::003_backfill::test";

        assertThat(problems(project)).singleElement().asString()
                .startsWith("db/changelog/changes/003_backfill.yaml::003_backfill: sql has no automatic rollback");
        assertThat(RollbackCheck.problems(TestPostgres.createEmptyDatabase(), Project.MASTER, new DirectoryResourceAccessor(project.resources()),
                changeset::equals)).as("released history, as an adopted changelog's").isEmpty();
    }

    @Test
    void aRollbackThatRunsNothingHereIsCheckedOnANewChangesetAndTakenAsNoneOnAReleasedOne() throws Exception {
        Project project = FixtureProject.create(root);
        FixtureProject.write(project, "db/changelog/changes/003_notes.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 003_notes
                      author: test
                      changes:
                        - sql: {sql: CREATE TABLE fixture_notes (id bigint)}
                      rollback: # dropped with the schema
                  - changeSet:
                      id: 004_labels
                      author: test
                      changes:
                        - sql: {sql: CREATE TABLE fixture_labels (id bigint)}
                      rollback:
                        - sql: {dbms: mysql, sql: DROP TABLE fixture_labels}
                """);
        FixtureProject.include(project, "003_notes.yaml");
        Set<String> released = Set.of("db/changelog/changes/003_notes.yaml::003_notes::test", "db/changelog/changes/003_notes.yaml::004_labels::test");

        assertThat(problems(project)).extracting(problem -> problem.substring(0, problem.indexOf(": ")))
                .containsExactly("db/changelog/changes/003_notes.yaml::003_notes", "db/changelog/changes/003_notes.yaml::004_labels");
        assertThat(RollbackCheck.problems(TestPostgres.createEmptyDatabase(), Project.MASTER, new DirectoryResourceAccessor(project.resources()),
                released::contains)).as("released history that says it undoes nothing").isEmpty();
    }

    @Test
    void namesEveryPlantedBadChangesetOfAGeneratedChangelogInOneRun() throws Exception {
        Project project = FixtureProject.create(root);
        ScaleChangelog.write(project.master().resolveSibling(ScaleChangelog.FILE), 100, Set.of(5, 45, 100));
        ScaleChangelog.include(project.master());

        assertThat(problems(project)).extracting(problem -> problem.substring(0, problem.indexOf(": ")))
                .containsExactly(SCALE + "scale_00005", SCALE + "scale_00045", SCALE + "scale_00100");
    }

    private static final String SCALE = "db/changelog/" + ScaleChangelog.FILE + "::";

    private static List<String> problems(Project project) throws Exception {
        return RollbackCheck.problems(TestPostgres.createEmptyDatabase(), Project.MASTER, new DirectoryResourceAccessor(project.resources()));
    }

    @Test
    void aChangesetItsPreconditionMarkedRanIsRolledBackWithoutUndoingWhatItFoundThere() throws Exception {
        Project project = FixtureProject.create(root);
        FixtureProject.write(project, "db/changelog/changes/003_create_shared.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 003_create_shared
                      author: test
                      changes:
                        - createTable: {tableName: shared, columns: [{column: {name: id, type: bigint}}]}
                  - changeSet:
                      id: 004_create_shared_where_missing
                      author: test
                      preConditions:
                        - onFail: MARK_RAN
                        - not:
                            - tableExists: {tableName: shared}
                      changes:
                        - createTable: {tableName: shared, columns: [{column: {name: id, type: bigint}}]}
                """);
        FixtureProject.include(project, "003_create_shared.yaml");

        assertThat(problems(project)).as("rolling back 004, which ran nothing, leaves 003's table").isEmpty();
    }

    @Test
    void aChangesetSkippedByItsPreconditionOrFailingWithoutFailOnErrorIsNotRolledBack() throws Exception {
        Project project = FixtureProject.create(root);
        FixtureProject.write(project, "db/changelog/changes/003_legacy.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 003_only_where_legacy
                      author: test
                      preConditions:
                        - onFail: CONTINUE
                        - tableExists: {tableName: legacy}
                      changes:
                        - createTable: {tableName: legacy_copy, columns: [{column: {name: id, type: bigint}}]}
                  - changeSet:
                      id: 004_may_fail
                      author: test
                      failOnError: false
                      changes:
                        - sql: {sql: "CREATE TABLE may_fail (id bigint REFERENCES legacy)"}
                      rollback:
                        - sql: {sql: "DROP TABLE may_fail"}
                """);
        FixtureProject.include(project, "003_legacy.yaml");

        assertThat(problems(project)).as("neither ran, so neither is rolled back").isEmpty();
    }

    @Test
    void namesARollbackThatPutsAConstraintBackOtherwiseThanItWasEvenWhenALaterRollbackHidesIt() throws Exception {
        Project project = FixtureProject.create(root);
        FixtureProject.write(project, "db/changelog/changes/003_widen_names.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 003_names_to_200
                      author: test
                      changes:
                        - sql: {sql: "ALTER TABLE fixture_parents DROP CONSTRAINT ck_fixture_parents__name_length, ADD CONSTRAINT ck_fixture_parents__name_length CHECK (char_length(name) <= 200)"}
                      rollback:
                        - sql: {sql: "ALTER TABLE fixture_parents DROP CONSTRAINT ck_fixture_parents__name_length, ADD CONSTRAINT ck_fixture_parents__name_length CHECK (char_length(name) <= 100)"}
                  - changeSet:
                      id: 004_names_to_300
                      author: test
                      changes:
                        - sql: {sql: "ALTER TABLE fixture_parents DROP CONSTRAINT ck_fixture_parents__name_length, ADD CONSTRAINT ck_fixture_parents__name_length CHECK (char_length(name) <= 300)"}
                      rollback:
                        - sql: {sql: "ALTER TABLE fixture_parents DROP CONSTRAINT ck_fixture_parents__name_length, ADD CONSTRAINT ck_fixture_parents__name_length CHECK (char_length(name) <= 100)"}
                """);
        FixtureProject.include(project, "003_widen_names.yaml");

        assertThat(problems(project)).as("004's rollback puts back 100, not 003's 200; rolling back 003 then hides it in a digest")
                .singleElement().asString().startsWith("db/changelog/changes/003_widen_names.yaml::004_names_to_300: its rollback does not restore the schema");
    }

    @Test
    void aDefaultPutBackAsNowWhereItWasCurrentTimestampRestoresTheSchemaButAnotherClockDoesNot() throws Exception {
        Project project = FixtureProject.create(root);
        FixtureProject.write(project, "db/changelog/changes/003_stamps.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 003_create_stamps
                      author: test
                      changes:
                        - sql: {sql: "CREATE TABLE fixture_stamps (seen timestamptz DEFAULT CURRENT_TIMESTAMP, kept timestamp DEFAULT (CURRENT_TIMESTAMP + interval '1 day'), read timestamptz DEFAULT now())"}
                      rollback:
                        - sql: {sql: DROP TABLE fixture_stamps}
                  - changeSet:
                      id: 004_fixed_stamps
                      author: test
                      changes:
                        - sql: {sql: "ALTER TABLE fixture_stamps ALTER seen SET DEFAULT '2000-01-01', ALTER kept SET DEFAULT '2000-01-01'"}
                      rollback:
                        - sql: {sql: "ALTER TABLE fixture_stamps ALTER seen SET DEFAULT now(), ALTER kept SET DEFAULT transaction_timestamp() + interval '1 day'"}
                  - changeSet:
                      id: 005_fixed_read
                      author: test
                      changes:
                        - sql: {sql: "ALTER TABLE fixture_stamps ALTER read SET DEFAULT '2000-01-01'"}
                      rollback:
                        - sql: {sql: "ALTER TABLE fixture_stamps ALTER read SET DEFAULT clock_timestamp()"}
                """);
        FixtureProject.include(project, "003_stamps.yaml");

        assertThat(problems(project)).as("now(), CURRENT_TIMESTAMP and transaction_timestamp() are one value; clock_timestamp() is not")
                .singleElement().asString().startsWith("db/changelog/changes/003_stamps.yaml::005_fixed_read: its rollback does not restore the schema")
                .contains("missing [column fixture_stamps.read timestamp with time zone null default now()]");
    }
}
