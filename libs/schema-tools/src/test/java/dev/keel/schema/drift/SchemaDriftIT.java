package dev.keel.schema.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.keel.schema.Project;
import dev.keel.schema.generate.GenerateChangeset;
import dev.keel.schema.testing.FixtureProject;
import dev.keel.testdb.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The entities and the changelog agree; planted drift, on a fixture changelog of the test's own, is reported precisely. */
class SchemaDriftIT {

    @TempDir
    Path root;

    @Test
    void entitiesMatchTheChangelogWithoutNoise() throws Exception {
        SchemaDrift.Report report;
        try (Connection connection = TestPostgres.server().connect(TestPostgres.createMigratedDatabase())) {
            report = SchemaDrift.compare(System.getProperty("keel.entity-package", "dev.keel.persistence"), connection);
        }

        assertThat(report.failures()).as("drift between the entities and the changelog:%n%s%nWrite the missing changes with: %s",
                String.join(System.lineSeparator(), report.failures()), Project.GENERATE_COMMAND).isEmpty();
        assertThat(report.extras()).noneMatch(extra -> extra.contains("databasechangelog"));
    }

    @Test
    void reportsAMissingTableColumnUniqueKeyForeignKeyLengthAndNullability() throws Exception {
        Project fixture = FixtureProject.create(root);
        SchemaDrift.Report report;
        try (Connection connection = TestPostgres.server().connect(FixtureProject.migratedDatabase(fixture))) {
            report = SchemaDrift.compare("dev.keel.driftfixture", connection);
        }

        assertThat(report.failures())
                .anyMatch(failure -> failure.startsWith("missing table fixture_widgets"))
                .anyMatch(failure -> failure.startsWith("missing column") && failure.contains("fixture_parents.code"))
                .anyMatch(failure -> failure.startsWith("missing uniqueconstraint") && failure.contains("fixture_parents(name)"))
                .anyMatch(failure -> failure.startsWith("missing foreignkey") && failure.contains("fixture_children[widget_id] -> fixture_widgets[id]"))
                .contains("column fixture_parents.name: the entity limits it to 200 characters, the database's CHECK to 100")
                .contains("column fixture_children.parent_id: the entity says nullable=true, the database says nullable=false");
    }

    @Test
    void whatHibernatesValidationAtTheServicesStartRefusesIsDriftToo() throws Exception {
        try (Connection connection = TestPostgres.server().connect(TestPostgres.createEmptyDatabase());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE countries (id bigint CONSTRAINT pk_countries PRIMARY KEY, code char(2) NOT NULL, code3 char(3) NOT NULL)");

            assertThat(SchemaDrift.compare("dev.keel.charfixture", connection).failures()).singleElement().asString()
                    .startsWith("the service would refuse to start: Hibernate's validation of the entities (ddl-auto: validate) says: ")
                    .as("code, mapped with @JdbcTypeCode(SqlTypes.CHAR) and checked first, passes").contains("column [code3]")
                    .contains("@JdbcTypeCode(SqlTypes.CHAR)");
        }
    }

    @Test
    void refusesAPackageWithoutEntitiesInsteadOfFindingNoDrift() throws Exception {
        try (Connection connection = TestPostgres.server().connect(FixtureProject.migratedDatabase(FixtureProject.create(root)))) {
            assertThatThrownBy(() -> SchemaDrift.compare("dev.keel.nowhere", connection))
                    .extracting(TestPostgres::rootMessage).isEqualTo("No @Entity class in the package dev.keel.nowhere or below it, which generate and the drift check read:"
                            + " put the entities there, or name their package for every build with a line -Dkeel.entity-package=<package>"
                            + " in .mvn/maven.config (-Dkeel.entity-package=none where the tables have no JPA entities)");
            assertThat(SchemaDrift.compare("none", connection).failures()).as("no entities, by the setting: nothing to compare").isEmpty();
            assertThatThrownBy(() -> SchemaDrift.compare("dev.keel.superclassonly", connection)).as("a @MappedSuperclass maps no table")
                    .extracting(TestPostgres::rootMessage).asString().startsWith("No @Entity class in the package dev.keel.superclassonly or below it");
        }
    }

    @Test
    void takesTheTightestOfSeveralLengthChecksWhateverOrderTheCatalogGivesThem() throws Exception {
        try (Connection connection = TestPostgres.server().connect(TestPostgres.createEmptyDatabase());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE notes (title text, body text)");
            // The catalog returns constraints in the order they were made: the tight one first, then the loose one.
            statement.execute("ALTER TABLE notes ADD CONSTRAINT ck_notes__title_short CHECK (char_length(title) <= 50)");
            statement.execute("ALTER TABLE notes ADD CONSTRAINT ck_notes__title_length CHECK (char_length(title) <= 100)");
            statement.execute("ALTER TABLE notes ADD CONSTRAINT ck_notes__body_length CHECK (char_length(body) <= 4000)");
            statement.execute("ALTER TABLE notes ADD CONSTRAINT ck_notes__body_short CHECK (char_length(body) <= 300)");

            assertThat(SchemaDrift.maxLengthsFromChecks(connection)).containsOnly(entry("notes.title", 50), entry("notes.body", 300));
        }
    }

    @Test
    void comparesTablesInEverySchemaTheEntitiesName() throws Exception {
        try (Connection connection = TestPostgres.server().connect(TestPostgres.createEmptyDatabase());
             Statement statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TABLE customers (id bigint GENERATED BY DEFAULT AS IDENTITY CONSTRAINT pk_customers PRIMARY KEY,
                                            name text NOT NULL CONSTRAINT ck_customers__name_length CHECK (char_length(name) <= 100));
                    CREATE SCHEMA billing;
                    CREATE TABLE billing.invoices (id bigint GENERATED BY DEFAULT AS IDENTITY CONSTRAINT pk_invoices PRIMARY KEY,
                                                   customer_id bigint NOT NULL CONSTRAINT fk_invoices__customer_id REFERENCES customers,
                                                   total bigint NOT NULL,
                                                   note text CONSTRAINT ck_invoices__note_length CHECK (char_length(note) <= 200))""");
            assertThat(SchemaDrift.compare("dev.keel.schemafixture", connection).failures()).isEmpty();

            statement.execute("ALTER TABLE billing.invoices DROP COLUMN total, ALTER COLUMN customer_id DROP NOT NULL, DROP CONSTRAINT ck_invoices__note_length,"
                    + " ADD CONSTRAINT ck_invoices__note_length CHECK (char_length(note) <= 100)");
            assertThat(SchemaDrift.compare("dev.keel.schemafixture", connection).failures()).containsExactlyInAnyOrder(
                    "missing column billing.invoices.total: an entity maps it, but the changelog does not create it",
                    "column billing.invoices.customer_id: the entity says nullable=false, the database says nullable=true",
                    "column billing.invoices.note: the entity limits it to 200 characters, the database's CHECK to 100");

            assertThatThrownBy(() -> GenerateChangeset.generate("AddTotal", "dev.keel.schemafixture", connection, root, LocalDateTime.now()))
                    .as("generate writes public's tables only, and says so instead of writing billing's change into public")
                    .hasMessageStartingWith("generate writes changes to tables in public only, and the entities differ from the changelog outside it:")
                    .hasMessageContaining("missing column billing.invoices.total").hasMessageEndingWith("Nothing was written.");
        }
    }
}
