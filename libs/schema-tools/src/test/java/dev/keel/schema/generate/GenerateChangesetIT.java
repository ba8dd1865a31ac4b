package dev.keel.schema.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.schema.Project;
import dev.keel.schema.drift.SchemaDrift;
import dev.keel.schema.snapshot.SchemaSnapshot;
import dev.keel.schema.testing.FixtureProject;
import dev.keel.testdb.Catalog;
import dev.keel.testdb.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import liquibase.Contexts;
import liquibase.Liquibase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generate from planted entity changes on a fixture project: Keel's conventions, applies, closes the drift, rolls back.
 * What the online check says of its output is {@link GeneratedChangesetsOnlineIT}'s, which runs alone.
 */
class GenerateChangesetIT {

    static final LocalDateTime NOW = LocalDateTime.of(2026, 12, 1, 9, 30, 0);

    @TempDir
    Path root;

    @Test
    void writesConventionalChangesetsThatApplyCloseTheDriftAndRollBack() throws Exception {
        Project project = FixtureProject.create(root);
        String before = FixtureProject.migratedDatabase(project);
        GenerateChangeset.Generated generated;
        try (Connection shadow = TestPostgres.server().connect(before)) {
            generated = GenerateChangeset.generate("AddWidgets", "dev.keel.driftfixture", shadow, project.resources(), NOW);
        }

        assertThat(generated.file()).isEqualTo(project.resources().resolve("db/changelog/changes/20261201093000_add_widgets.yaml"));
        String yaml = Files.readString(generated.file());
        assertThat(yaml)
                .contains("id: 20261201093000_add_widgets\n").contains("id: 20261201093000_add_widgets_validate\n")
                .contains("id: 20261201093000_add_widgets_indexes\n").contains("runInTransaction: false")
                .doesNotContainIgnoringCase("varchar").doesNotContainIgnoringCase("timestamp(")
                .contains("type: timestamptz").contains("autoIncrement: true").contains("primaryKeyName: pk_fixture_widgets")
                .contains("ADD CONSTRAINT ck_fixture_widgets__code_length CHECK (char_length(code) <= 10)")
                .contains("constraintName: uq_fixture_widgets__code").contains("constraintName: fk_fixture_widgets__parent_id")
                .contains("indexName: ix_fixture_widgets__parent_id")
                .as("a field without a column name is named as Spring Boot's Hibernate names it").contains("name: sort_order").doesNotContain("sortOrder")
                .contains("ALTER TABLE fixture_parents ADD CONSTRAINT ck_fixture_parents__code_length CHECK (char_length(code) <= 20) NOT VALID;")
                .contains("ALTER TABLE fixture_parents ADD CONSTRAINT ck_fixture_parents__code_not_null CHECK (code IS NOT NULL) NOT VALID;")
                .contains("ALTER TABLE fixture_parents ALTER COLUMN code SET NOT NULL;")
                .as("the rollback puts the CHECK back without a scan").containsPattern("ADD CONSTRAINT ck_fixture_parents__code_not_null"
                        + " CHECK \\(code IS NOT NULL\\) NOT VALID;\\s+ALTER TABLE fixture_parents ALTER COLUMN code DROP NOT NULL;")
                .as("every VALIDATE scans before SET NOT NULL takes ACCESS EXCLUSIVE, held until the commit")
                .containsSubsequence("VALIDATE CONSTRAINT ck_fixture_parents__code_not_null", "VALIDATE CONSTRAINT ck_fixture_parents__note_length",
                        "SET NOT NULL")
                .contains("ADD CONSTRAINT fk_fixture_children__widget_id FOREIGN KEY (widget_id) REFERENCES fixture_widgets (id) NOT VALID;")
                .containsSubsequence("splitStatements: false", "WHERE NOT indisvalid AND indexrelid IN (to_regclass('uq_fixture_parents__name'),"
                        + " to_regclass('ix_fixture_children__widget_id'))", "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS uq_fixture_parents__name")
                .contains("CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_fixture_children__widget_id ON fixture_children (widget_id);")
                .contains("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS uq_fixture_parents__name ON fixture_parents (name);")
                .contains("id: 20261201093000_add_widgets_constraints\n")
                .contains("ALTER TABLE fixture_parents ADD CONSTRAINT uq_fixture_parents__name UNIQUE USING INDEX uq_fixture_parents__name;")
                .doesNotContain("constraintName: uq_fixture_parents__name")
                .as("a longer name: its CHECK keeps its name, gets the new bound NOT VALID, and is validated")
                .contains("ALTER TABLE fixture_parents DROP CONSTRAINT ck_fixture_parents__name_length, ADD CONSTRAINT ck_fixture_parents__name_length"
                        + " CHECK ((char_length(name) <= 200)) NOT VALID;")
                .contains("ALTER TABLE fixture_parents VALIDATE CONSTRAINT ck_fixture_parents__name_length;")
                .as("an optional parent")
                .contains("ALTER TABLE fixture_children ALTER COLUMN parent_id DROP NOT NULL;");
        assertThat(generated.changeSets()).isEqualTo(4);
        assertThat(generated.notes()).anyMatch(note -> note.startsWith("fixture_parents.code is required"));
        assertThat(Files.readString(project.master())).endsWith(
                "  - include: {file: changes/20261201093000_add_widgets.yaml, relativeToChangelogFile: true}\n");

        appliesClosesTheDriftAndRollsBack(project, 2, generated.changeSets(), connection ->
                assertThat(Catalog.lines(connection, "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'ck_fixture_parents__code_length'"))
                        .containsExactly("CHECK ((char_length(code) <= 20))"));
    }

