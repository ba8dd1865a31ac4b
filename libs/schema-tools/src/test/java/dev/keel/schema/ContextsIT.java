package dev.keel.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.schema.accept.Accept;
import dev.keel.schema.rollback.RollbackCheck;
import dev.keel.schema.testing.FixtureProject;
import dev.keel.testdb.Catalog;
import dev.keel.testdb.ChangelogChecksums;
import dev.keel.testdb.MigratedDatabases;
import dev.keel.testdb.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * A changelog that picks its changesets and property values per database with contexts, as older ones do, is checked
 * as its deploys apply it: with LIQUIBASE_COMMAND_CONTEXTS set, the checks build, roll back and record what an update
 * with those contexts applies. Isolated: it sets that setting as a system property, which every class in the JVM reads.
 */
@Isolated
public class ContextsIT {

    /** A changeset and a property per database, one id for both, as Apache Fineract writes them. */
    public static final String PER_DATABASE = """
            databaseChangeLog:
              - property: {name: today, value: "CURDATE()", context: mysql}
              - property: {name: today, value: "current_date", context: postgresql}
              - changeSet:
                  id: 003_ledger
                  author: test
                  context: postgresql
                  changes:
                    - sql: {sql: "CREATE TABLE ledger (id int, booked date DEFAULT ${today})"}
                  rollback:
                    - sql: {sql: DROP TABLE ledger}
              - changeSet:
                  id: 003_ledger
                  author: test
                  context: mysql
                  changes:
                    - sql: {sql: "CREATE TABLE ledger (id int, booked date DEFAULT (${today})) ENGINE=InnoDB"}
            """;

    @TempDir
    Path root;
    private Project project;

    @BeforeEach
    void changelogWithChangesetsPerDatabase() {
        project = FixtureProject.create(root);
        FixtureProject.write(project, "db/changelog/changes/003_ledger.yaml", PER_DATABASE);
        FixtureProject.include(project, "003_ledger.yaml");
    }

    @RegisterExtension
    final ContextsProperty contexts = new ContextsProperty();

    @Test
    void withoutTheDeploysContextsTheChecksApplyEveryChangesetAndSaySo() {
        contexts.set("");

        assertThatThrownBy(() -> Accept.accept(project)).hasMessageContaining("does not apply to an empty database")
                .hasMessageContaining("duplicate identifiers").hasMessageContaining("003_ledger.yaml::003_ledger::test");
    }

    @Test
    void theOnlineCheckNamesAPendingChangesetTheContextsLeaveOutAsNotTraced() throws Exception {
        contexts.set("postgresql");
        FixtureProject.write(project, "db/changelog/changes/p04_fake_ledger.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: p04_fake_ledger
                      author: test
                      context: faker
                      changes:
                        - sql: {sql: "INSERT INTO ledger (id) VALUES (1)"}
                """);
        FixtureProject.include(project, "p04_fake_ledger.yaml");

        dev.keel.online.OnlineCheck.Report report = dev.keel.online.OnlineCheck.trace(project.resources(), Project.MASTER,
                changeSet -> !changeSet.contains("p04_"), line -> { });

        String faker = "db/changelog/changes/p04_fake_ledger.yaml::p04_fake_ledger::test";
        assertThat(report.leftOut()).as(report.text()).containsExactly(faker);
        assertThat(report.traced()).isZero();
        assertThat(report.notes()).as(report.text()).singleElement().asString().startsWith("db/changelog/changes/p04_fake_ledger.yaml::p04_fake_ledger:"
                + " LIQUIBASE_COMMAND_CONTEXTS=postgresql leaves it out of the update, so it was not traced;");
    }

    @Test
    void withThemTheyApplyRollBackAndRecordWhatTheDeploysUpdateApplies() throws Exception {
        contexts.set("postgresql");

        assertThat(Accept.accept(project)).as("how much the contexts selected")
                .contains("LIQUIBASE_COMMAND_CONTEXTS=postgresql: 3 of the changelog's 3 changeset ids apply");

        assertThat(Files.readString(project.snapshot())).contains("booked date DEFAULT CURRENT_DATE").doesNotContain("CURDATE");
        String changeset = "db/changelog/changes/003_ledger.yaml::003_ledger::test";
        String template = new MigratedDatabases(new DirectoryResourceAccessor(project.resources())).template();
        try (Connection connection = TestPostgres.server().connect(template)) {
            assertThat(Catalog.lines(connection, "SELECT md5sum FROM databasechangelog WHERE id = '003_ledger'"))
                    .as("the checksum accept lists is the one the update records: the PostgreSQL variant's, with the property's PostgreSQL value")
                    .containsExactly(ChangelogChecksums.of(Project.MASTER, new DirectoryResourceAccessor(project.resources())).get(changeset));
        }
        assertThat(Files.readString(project.releasedList())).contains(changeset);
        List<String> problems = RollbackCheck.problems(TestPostgres.createEmptyDatabase(), Project.MASTER,
                new DirectoryResourceAccessor(project.resources()));
        assertThat(problems).as(String.join("\n", problems)).isEmpty();
    }
}
