package dev.keel.schema.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.keel.schema.Project;
import dev.keel.testdb.TestPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The build's check: the committed db/schema.sql and db/schema.md describe exactly what the changelog builds. */
class SchemaSnapshotIT {

    @Test
    void committedSnapshotMatchesWhatTheChangelogBuilds() throws Exception {
        SnapshotFiles built;
        try (Connection connection = TestPostgres.server().connect(TestPostgres.createMigratedDatabase())) {
            built = SnapshotFiles.render(connection, TestPostgres.APP_ROLE);
        }
        List<String> differences = built.differences(Project.current());

        if (!differences.isEmpty()) {
            fail("%nThe changelog builds a schema that the committed snapshot does not describe:%n%s%nIf the change is intended, run: %s%n",
                    String.join(System.lineSeparator(), differences), Project.ACCEPT_COMMAND);
        }
    }

    @Test
    void isTheSameForTheSameChangelogWhateverTheDatabase() throws Exception {
        String fromTemplate = TestPostgres.createMigratedDatabase();
        String fromEmpty = TestPostgres.createEmptyDatabase();
        TestPostgres.migrate(fromEmpty);
        try (Connection first = TestPostgres.server().connect(fromTemplate); Connection second = TestPostgres.server().connect(fromEmpty)) {
            assertThat(SnapshotFiles.render(second, TestPostgres.APP_ROLE)).isEqualTo(SnapshotFiles.render(first, TestPostgres.APP_ROLE));
        }
    }

    @Test
    void writesNamesQuotedAndTypesBeforeTablesSoTheSqlBuildsTheSameSchema() throws Exception {
        String original = TestPostgres.createEmptyDatabase();
        String replayed = TestPostgres.createEmptyDatabase();
        try (Connection first = TestPostgres.server().connect(original); Connection second = TestPostgres.server().connect(replayed);
             Statement statement = first.createStatement(); Statement replay = second.createStatement()) {
            statement.execute("""
                    CREATE TYPE "Mood" AS ENUM ('ok');
                    CREATE SEQUENCE order_numbers;
                    CREATE TABLE "ORDERS" ("ID" bigint CONSTRAINT "ORDERS_PK" PRIMARY KEY, "group" text, "Name" text NOT NULL, "MOOD" "Mood",
                                           "NUMBER" bigint DEFAULT nextval('order_numbers'));
                    CREATE INDEX "ORDERS_NAME_IDX" ON "ORDERS" ("Name");
                    COMMENT ON COLUMN "ORDERS"."group" IS 'a keyword';
                    CREATE VIEW "OPEN_ORDERS" AS SELECT "ID" FROM "ORDERS";
                    """);
            String sql = SchemaSnapshot.sql(SchemaSnapshot.read(first, TestPostgres.APP_ROLE), "header");

            replay.execute(sql);

            assertThat(sql).contains("CREATE TABLE \"ORDERS\" (", "    \"group\" text", "ADD CONSTRAINT \"ORDERS_PK\"");
            assertThat(SchemaSnapshot.sql(SchemaSnapshot.read(second, TestPostgres.APP_ROLE), "header")).isEqualTo(sql);
        }
    }
}