    @Test
    void datesItsFileAfterAChangelogFileDatedLaterThanTheClock() throws Exception {
        Project project = FixtureProject.create(root);
        String before = FixtureProject.migratedDatabase(project);
        FixtureProject.write(project, "db/changelog/changes/20261203120000_from_a_clock_ahead.yaml", """
                databaseChangeLog:
                  - changeSet: {id: ahead, author: test, changes: [{sql: {sql: SELECT 1}}]}
                """);
        FixtureProject.include(project, "20261203120000_from_a_clock_ahead.yaml");
        GenerateChangeset.Generated generated;
        try (Connection shadow = TestPostgres.server().connect(before)) {
            generated = GenerateChangeset.generate("AddWidgets", "dev.keel.driftfixture", shadow, project.resources(), NOW);
        }

        assertThat(generated.file()).isEqualTo(project.resources().resolve("db/changelog/changes/20261203120001_add_widgets.yaml"));
    }

    @Test
    void writesATypeChangeWithANoteToLetTheOnlineCheckJudgeIt() throws Exception {
        Project project = FixtureProject.create(root);
        FixtureProject.addThird(project, "integer");
        GenerateChangeset.Generated generated;
        try (Connection shadow = TestPostgres.server().connect(FixtureProject.migratedDatabase(project))) {
            generated = GenerateChangeset.generate("CodeAsText", "dev.keel.driftfixture", shadow, project.resources(), NOW);
        }

        assertThat(Files.readString(generated.file()))
                .as("the type change is a changeset of its own").contains("id: 20261201093000_code_as_text_fixture_parents_code_type\n")
                .containsSubsequence("id: 20261201093000_code_as_text_fixture_parents_code_type", "ALTER TABLE fixture_parents ALTER COLUMN code TYPE text;")
                .contains("ALTER TABLE fixture_parents ADD CONSTRAINT ck_fixture_parents__code_length CHECK (char_length(code) <= 20) NOT VALID;")
                .contains("ALTER TABLE fixture_parents ALTER COLUMN code SET NOT NULL;")
                .contains("ALTER TABLE fixture_parents ALTER COLUMN code TYPE integer USING code::integer;");
        assertThat(generated.notes()).anyMatch(note -> note.startsWith("fixture_parents.code changes type from integer to text: run mvn keel:online-check"));
        appliesClosesTheDriftAndRollsBack(project, 3, generated.changeSets(), connection -> { });
    }

    private interface AfterApplying {
        void check(Connection connection) throws Exception;
    }

    /** Applies the project's first {@code before} changesets, then each generated one; no drift is left; each rolls back exactly. */
    private static void appliesClosesTheDriftAndRollsBack(Project project, int before, int generated, AfterApplying applied) throws Exception {
        appliesClosesTheDriftAndRollsBack(project, "dev.keel.driftfixture", before, generated, applied);
    }

