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
            fail("%nThe changelog builds a schema that the committed snapshot does not describe:%n%s%nIf the change is intended, run: %s%n"
                    + "Built here on %s. Where only a view's wording differs, the snapshot was accepted on another PostgreSQL major:"
                    + " accept with TEST_DB_URL naming a server of the same major as this one.%n",
                    String.join(System.lineSeparator(), differences), Project.ACCEPT_COMMAND, SnapshotFiles.builtOn());
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
    void writesSqlThatBuildsTheSameSchemaWhateverOrderItsObjectsNeed() throws Exception {
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
                    CREATE EXTENSION "uuid-ossp";
                    CREATE EXTENSION citext;
                    CREATE TABLE accounts (id uuid DEFAULT uuid_generate_v4() PRIMARY KEY, email citext);
                    CREATE DOMAIN positive AS integer CONSTRAINT positive_above_zero CHECK (VALUE > 0);
                    CREATE TABLE z_parent (id bigint PRIMARY KEY, rank positive);
                    CREATE FUNCTION next_code() RETURNS text LANGUAGE sql AS 'SELECT ''c'' || count(*) FROM z_parent';
                    CREATE FUNCTION parents() RETURNS SETOF z_parent LANGUAGE sql AS 'SELECT * FROM z_parent';
                    CREATE TABLE a_child (id bigint PRIMARY KEY, parent_id bigint REFERENCES z_parent, code text DEFAULT next_code());
                    CREATE TABLE events (id bigint, at date, parent_id bigint REFERENCES z_parent, CHECK (id > 0), PRIMARY KEY (id, at))
                        PARTITION BY RANGE (at);
                    CREATE INDEX events_parent_idx ON events (parent_id);
                    CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
                    CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
                    CREATE TRIGGER events_touch BEFORE UPDATE ON events FOR EACH ROW EXECUTE FUNCTION touch();
                    CREATE VIEW z_base AS SELECT id FROM z_parent;
                    CREATE VIEW a_top AS SELECT id FROM z_base;
                    CREATE MATERIALIZED VIEW m_counts AS SELECT count(*) AS n FROM a_child;
                    CREATE SCHEMA billing;
                    CREATE TYPE billing."State" AS ENUM ('open', 'paid');
                    CREATE SEQUENCE billing.numbers;
                    CREATE TABLE billing.invoices (id bigint PRIMARY KEY DEFAULT nextval('billing.numbers'), state billing."State",
                                                   parent_id bigint REFERENCES z_parent);
                    CREATE INDEX invoices_state_idx ON billing.invoices (state);
                    CREATE TABLE "Zeta" (id bigserial PRIMARY KEY, invoice_id bigint REFERENCES billing.invoices, rank serial);
                    CREATE FUNCTION billing.open_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM billing.invoices WHERE state = ''open''';
                    CREATE VIEW billing.open_invoices AS SELECT id FROM billing.invoices WHERE state = 'open';
                    CREATE TABLE lines (qty integer, price numeric, total numeric GENERATED ALWAYS AS (qty * price) STORED);
                    CREATE UNIQUE INDEX m_counts_n ON m_counts (n);
                    CREATE FUNCTION order_count() RETURNS bigint LANGUAGE sql STABLE RETURN (SELECT count(*) FROM "ORDERS");
                    CREATE FUNCTION tops() RETURNS SETOF a_top LANGUAGE sql AS 'SELECT * FROM a_top';
                    CREATE FUNCTION a_parents(z_parent[]) RETURNS integer LANGUAGE sql AS 'SELECT cardinality($1)';
                    CREATE FUNCTION a_tops(a_top[]) RETURNS integer LANGUAGE sql AS 'SELECT cardinality($1)';
                    CREATE TABLE tag_history (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY);
                    CREATE SEQUENCE person_numbers AS bigint START 150 INCREMENT 5 MINVALUE 100 MAXVALUE 1000 CACHE 10 CYCLE;
                    CREATE TABLE counters (id bigint GENERATED BY DEFAULT AS IDENTITY (START WITH 100 INCREMENT BY 5) PRIMARY KEY,
                                           down integer GENERATED ALWAYS AS IDENTITY (INCREMENT BY -1));
                    ALTER TABLE tag_history RENAME TO tags;
                    """);
            String sql = SchemaSnapshot.sql(SchemaSnapshot.read(first, TestPostgres.APP_ROLE), "header");

            replay.execute(sql);

            assertThat(sql).contains("CREATE TABLE \"ORDERS\" (", "    \"group\" text", "ADD CONSTRAINT \"ORDERS_PK\"",
                    "CREATE TABLE events (", ") PARTITION BY RANGE (at);", "ALTER TABLE events ATTACH PARTITION events_2026 FOR VALUES FROM",
                    "CREATE MATERIALIZED VIEW m_counts AS", "CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\" WITH SCHEMA public;")
                    .as("an extension's functions and types are its own").doesNotContain("FUNCTION public.uuid_generate_v4").doesNotContain("citext_");
            assertThat(sql).as("a schema of the changelog's own besides public")
                    .containsSubsequence("CREATE SCHEMA IF NOT EXISTS billing;", "CREATE TYPE billing.\"State\" AS ENUM ('open', 'paid');",
                            "CREATE SEQUENCE billing.numbers", "CREATE TABLE billing.invoices (", "CREATE INDEX invoices_state_idx ON billing.invoices",
                            "REFERENCES billing.invoices(id)", "CREATE VIEW billing.open_invoices AS")
                    .contains("CREATE OR REPLACE FUNCTION billing.open_count()");
            assertThat(sql).as("a serial's sequence, owned by its column")
                    .containsSubsequence("CREATE SEQUENCE \"Zeta_id_seq\" AS bigint", "CREATE TABLE \"Zeta\" (", "ALTER SEQUENCE \"Zeta_id_seq\" OWNED BY \"Zeta\".id")
                    .contains("ALTER SEQUENCE \"Zeta_rank_seq\" OWNED BY \"Zeta\".rank");
            assertThat(sql).as("a generated column, a materialized view's index, functions that need a table or a view")
                    .contains("total numeric GENERATED ALWAYS AS (((qty)::numeric * price)) STORED", "CREATE UNIQUE INDEX m_counts_n ON public.m_counts",
                            "id bigint GENERATED BY DEFAULT AS IDENTITY (SEQUENCE NAME tag_history_id_seq) NOT NULL")
                    .containsSubsequence("CREATE TABLE \"ORDERS\" (", "CREATE OR REPLACE FUNCTION public.order_count()")
                    .containsSubsequence("CREATE VIEW a_top AS", "CREATE OR REPLACE FUNCTION public.tops()")
                    .as("functions that take an array of a table's or a view's rows").containsSubsequence("CREATE TABLE z_parent (",
                            "CREATE OR REPLACE FUNCTION public.a_parents(z_parent[])", "CREATE VIEW a_top AS", "CREATE OR REPLACE FUNCTION public.a_tops(a_top[])");
            assertThat(sql).as("a sequence's and an identity's options that are not the defaults")
                    .contains("CREATE SEQUENCE person_numbers AS bigint START 150 INCREMENT 5 MINVALUE 100 MAXVALUE 1000 CACHE 10 CYCLE;",
                            "id bigint GENERATED BY DEFAULT AS IDENTITY (START WITH 100 INCREMENT BY 5) NOT NULL",
                            "down integer GENERATED ALWAYS AS IDENTITY (INCREMENT BY -1) NOT NULL",
                            "CREATE SEQUENCE order_numbers AS bigint START 1 INCREMENT 1;");
            assertThat(SchemaSnapshot.sql(SchemaSnapshot.read(second, TestPostgres.APP_ROLE), "header")).isEqualTo(sql);
        }
    }
}
