package dev.keel.persistence.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.db.testing.ChangelogCopy;
import dev.keel.db.testing.Catalog;
import dev.keel.db.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDateTime;
import liquibase.Contexts;
import liquibase.Liquibase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generate from planted entity changes on a copy of the changelog, apply it, check drift, roll it back. */
class GenerateChangesetIT {

    private static final LocalDateTime NOW = LocalDateTime.of(2026, 12, 1, 9, 30, 0);

    @TempDir
    Path copy;

    @Test
    void generatesAChangesetThatAppliesClosesTheDriftAndRollsBack() throws Exception {
        Path resources = ChangelogCopy.into(copy);
        String shadow = TestPostgres.createMigratedDatabase();
        Path written;
        try (Connection connection = TestPostgres.server().connect(shadow)) {
            written = GenerateChangeset.generate("AddWidgets", "dev.keel.driftfixture", connection, resources, NOW);
        }

        assertThat(written).isEqualTo(resources.resolve("db/changelog/changes/20261201093000_add_widgets.yaml"));
        assertThat(Files.readString(written)).contains("id: 20261201093000_add_widgets").contains("createTable").contains("widgets")
                .contains("addColumn").contains("phone")
                .contains("addForeignKeyConstraint").contains("constraintName: fk_widgets__team_id")
                .contains("constraintName: uq_widgets__code").contains("primaryKeyName: pk_widgets");
        assertThat(Files.readString(resources.resolve("db/changelog/db.changelog-master.yaml"))).endsWith(
                "  - include:\n      file: changes/20261201093000_add_widgets.yaml\n      relativeToChangelogFile: true\n");

        String database = TestPostgres.createEmptyDatabase();
        try (Connection connection = TestPostgres.migrationConnection(database);
             Liquibase liquibase = new Liquibase("db/changelog/db.changelog-master.yaml", new DirectoryResourceAccessor(resources),
                     new JdbcConnection(connection))) {
            liquibase.update(new Contexts());
            assertThat(SchemaDrift.compare("dev.keel.driftfixture", connection).failures()).as("after applying the generated changeset")
                    .noneMatch(failure -> failure.startsWith("missing"));

            liquibase.rollback(1, null);
            assertThat(Catalog.lines(connection, "SELECT to_regclass('widgets')::text")).containsExactly((String) null);
            assertThat(Catalog.lines(connection, "SELECT column_name FROM information_schema.columns WHERE table_name = 'users'"
                    + " AND column_name = 'phone'")).isEmpty();
        }
    }

    @Test
    void writesNothingWhenTheEntitiesAndTheChangelogAgree() throws Exception {
        Path resources = ChangelogCopy.into(copy);
        String master = Files.readString(resources.resolve("db/changelog/db.changelog-master.yaml"));
        try (Connection connection = TestPostgres.server().connect(TestPostgres.createMigratedDatabase())) {
            assertThat(GenerateChangeset.generate("Nothing", "dev.keel.persistence", connection, resources, NOW)).isNull();
        }
        assertThat(Files.readString(resources.resolve("db/changelog/db.changelog-master.yaml"))).isEqualTo(master);
    }

    @Test
    void turnsTheNameIntoTheFileNameConvention() {
        assertThat(GenerateChangeset.snakeCase("AddUserPhone")).isEqualTo("add_user_phone");
        assertThat(GenerateChangeset.snakeCase("dropV2Index")).isEqualTo("drop_v2_index");
    }
}