    private static void appliesClosesTheDriftAndRollsBack(Project project, String entityPackage, int before, int generated, AfterApplying applied)
            throws Exception {
        String database = TestPostgres.createEmptyDatabase();
        try (Connection connection = TestPostgres.migrationConnection(database);
             Liquibase liquibase = new Liquibase(Project.MASTER, new DirectoryResourceAccessor(project.resources()), new JdbcConnection(connection))) {
            liquibase.update(before, new Contexts(), new liquibase.LabelExpression());
            List<String> schemaAfter = new ArrayList<>(List.of(SchemaSnapshot.sql(SchemaSnapshot.read(connection, TestPostgres.APP_ROLE), "")));
            for (int i = 0; i < generated; i++) {
                liquibase.update(1, new Contexts(), new liquibase.LabelExpression());
                schemaAfter.add(SchemaSnapshot.sql(SchemaSnapshot.read(connection, TestPostgres.APP_ROLE), ""));
            }
            assertThat(SchemaDrift.compare(entityPackage, connection).failures()).as("drift after applying the generated changesets")
                    .isEmpty();
            applied.check(connection);

            for (int left = generated; left > 0; left--) {
                liquibase.rollback(1, null);
                assertThat(SchemaSnapshot.sql(SchemaSnapshot.read(connection, TestPostgres.APP_ROLE), ""))
                        .as("rolling back generated changeset %d of %d alone restores the schema before it", left, generated)
                        .isEqualTo(schemaAfter.get(left - 1));
            }
        }
    }

    @Test
    void quotesTheNamesThatNeedQuotingSoTheChangesetsApplyCloseTheDriftAndRollBack() throws Exception {
        Project project = FixtureProject.create(root);
        GenerateChangeset.Generated generated = generateQuoted(project);

        assertThat(Files.readString(generated.file()))
                .contains("ALTER TABLE \"user\" ADD CONSTRAINT \"ck_user__Email_length\" CHECK (char_length(\"Email\") <= 40) NOT VALID;")
                .contains("ALTER TABLE \"user\" ALTER COLUMN \"order\" SET NOT NULL;")
                .contains("CREATE INDEX CONCURRENTLY IF NOT EXISTS \"ix_ProjectItem__OwnerId\" ON \"ProjectItem\" (\"OwnerId\");")
                .as("a length CHECK named in mixed case keeps its name").contains("DROP CONSTRAINT \"ck_ProjectItem__Title_length\"");
        appliesClosesTheDriftAndRollsBack(project, "dev.keel.quotedfixture", 3, generated.changeSets(), connection ->
                assertThat(Catalog.lines(connection, "SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
                        + " AND relname NOT LIKE 'fixture%' AND relname NOT LIKE 'databasechangelog%' ORDER BY 1"))
                        .containsExactly("ProjectItem", "TAG", "user"));
    }

    /** Tables whose names need quoting, and what generate writes for the entities of dev.keel.quotedfixture beside them. */
    static GenerateChangeset.Generated generateQuoted(Project project) throws Exception {
        FixtureProject.write(project, "db/changelog/changes/003_create_quoted_tables.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 003_create_quoted_tables
                      author: test
                      changes:
                        - sql:
                            sql: >-
                              CREATE TABLE "user" (id bigint GENERATED BY DEFAULT AS IDENTITY CONSTRAINT pk_user PRIMARY KEY);
                              CREATE TABLE "ProjectItem" (id bigint GENERATED BY DEFAULT AS IDENTITY CONSTRAINT "pk_ProjectItem" PRIMARY KEY,
                              "Title" text NOT NULL CONSTRAINT "ck_ProjectItem__Title_length" CHECK (char_length("Title") <= 60))
                      rollback:
                        - sql: {sql: DROP TABLE "ProjectItem"; DROP TABLE "user"}
                """);
        FixtureProject.include(project, "003_create_quoted_tables.yaml");
        try (Connection shadow = TestPostgres.server().connect(FixtureProject.migratedDatabase(project))) {
            return GenerateChangeset.generate("AddQuoted", "dev.keel.quotedfixture", shadow, project.resources(), NOW);
        }
    }

    @Test
    void writesNothingWhenTheEntitiesAndTheChangelogAgree() throws Exception {
        Project project = FixtureProject.create(root);
        try (Connection shadow = TestPostgres.server().connect(FixtureProject.migratedDatabase(project))) {
            assertThat(GenerateChangeset.generate("AddWidgets", "dev.keel.driftfixture", shadow, project.resources(), NOW)).isNotNull();
        }
        String master = Files.readString(project.master());
        // With what it wrote applied, the entities and the changelog agree: a second run finds nothing to write.
        try (Connection agreeing = TestPostgres.server().connect(FixtureProject.migratedDatabase(project))) {
            assertThat(GenerateChangeset.generate("Nothing", "dev.keel.driftfixture", agreeing, project.resources(), NOW.plusMinutes(1))).isNull();
        }
        assertThat(Files.readString(project.master())).isEqualTo(master);
    }

    @Test
    void turnsTheNameIntoTheFileNameConvention() {
        assertThat(GenerateChangeset.snakeCase("AddUserPhone")).isEqualTo("add_user_phone");
        assertThat(GenerateChangeset.snakeCase("dropV2Index")).isEqualTo("drop_v2_index");
    }
}
