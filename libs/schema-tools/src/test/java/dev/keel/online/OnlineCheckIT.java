package dev.keel.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.schema.Project;
import dev.keel.schema.rollback.RollbackCheck;
import dev.keel.schema.testing.FixtureProject;
import dev.keel.testdb.Catalog;
import dev.keel.testdb.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The online-safety check on a fixture project whose released tables it fills with rows: each pending changeset
 * in online/pending.yaml gets exactly the findings its name announces, and the safe forms get none.
 */
@Isolated
class OnlineCheckIT {

    @TempDir
    Path root;

    @Test
    void eachUnsafeChangesetGetsItsRuleAndEachSafeFormPasses() throws Exception {
        OnlineCheck.Report report = pendingTraced();
        List<String> progress = pendingProgress;

        String text = report.text();
        assertThat(report.findings()).as(text).extracting(f -> f.changeSet().substring(f.changeSet().indexOf("::") + 2) + " " + f.ruleId())
                .containsExactlyInAnyOrder(
                        "c01_index_plain index-not-concurrent",
                        "c04_check_validated constraint-without-not-valid",
                        "c06_foreign_key_validated constraint-without-not-valid",
                        "c07_set_not_null set-not-null-scans",
                        "c08_type_rewrite type-change-rewrites",
                        "c10_volatile_default volatile-default-rewrites",
                        "c11_unique_direct unique-without-index",
                        "c12_rename_column rename",
                        "c14_no_lock_timeout no-lock-timeout",
                        "c15_new_table foreign-key-without-index",
                        "c15_new_table int-key",
                        "c15_new_table json-type",
                        "c15_new_table timestamp-without-time-zone",
                        "c15_new_table varchar-length",
                        "c17_concurrently_in_transaction concurrently-in-transaction",
                        "c18_update_every_row rows-locked");
        assertThat(report.suppressed()).extracting(Finding::ruleId).containsExactly("drop");
        assertThat(report.problems()).as(text).containsExactlyInAnyOrder(
                "db/changelog/changes/pending.yaml::c10_safe_constant_default: keel-allow volatile-default-rewrites gives no reason;"
                        + " write why it is safe here: keel-allow volatile-default-rewrites: <why>",
                "db/changelog/changes/pending.yaml::c16_safe_index_on_new_table: keel-allow index-not-concurrent matches no finding;"
                        + " remove it from the changeset's comment");
        assertThat(report.failed()).isTrue();
        assertThat(progress).as("a progress line per traced changeset").hasSize(20).first().asString()
                .startsWith("[1/20] db/changelog/changes/pending.yaml::c01_index_plain traced in ")
                .contains(": strongest lock SHARE on fixture_parents held ");
        assertThat(progress).as("a changeset PostgreSQL refused").filteredOn(line -> line.contains("::c17_concurrently_in_transaction traced in "))
                .singleElement().asString().endsWith(": did not apply (see below)");
        assertThat(progress.get(1)).as("a runInTransaction: false changeset, watched from a second session")
                .startsWith("[2/20] db/changelog/changes/pending.yaml::c02_safe_index_concurrently traced in ")
                .containsPattern(": strongest lock SHARE UPDATE EXCLUSIVE on fixture_children held \\d+(\\.\\d)? ms; no rewrite");

        Finding index = report.findings().get(0);
        assertThat(index.block()).as(text)
                .contains("ERROR index-not-concurrent: building or dropping an index without CONCURRENTLY blocks every write")
                .contains("  changeset:    db/changelog/changes/pending.yaml::c01_index_plain")
                .contains("  statement:    CREATE INDEX ix_fixture_parents__name ON public.fixture_parents(name)")
                .containsPattern("  trace:        SHARE on fixture_parents held \\d+(\\.\\d)? ms until the commit \\(100,000 rows\\); no rewrite; [\\d,]+ rows read; lock_timeout 3s")
                .containsSubsequence("WHERE NOT indisvalid AND indexrelid IN (to_regclass('ix_fixture_parents__name'))",
                        "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_fixture_parents__name ON public.fixture_parents USING btree (name)")
                .contains("    runInTransaction: false");
        assertThat(finding(report, "c08_type_rewrite").evidence()).as(text).contains("ACCESS EXCLUSIVE on fixture_parents").contains("table rewritten");
        assertThat(report.notes()).as("no table left unfilled, no changeset left untraced").isEmpty();
    }

    @Test
    void everySafeRewriteTheCheckPrintsPassesTheCheckInstead() throws Exception {
        List<String> rewritten = List.of("c01_index_plain", "c04_check_validated", "c06_foreign_key_validated", "c07_set_not_null",
                "c08_type_rewrite", "c10_volatile_default", "c11_unique_direct", "c18_update_every_row");
        // The foreign key of c06 needs the index that c02 builds, safely, before it.
        StringBuilder rewrites = new StringBuilder("""
                databaseChangeLog:
                  - changeSet:
                      id: c02_safe_index_concurrently
                      author: test
                      runInTransaction: false
                      changes:
                        - sql: CREATE INDEX CONCURRENTLY ix_fixture_children__parent_id ON fixture_children (parent_id)
                      rollback:
                        - sql: DROP INDEX ix_fixture_children__parent_id
                """);
        for (Finding finding : pendingTraced().findings()) {
            if (rewritten.contains(finding.changeSet().substring(finding.changeSet().indexOf("::") + 2))) {
                rewrites.append(finding.rewrite().indent(2));
            }
        }

        Project safe = projectWithColumns();
        FixtureProject.write(safe, "db/changelog/changes/rewrites.yaml", rewrites.toString());
        FixtureProject.include(safe, "rewrites.yaml");
        OnlineCheck.Report report = traced(safe);

        assertThat(report.findings()).as(rewrites + report.text()).isEmpty();
        assertThat(report.problems()).as(rewrites + report.text()).isEmpty();
        assertThat(report.traced()).as(rewrites.toString()).isEqualTo(15);
        // c18's UPDATE has no rollback of its own, and its rewrite keeps what the changeset had.
        assertThat(RollbackCheck.problems(TestPostgres.createEmptyDatabase(), Project.MASTER, new DirectoryResourceAccessor(safe.resources()),
                OnlineCheckIT::released)).as(rewrites.toString()).containsExactly("db/changelog/changes/rewrites.yaml::c18_update_every_row: sql"
                + " has no automatic rollback; add a rollback: block");
    }

    @Test
    void eachSafeRewriteIsInTheFormatOfItsChangesetsFileKeepsItsRollbackAndPassesTheCheckThere() throws Exception {
        Project project = projectWithColumns();
        FixtureProject.write(project, "db/changelog/changes/pending.xml", XML_HEAD + """
                    <changeSet id="xml01_index" author="test">
                        <createIndex tableName="fixture_parents" indexName="ix_xml_name"><column name="name"/></createIndex>
                    </changeSet>
                    <changeSet id="xml02_check" author="test">
                        <sql>ALTER TABLE fixture_parents ADD CONSTRAINT ck_xml_name CHECK (name &lt;&gt; '')</sql>
                    </changeSet>
                    <changeSet id="xml03_volatile_default" author="test">
                        <addColumn tableName="fixture_parents"><column name="xml_seen" type="timestamptz" defaultValueComputed="clock_timestamp()"/></addColumn>
                        <modifySql dbms="mysql"><append value=" ENGINE=InnoDB"/></modifySql>
                    </changeSet>
                </databaseChangeLog>
                """);
        FixtureProject.write(project, "db/changelog/changes/pending.sql", """
                -- liquibase formatted sql

                --changeset Jane Doe:sql01_concurrently
                CREATE INDEX CONCURRENTLY ix_sql_code ON fixture_parents (code);
                --rollback DROP INDEX ix_sql_code;

                --changeset Jane Doe:sql02_type
                ALTER TABLE fixture_parents ALTER COLUMN amount TYPE bigint;

                --changeset Jane Doe:sql03_unique
                ALTER TABLE fixture_parents ADD CONSTRAINT uq_sql_label UNIQUE (label);
                --rollback ALTER TABLE fixture_parents DROP CONSTRAINT uq_sql_label;
                """);
        FixtureProject.write(project, "db/changelog/changes/pending.json", """
                {"databaseChangeLog": [
                  {"changeSet": {"id": "json01_check", "author": "test",
                    "changes": [{"sql": {"sql": "ALTER TABLE fixture_parents ADD CONSTRAINT ck_json_name CHECK (name <> 'x')"}}]}},
                  {"changeSet": {"id": "json02_not_null", "author": "test",
                    "changes": [{"addNotNullConstraint": {"tableName": "fixture_parents", "columnName": "code", "columnDataType": "text",
                      "defaultNullValue": "none"}}]}}
                ]}
                """);
        List.of("pending.xml", "pending.sql", "pending.json").forEach(file -> FixtureProject.include(project, file));

        OnlineCheck.Report report = traced(project);

        assertThat(report.findings()).as(report.text()).extracting(f -> f.changeSet().substring(f.changeSet().indexOf("::") + 2) + " " + f.ruleId())
                .containsExactlyInAnyOrder("xml01_index index-not-concurrent", "xml02_check constraint-without-not-valid",
                        "xml03_volatile_default volatile-default-rewrites", "sql01_concurrently concurrently-in-transaction",
                        "sql02_type type-change-rewrites", "sql03_unique unique-without-index", "json01_check constraint-without-not-valid",
                        "json02_not_null set-not-null-scans");
        Map<String, List<String>> rewrites = new java.util.TreeMap<>();
        for (Finding finding : report.findings()) {
            String format = finding.changeSet().replaceFirst("::.*", "").replaceFirst(".*\\.", "");
            rewrites.computeIfAbsent(format, key -> new ArrayList<>()).add(finding.rewrite().strip() + "\n");
        }
        String xml = String.join("", rewrites.get("xml"));
        String sql = String.join("\n", rewrites.get("sql"));
        String json = String.join(",\n", rewrites.get("json"));
        assertThat(xml).as("XML, the fixture's <> in CDATA").contains("<changeSet id=\"xml02_check_validate\" author=\"test\">")
                .contains("<![CDATA[ALTER TABLE fixture_parents ADD CONSTRAINT ck_xml_name CHECK ((name <> ''::text)) NOT VALID]]>")
                .doesNotContain("- changeSet:");
        assertThat(sql).as("formatted SQL, with the changeset's own rollback")
                .contains("--changeset Jane Doe:sql01_concurrently runInTransaction:false\nCREATE INDEX CONCURRENTLY ix_sql_code ON fixture_parents (code);\n"
                        + "--rollback DROP INDEX ix_sql_code;")
                .contains("--changeset Jane Doe:sql03_unique_index runInTransaction:false endDelimiter:/\n")
                .doesNotContain("- changeSet:");
        assertThat(json).as("JSON, with the changeset's own value for NULLs backfilled before the validation")
                .containsSubsequence("\"id\": \"json02_not_null_check\"", "\"id\": \"json02_not_null_backfill\"", "SET code = 'none'",
                        "\"id\": \"json02_not_null\"").doesNotContain("- changeSet:");

        Project safe = projectWithColumns();
        FixtureProject.write(safe, "db/changelog/changes/rewrites.xml", XML_HEAD + xml.indent(4) + "</databaseChangeLog>\n");
        FixtureProject.write(safe, "db/changelog/changes/rewrites.sql", "-- liquibase formatted sql\n\n" + sql);
        FixtureProject.write(safe, "db/changelog/changes/rewrites.json", "{\"databaseChangeLog\": [\n" + json + "]}\n");
        List.of("rewrites.xml", "rewrites.sql", "rewrites.json").forEach(file -> FixtureProject.include(safe, file));
        OnlineCheck.Report again = traced(safe);

        String pasted = xml + sql + json;
        assertThat(again.findings()).as(pasted + again.text()).isEmpty();
        assertThat(again.problems()).as(pasted + again.text()).isEmpty();
        assertThat(again.traced()).as(pasted).isEqualTo(15);
        assertThat(RollbackCheck.problems(TestPostgres.createEmptyDatabase(), Project.MASTER, new DirectoryResourceAccessor(safe.resources())))
                .as("each rewrite's rollback restores the schema before it").isEmpty();
    }

    @Test
    void aPendingChangesetAmongReleasedOnesLeavesTheirTablesPopulatedAndTheirFailuresNamed() throws Exception {
        Project project = projectWithColumns();
        FixtureProject.write(project, "db/changelog/changes/004_parents_view.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 004_parents_view
                      author: test
                      runOnChange: true
                      changes:
                        - sql: CREATE OR REPLACE VIEW v_parents AS SELECT id, name, code FROM fixture_parents
                """);
        FixtureProject.write(project, "db/changelog/changes/005_create_fixture_events.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 005_create_fixture_events
                      author: test
                      changes:
                        - sql: CREATE TABLE fixture_events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, kind text)
                  - changeSet:
                      id: 006_comment_view_label
                      author: test
                      changes:
                        - sql: COMMENT ON COLUMN v_parents.label IS 'The label, as the view showed it before its edit'
                """);
        FixtureProject.write(project, "db/changelog/changes/p01_index_events.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: p01_index_events
                      author: test
                      changes:
                        - sql: CREATE INDEX ix_fixture_events__kind ON fixture_events (kind)
                """);
        List.of("004_parents_view.yaml", "005_create_fixture_events.yaml", "p01_index_events.yaml").forEach(file -> FixtureProject.include(project, file));

        // The released view was edited, so the next update runs it again: it is traced, before a released changeset.
        OnlineCheck.Report report = OnlineCheck.trace(project.resources(), Project.MASTER,
                changeSet -> released(changeSet) && !changeSet.contains("004_parents_view"), line -> { });

        assertThat(report.traced()).as(report.text()).isEqualTo(2);
        assertThat(report.problems()).as(report.text()).singleElement().asString()
                .startsWith("db/changelog/changes/005_create_fixture_events.yaml::006_comment_view_label: released, but does not apply after the"
                        + " changesets before it, as it must on a new database: ERROR: column \"label\" of relation \"v_parents\" does not exist");
        assertThat(report.findings()).as("fixture_events was released, so it has rows in production: " + report.text())
                .extracting(f -> f.changeSet().substring(f.changeSet().indexOf("::") + 2) + " " + f.ruleId())
                .containsExactly("p01_index_events index-not-concurrent");
    }

    @Test
    void aChangesetWithErrorsOnTwoStatementsIsToldToSplitBeforeItsRewrites() throws Exception {
        Project project = projectWithColumns();
        FixtureProject.write(project, "db/changelog/changes/p02_flag_and_index.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: p02_flag_and_index
                      author: test
                      changes:
                        - sql: ALTER TABLE fixture_parents ADD COLUMN flag boolean
                        - sql: CREATE INDEX ix_fixture_parents__label ON fixture_parents (label)
                      rollback:
                        - sql: DROP INDEX ix_fixture_parents__label
                        - sql: ALTER TABLE fixture_parents DROP COLUMN flag
                """);
        FixtureProject.include(project, "p02_flag_and_index.yaml");

        OnlineCheck.Report report = traced(project);

        assertThat(report.findings()).as(report.text()).extracting(Finding::ruleId).contains("index-not-concurrent", "access-exclusive-held");
        assertThat(report.findings()).filteredOn(finding -> finding.ruleId().equals("access-exclusive-held")).allSatisfy(finding ->
                assertThat(finding.rewrite()).as("a rewrite of one statement of two does not take the rollback of both")
                        .doesNotContain("DROP INDEX ix_fixture_parents__label").doesNotContain("rollback:"));
        assertThat(report.notes()).as(report.text()).containsExactly("db/changelog/changes/p02_flag_and_index.yaml::p02_flag_and_index: 2 of its"
                + " statements have errors, and each safe rewrite replaces the whole changeset with the changeset's id: split it first, one"
                + " statement per changeset with an id of its own, then rewrite each part");
    }

    @Test
    void aCheckAddedToFilledRowsIsTracedOnTheRowsThatSatisfyIt() throws Exception {
        Project project = projectWithColumns();
        FixtureProject.write(project, "db/changelog/changes/p02_amount_checks.sql", """
                --liquibase formatted sql
                --changeset test:p02_amount_above
                ALTER TABLE fixture_parents ADD CONSTRAINT ck_fixture_parents__amount_above CHECK (amount > 1000);
                --changeset test:p03_amount_below
                ALTER TABLE fixture_parents ADD CONSTRAINT ck_fixture_parents__amount_below CHECK ((amount < 99000) OR amount IS NULL) NOT VALID;
                ALTER TABLE fixture_parents VALIDATE CONSTRAINT ck_fixture_parents__amount_below;
                """);
        FixtureProject.include(project, "p02_amount_checks.sql");

        OnlineCheck.Report report = traced(project);

        assertThat(report.problems()).as("the fill's made-up values are not the changesets' failure: " + report.text()).isEmpty();
        assertThat(report.notes()).as(report.text())
                .anyMatch(note -> note.contains("p02_amount_above: 1,000 of the 100,000 rows") && note.contains("broke ck_fixture_parents__amount_above"))
                .anyMatch(note -> note.contains("p03_amount_below: 1,001 of the 99,000 rows"));
        assertThat(report.findings()).as(report.text()).extracting(f -> f.changeSet().substring(f.changeSet().indexOf("::") + 2) + " " + f.ruleId())
                .contains("p02_amount_above constraint-without-not-valid");
    }

    @Test
    void aForeignKeyAddedToFilledRowsInAChangeOrInSqlIsTracedOnRowsThatSatisfyIt() throws Exception {
        Project project = projectWithColumns();
        FixtureProject.write(project, "db/changelog/changes/p03_amount_references_child.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: p03_amount_references_child
                      author: test
                      changes:
                        - modifyDataType: {tableName: fixture_parents, columnName: amount, newDataType: bigint}
                  - changeSet:
                      id: p04_amount_foreign_key
                      author: test
                      changes:
                        - addForeignKeyConstraint: {baseTableName: fixture_parents, baseColumnNames: amount, constraintName: fk_fixture_parents__amount,
                                                    referencedTableName: fixture_children, referencedColumnNames: id}
                """);
        FixtureProject.write(project, "db/changelog/changes/004_add_fixture_kinds.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 004_add_fixture_kinds
                      author: test
                      changes:
                        - sql: CREATE TABLE fixture_kinds (code text CONSTRAINT pk_fixture_kinds PRIMARY KEY CONSTRAINT ck_fixture_kinds__code CHECK (code LIKE 'K%'))
                        - addColumn: {tableName: fixture_parents, columns: [{column: {name: kind, type: text}}]}
                """);
        FixtureProject.include(project, "004_add_fixture_kinds.yaml");
        FixtureProject.write(project, "db/changelog/changes/p02_kind_foreign_key.sql", """
                --liquibase formatted sql
                --changeset test:p02_kind_foreign_key
                ALTER TABLE fixture_parents ADD CONSTRAINT fk_fixture_parents__kind FOREIGN KEY (kind) REFERENCES fixture_kinds (code);
                """);
        FixtureProject.include(project, "p02_kind_foreign_key.sql");
        FixtureProject.include(project, "p03_amount_references_child.yaml");

        OnlineCheck.Report report = traced(project);

        assertThat(report.problems()).as("the fill's made-up values are not the changesets' failure: " + report.text()).isEmpty();
        assertThat(report.findings()).as(report.text()).extracting(f -> f.changeSet().substring(f.changeSet().indexOf("::") + 2) + " " + f.ruleId())
                .contains("p04_amount_foreign_key constraint-without-not-valid", "p02_kind_foreign_key constraint-without-not-valid");
    }

    @Test
    void upperCaseNamesAreQuotedInEveryRewriteAndTheRewritesApply() throws Exception {
        Project project = FixtureProject.create(root.resolve("quoted"));
        FixtureProject.write(project, "db/changelog/changes/003_create_orders.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 003_create_orders
                      author: test
                      changes:
                        - sql: CREATE TABLE "ORDERS" ("ID" bigint CONSTRAINT "ORDERS_PK" PRIMARY KEY, "STATUS" text, "TOTAL" integer, "EMAIL" text)
                        - sql: CREATE INDEX "ORDERS_TOTAL_IDX" ON "ORDERS" ("TOTAL")
                """);
        FixtureProject.include(project, "003_create_orders.yaml");
        FixtureProject.write(project, "db/changelog/changes/q01_orders.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: q01_status_not_null
                      author: test
                      changes:
                        - sql: ALTER TABLE "ORDERS" ALTER COLUMN "STATUS" SET NOT NULL
                  - changeSet:
                      id: q02_email_unique
                      author: test
                      changes:
                        - sql: ALTER TABLE "ORDERS" ADD CONSTRAINT "ORDERS_EMAIL_UQ" UNIQUE ("EMAIL") DEFERRABLE INITIALLY DEFERRED
                  - changeSet:
                      id: q03_total_numeric
                      author: test
                      changes:
                        - sql: ALTER TABLE "ORDERS" ALTER COLUMN "TOTAL" TYPE numeric(12,2)
                  - changeSet:
                      id: q04_email_renamed
                      author: test
                      changes:
                        - sql: ALTER TABLE "ORDERS" RENAME COLUMN "EMAIL" TO "MAIL"
                """);
        FixtureProject.include(project, "q01_orders.yaml");

        OnlineCheck.Report report = traced(project);

        assertThat(report.findings()).as("the index the type change rebuilds is neither built nor dropped by it: " + report.text())
                .extracting(f -> f.changeSet().substring(f.changeSet().indexOf("::") + 2) + " " + f.ruleId())
                .containsExactlyInAnyOrder("q01_status_not_null set-not-null-scans", "q02_email_unique unique-without-index",
                        "q03_total_numeric type-change-rewrites", "q04_email_renamed rename");
        assertThat(finding(report, "q02_email_unique").rewrite()).contains("UNIQUE USING INDEX \"ORDERS_EMAIL_UQ\" DEFERRABLE INITIALLY DEFERRED");
        assertThat(finding(report, "q04_email_renamed").rewrite()).contains("ADD COLUMN \"MAIL\" text").contains("SET \"MAIL\" = \"EMAIL\"");
        StringBuilder rewrites = new StringBuilder("databaseChangeLog:\n");
        report.findings().stream().filter(f -> !f.ruleId().equals("rename")).forEach(f -> rewrites.append(f.rewrite().indent(2)));
        Project safe = FixtureProject.create(root.resolve("quoted-safe"));
        FixtureProject.write(safe, "db/changelog/changes/003_create_orders.yaml", Files.readString(
                project.resources().resolve("db/changelog/changes/003_create_orders.yaml")));
        FixtureProject.include(safe, "003_create_orders.yaml");
        FixtureProject.write(safe, "db/changelog/changes/q01_orders.yaml", rewrites.toString());
        FixtureProject.include(safe, "q01_orders.yaml");

        OnlineCheck.Report again = traced(safe);

        assertThat(again.problems()).as(rewrites + again.text()).isEmpty();
        assertThat(again.findings()).as(rewrites + again.text()).isEmpty();
    }

    @Test
    void aChangesetOutsideATransactionHasOnlyTheTablesItsSqlNamesFilled() throws Exception {
        Project project = FixtureProject.create(root.resolve("outside"));
        FixtureProject.write(project, "db/changelog/changes/p01_index_parents.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: p01_index_parents
                      author: test
                      runInTransaction: false
                      changes:
                        - sql: CREATE INDEX CONCURRENTLY ix_fixture_parents__name ON fixture_parents (name)
                """);
        FixtureProject.include(project, "p01_index_parents.yaml");
        List<String> progress = new ArrayList<>();

        OnlineCheck.Report report = OnlineCheck.trace(project.resources(), Project.MASTER, OnlineCheckIT::released, progress::add);

        assertThat(report.findings()).as(report.text()).isEmpty();
        assertThat(progress).singleElement().asString().endsWith("; rows filled: fixture_parents 100,000");
    }

    @Test
    void aRewriteOfOneStatementOfSeveralKeepsTheRollbackLiquibaseDerivesForItsChange() throws Exception {
        Project project = projectWithColumns();
        FixtureProject.write(project, "db/changelog/changes/p02_flag_and_index.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: p02_flag_and_index
                      author: test
                      changes:
                        - addColumn: {tableName: fixture_parents, columns: [{column: {name: flag, type: boolean}}]}
                        - createIndex: {tableName: fixture_parents, indexName: ix_fixture_parents__label, columns: [{column: {name: label}}]}
                """);
        FixtureProject.include(project, "p02_flag_and_index.yaml");

        OnlineCheck.Report report = traced(project);

        assertThat(report.findings()).as(report.text()).filteredOn(finding -> finding.ruleId().equals("access-exclusive-held"))
                .singleElement().satisfies(finding -> assertThat(finding.rewrite()).as("the addColumn's own rollback, not the index's")
                        .containsSubsequence("rollback:", "DROP COLUMN flag").doesNotContain("DROP INDEX"))
                .satisfies(finding -> assertThat(finding.evidence()).as("the ADD COLUMN reads no row; the index build after it does")
                        .contains(" rows read while it was held, by later statements of the changeset"));
    }

    @Test
    void theExpandRewritesOfAVarcharColumnAddItAsTextWithACheckAndPassTheCheck() throws Exception {
        String released = """
                databaseChangeLog:
                  - changeSet:
                      id: 003_create_fixture_labels
                      author: test
                      changes:
                        - sql: CREATE TABLE fixture_labels (id bigint PRIMARY KEY, label varchar(255), code varchar(64))
                """;
        Project project = FixtureProject.create(root.resolve("varchar-expand"));
        FixtureProject.write(project, "db/changelog/changes/003_create_fixture_labels.yaml", released + """
                  - changeSet:
                      id: p01_shorter_label
                      author: test
                      changes:
                        - sql: ALTER TABLE fixture_labels ALTER COLUMN label TYPE varchar(100)
                  - changeSet:
                      id: p02_rename_code
                      author: test
                      changes:
                        - sql: ALTER TABLE fixture_labels RENAME COLUMN code TO short_code
                """);
        FixtureProject.include(project, "003_create_fixture_labels.yaml");
        OnlineCheck.Report unsafe = OnlineCheck.trace(project.resources(), Project.MASTER, changeSet -> !changeSet.contains("::p0"), line -> { });
        String shorter = unsafe.findings().stream().filter(f -> f.ruleId().equals("type-change-rewrites")).findFirst().orElseThrow().rewrite();
        String renamed = unsafe.findings().stream().filter(f -> f.ruleId().equals("rename")).findFirst().orElseThrow().rewrite();

        assertThat(shorter).as(unsafe.text()).contains("ALTER TABLE fixture_labels ADD COLUMN label_new text\n",
                "ALTER TABLE fixture_labels ADD CONSTRAINT ck_fixture_labels__label_new_length CHECK (char_length(label_new) <= 100) NOT VALID",
                "id: p01_shorter_label_validate").doesNotContain("TimeZone");
        assertThat(renamed).as(unsafe.text()).contains("ALTER TABLE fixture_labels ADD COLUMN short_code text\n",
                "CHECK (char_length(short_code) <= 64) NOT VALID", "id: p02_rename_code_validate");
        Project safe = FixtureProject.create(root.resolve("varchar-expanded"));
        FixtureProject.write(safe, "db/changelog/changes/003_create_fixture_labels.yaml", released + shorter.indent(2) + renamed.indent(2));
        FixtureProject.include(safe, "003_create_fixture_labels.yaml");
        OnlineCheck.Report report = OnlineCheck.trace(safe.resources(), Project.MASTER, changeSet -> !changeSet.contains("::p0"), line -> { });

        assertThat(report.findings()).as(shorter + renamed + report.text()).isEmpty();
        assertThat(report.problems()).as(report.text()).isEmpty();
        assertThat(report.traced()).isEqualTo(6);
        assertThat(RollbackCheck.problems(TestPostgres.createEmptyDatabase(), Project.MASTER, new DirectoryResourceAccessor(safe.resources()),
                changeSet -> !changeSet.contains("::p0"))).as("each rewrite's rollback restores the schema before it").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aTypeChangeTheMadeUpValuesDoNotFitIsTracedOnValuesThatDo(boolean filledByAnEarlierChangeset) throws Exception {
        Project project = FixtureProject.create(root.resolve("narrower-number-" + filledByAnEarlierChangeset));
        FixtureProject.write(project, "db/changelog/changes/003_create_fixture_positions.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 003_create_fixture_positions
                      author: test
                      changes:
                        - sql: CREATE TABLE fixture_positions (id bigint PRIMARY KEY, course double precision NOT NULL)
                """ + (filledByAnEarlierChangeset ? """
                  - changeSet:
                      id: p01_note
                      author: test
                      changes:
                        - addColumn: {tableName: fixture_positions, columns: [{column: {name: note, type: text}}]}
                """ : "") + """
                  - changeSet:
                      id: p01_course_numeric
                      author: test
                      changes:
                        - modifyDataType: {tableName: fixture_positions, columnName: course, newDataType: "NUMERIC(6, 2)"}
                """);
        FixtureProject.include(project, "003_create_fixture_positions.yaml");

        OnlineCheck.Report report = OnlineCheck.trace(project.resources(), Project.MASTER, changeSet -> !changeSet.contains("::p01_"), line -> { });

        assertThat(report.problems()).as(report.text()).isEmpty();
        assertThat(report.findings()).as(report.text()).singleElement().satisfies(finding -> {
            assertThat(finding.ruleId()).isEqualTo("type-change-rewrites");
            assertThat(finding.evidence()).startsWith("ACCESS EXCLUSIVE on fixture_positions").contains("(100,000 rows)");
        });
        assertThat(report.notes()).as(report.text()).singleElement().asString().startsWith("db/changelog/changes/003_create_fixture_positions.yaml"
                + "::p01_course_numeric: the values the check made up for fixture_positions.course do not fit its new type (ERROR: numeric field overflow)");
    }

    @Test
    void thePreconditionsQueriesAreNoStatementsOfTheChangeset() throws Exception {
        Project project = FixtureProject.create(root.resolve("precondition"));
        FixtureProject.write(project, "db/changelog/changes/p01_index_if_missing.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: p01_index_if_missing
                      author: test
                      preConditions:
                        - onFail: MARK_RAN
                        - not:
                            - indexExists: {tableName: fixture_parents, indexName: ix_fixture_parents__name}
                      changes:
                        - createIndex: {tableName: fixture_parents, indexName: ix_fixture_parents__name, columns: [{column: {name: name}}]}
                """);
        FixtureProject.include(project, "p01_index_if_missing.yaml");

        OnlineCheck.Report report = OnlineCheck.trace(project.resources(), Project.MASTER, changeSet -> !changeSet.contains("::p01_"), line -> { });

        assertThat(report.findings()).as(report.text()).singleElement().satisfies(finding -> assertThat(finding.ruleId()).isEqualTo("index-not-concurrent"));
        assertThat(report.notes()).as("one statement: nothing to split").isEmpty();
    }

    @Test
    void aForeignKeyPassesOnceItsSuggestedIndexChangesetFollowsIt() throws Exception {
        Project project = projectWithColumns();
        FixtureProject.write(project, "db/changelog/changes/p01_notes.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: p01_notes
                      author: test
                      context: prod
                      labels: search
                      changes:
                        - createTable: {tableName: fixture_notes, columns: [{column: {name: id, type: bigint, constraints: {primaryKey: true}}},
                                        {column: {name: parent_id, type: bigint}}]}
                        - addForeignKeyConstraint: {baseTableName: fixture_notes, baseColumnNames: parent_id, constraintName: fk_fixture_notes__parent_id,
                                                    referencedTableName: fixture_parents, referencedColumnNames: id}
                """);
        FixtureProject.include(project, "p01_notes.yaml");
        Finding unindexed = traced(project).findings().stream()
                .filter(finding -> finding.ruleId().equals("foreign-key-without-index")).findFirst().orElseThrow();

        assertThat(unindexed.rewrite()).as("selected as the changeset it follows").contains("    context: \"prod\"\n    labels: \"search\"\n");
        FixtureProject.write(project, "db/changelog/changes/p02_notes_index.yaml", "databaseChangeLog:\n" + unindexed.rewrite().indent(2));
        FixtureProject.include(project, "p02_notes_index.yaml");
        OnlineCheck.Report report = traced(project);

        assertThat(report.traced()).isEqualTo(2);
        assertThat(report.findings()).as(unindexed.rewrite() + report.text()).isEmpty();
        assertThat(report.problems()).as(report.text()).isEmpty();
    }

    @Test
    void theRewritesOfAVolatileDefaultAndANarrowerTypeKeepNotNullAndLoseNoValue() throws Exception {
        Project project = projectWithColumns();
        FixtureProject.write(project, "db/changelog/changes/p01_token.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: p01_token
                      author: test
                      changes:
                        - addColumn: {tableName: fixture_parents, columns: [{column: {name: token, type: text,
                                      defaultValueComputed: "md5(random()::text)", constraints: {nullable: false}}}]}
                """);
        FixtureProject.write(project, "db/changelog/changes/p02_short_label.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: p02_short_label
                      author: test
                      changes:
                        - modifyDataType: {tableName: fixture_parents, columnName: label, newDataType: varchar(50)}
                """);
        FixtureProject.include(project, "p01_token.yaml");
        FixtureProject.include(project, "p02_short_label.yaml");
        OnlineCheck.Report report = traced(project);
        FixtureProject.write(project, "db/changelog/changes/p01_token.yaml", "databaseChangeLog:\n"
                + finding(report, "p01_token").rewrite().indent(2));
        FixtureProject.write(project, "db/changelog/changes/p02_short_label.yaml", "databaseChangeLog:\n"
                + finding(report, "p02_short_label").rewrite().indent(2));

        OnlineCheck.Report rewritten = traced(project);
        assertThat(rewritten.findings()).as(rewritten.text()).noneMatch(Finding::isError);
        try (Connection connection = TestPostgres.migrationConnection(TestPostgres.createEmptyDatabase());
             Liquibase liquibase = new Liquibase(Project.MASTER, new DirectoryResourceAccessor(project.resources()), new JdbcConnection(connection))) {
            liquibase.update(3, new Contexts(), new LabelExpression());
            try (Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO fixture_parents (name, label) VALUES ('long', repeat('x', 80))");
            }
            connection.commit();
            assertThatThrownBy(() -> liquibase.update(new Contexts(), new LabelExpression())).as("a label longer than the new type stops the backfill")
                    .hasStackTraceContaining("violates check constraint \"ck_fixture_parents__label_new_length\"");
            assertThat(Catalog.lines(connection, "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'fixture_parents'::regclass AND attname = 'token'"))
                    .as("the rewrite of a NOT NULL column with a volatile default keeps it NOT NULL").containsExactly("t");
            assertThat(Catalog.lines(connection, "SELECT length(label) FROM fixture_parents")).containsExactly("80");
        }
    }

    @Test
    void aNotNullConstraintWithADefaultForNullsIsOneChangeNotToSplit() throws Exception {
        Project project = projectWithColumns();
        FixtureProject.write(project, "db/changelog/changes/p01_code_required.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: p01_code_required
                      author: test
                      changes:
                        - addNotNullConstraint: {tableName: fixture_parents, columnName: code, columnDataType: text, defaultNullValue: none}
                """);
        FixtureProject.include(project, "p01_code_required.yaml");

        OnlineCheck.Report report = traced(project);

        assertThat(report.findings()).as(report.text()).extracting(Finding::ruleId).contains("set-not-null-scans");
        assertThat(finding(report, "p01_code_required").rewrite()).as("the rewrite backfills the NULLs itself").contains("SET code = 'none'");
        assertThat(report.notes()).as("its rewrite keeps the backfill, so there is nothing to split").isEmpty();
    }

    @Test
    void aTableWhoseRowsNameTheirCreatorInTheSameTableIsFilledFromItsSeedRowsAndSoAreItsChildren() throws Exception {
        Project project = FixtureProject.create(Files.createTempDirectory(root, "project"));
        FixtureProject.write(project, "db/changelog/changes/003_members.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 003_members
                      author: test
                      changes:
                        - sql: CREATE TABLE members (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, creator bigint NOT NULL REFERENCES members)
                        - sql: INSERT INTO members (id, creator) VALUES (1, 1)
                        - sql: CREATE TABLE visits (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, member_id bigint NOT NULL REFERENCES members)
                        - sql: CREATE INDEX ix_visits__member_id ON visits (member_id)
                """);
        FixtureProject.write(project, "db/changelog/changes/p01_index_visits.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: p01_index_visits
                      author: test
                      changes:
                        - sql: CREATE INDEX ix_visits__id_member ON visits (id, member_id)
                """);
        FixtureProject.include(project, "003_members.yaml");
        FixtureProject.include(project, "p01_index_visits.yaml");

        OnlineCheck.Report report = traced(project);

        assertThat(report.notes()).as(report.text()).isEmpty();
        assertThat(report.findings()).as(report.text()).singleElement().satisfies(finding -> {
            assertThat(finding.ruleId()).isEqualTo("index-not-concurrent");
            assertThat(finding.evidence()).contains("(100,000 rows)");
        });
    }

    @Test
    void aSecondIndexBuiltUnderTheLockTheFirstTookIsJudgedToo() throws Exception {
        Project project = projectWithColumns();
        FixtureProject.write(project, "db/changelog/changes/p01_two_indexes.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: p01_two_indexes
                      author: test
                      changes:
                        - createIndex: {tableName: fixture_parents, indexName: ix_fixture_parents__name, columns: [{column: {name: name}}]}
                        - createIndex: {tableName: fixture_parents, indexName: ix_fixture_parents__code, columns: [{column: {name: code}}]}
                """);
        FixtureProject.include(project, "p01_two_indexes.yaml");

        OnlineCheck.Report report = traced(project);

        assertThat(report.findings()).as(report.text()).extracting(Finding::ruleId).containsExactly("index-not-concurrent", "index-not-concurrent");
        assertThat(report.findings().get(1).evidence()).as(report.text()).startsWith("SHARE on fixture_parents held ");
        assertThat(report.notes()).as(report.text()).singleElement().asString().contains("2 of its statements have errors");
    }

    @Test
    void aSerialTableSeededWithExplicitKeysIsFilledPastThem() throws Exception {
        Project project = FixtureProject.create(root.resolve("seeded"));
        FixtureProject.write(project, "db/changelog/changes/003_create_authors.sql", """
                --liquibase formatted sql
                --changeset test:003_create_authors
                CREATE TABLE authors (id serial PRIMARY KEY, name text NOT NULL);
                INSERT INTO authors (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c');
                --changeset test:p01_index_authors
                CREATE INDEX ix_authors__name ON authors (name);
                """);
        FixtureProject.include(project, "003_create_authors.sql");

        OnlineCheck.Report report = OnlineCheck.trace(project.resources(), Project.MASTER, changeSet -> !changeSet.contains("p01"), line -> { });

        assertThat(report.notes()).as(report.text()).isEmpty();
        assertThat(report.findings()).as(report.text()).singleElement().satisfies(finding -> {
            assertThat(finding.ruleId()).isEqualTo("index-not-concurrent");
            assertThat(finding.evidence()).contains("(100,003 rows)");
        });
    }

    @Test
    void tablesInACycleOfNullableForeignKeysAndATreeAreFilledWithTheKeyThatClosesTheCycleLeftNull() throws Exception {
        // Keycloak's realm and client reference each other through nullable columns; groups is a tree hanging off realms.
        Project project = FixtureProject.create(root.resolve("cycle"));
        FixtureProject.write(project, "db/changelog/changes/003_create_realms.sql", """
                --liquibase formatted sql
                --changeset test:003_create_realms
                CREATE TABLE realms (id bigint PRIMARY KEY, name text NOT NULL, master_admin_app bigint);
                CREATE TABLE clients (id bigint PRIMARY KEY, realm_id bigint REFERENCES realms (id), client_id text NOT NULL);
                ALTER TABLE realms ADD CONSTRAINT fk_realms__master_admin_app FOREIGN KEY (master_admin_app) REFERENCES clients (id);
                CREATE TABLE groups (id bigint PRIMARY KEY, parent_group bigint REFERENCES groups (id), realm_id bigint NOT NULL REFERENCES realms (id),
                                     client_id bigint);
                CREATE INDEX ix_groups__client_id ON groups (client_id);
                --changeset test:p01_index_realms
                CREATE INDEX ix_realms__name ON realms (name);
                --changeset test:p02_groups_client_foreign_key
                ALTER TABLE groups ADD CONSTRAINT fk_groups__client_id FOREIGN KEY (client_id) REFERENCES clients (id);
                """);
        FixtureProject.include(project, "003_create_realms.sql");

        List<String> progress = new ArrayList<>();

        OnlineCheck.Report report = OnlineCheck.trace(project.resources(), Project.MASTER, changeSet -> !changeSet.contains("::p0"), progress::add);

        assertThat(report.notes()).as("a nullable key in the cycle is left NULL, so no table is left unfilled: " + report.text()).isEmpty();
        assertThat(report.findings()).as(report.text()).extracting(f -> f.changeSet().substring(f.changeSet().indexOf("::") + 2) + " " + f.ruleId())
                .containsExactly("p01_index_realms index-not-concurrent", "p02_groups_client_foreign_key constraint-without-not-valid");
        assertThat(finding(report, "p01_index_realms").evidence()).as(report.text()).contains("(100,000 rows)");
        assertThat(finding(report, "p02_groups_client_foreign_key").evidence()).as(report.text()).contains("(100,000 rows)");
        assertThat(progress).as("clients get rows with their key to realms NULL, then realms get rows that point at them; the tree groups is filled too")
                .satisfiesExactly(line -> assertThat(line).endsWith("; rows filled: clients 1,000, realms 100,000"),
                        line -> assertThat(line).contains("; rows filled: ").contains("groups 100,000").contains("clients 99,000"));
    }

    @Test
    void aCycleOfNotNullForeignKeysIsNamedAsTheReasonItsTablesAreNotFilled() throws Exception {
        Project project = FixtureProject.create(root.resolve("not-null-cycle"));
        FixtureProject.write(project, "db/changelog/changes/003_create_eggs.sql", """
                --liquibase formatted sql
                --changeset test:003_create_eggs
                CREATE TABLE hens (id bigint PRIMARY KEY, name text, egg_id bigint NOT NULL);
                CREATE TABLE eggs (id bigint PRIMARY KEY, hen_id bigint NOT NULL REFERENCES hens (id));
                ALTER TABLE hens ADD CONSTRAINT fk_hens__egg_id FOREIGN KEY (egg_id) REFERENCES eggs (id);
                --changeset test:p01_index_hens
                CREATE INDEX ix_hens__name ON hens (name);
                """);
        FixtureProject.include(project, "003_create_eggs.sql");

        OnlineCheck.Report report = OnlineCheck.trace(project.resources(), Project.MASTER, changeSet -> !changeSet.contains("::p0"), line -> { });

        assertThat(report.notes()).as(report.text()).singleElement().asString()
                .startsWith("db/changelog/changes/003_create_eggs.sql::p01_index_hens: could not fill hens: it is part of a cycle of NOT NULL foreign keys;");
    }

    private static final String XML_HEAD = """
            <?xml version="1.0" encoding="UTF-8"?>
            <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">
            """;

    @Test
    void aTableTheFillCannotFillIsStillJudgedAsPopulatedAndSaysWhy() throws Exception {
        Project project = FixtureProject.create(root.resolve("codes"));
        FixtureProject.write(project, "db/changelog/changes/003_create_fixture_codes.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 003_create_fixture_codes
                      author: test
                      changes:
                        - sql: CREATE TABLE fixture_codes (code char(2) CONSTRAINT pk_fixture_codes PRIMARY KEY, label text)
                  - changeSet:
                      id: 004_index_fixture_codes
                      author: test
                      changes:
                        - sql: CREATE INDEX ix_fixture_codes__code_lower ON fixture_codes (lower(code))
                  - changeSet:
                      id: 005_backfill_fixture_codes
                      author: test
                      changes:
                        - sql: UPDATE fixture_codes SET label = '' WHERE label IS NULL
                """);
        FixtureProject.include(project, "003_create_fixture_codes.yaml");

        OnlineCheck.Report report = OnlineCheck.trace(project.resources(), Project.MASTER,
                changeSet -> !changeSet.contains("::004_") && !changeSet.contains("::005_"), line -> { });

        assertThat(report.notes()).as(report.text()).singleElement().asString()
                .startsWith("db/changelog/changes/003_create_fixture_codes.yaml::004_index_fixture_codes: could not fill fixture_codes:"
                        + " constraint pk_fixture_codes rejects every value tried")
                .contains("duplicate key value violates unique constraint")
                .endsWith("it was traced on the rows the table had, and its findings judge it as populated");
        assertThat(report.findings()).as("in production the table has its rows").hasSize(2).first().satisfies(finding -> {
            assertThat(finding.ruleId()).isEqualTo("index-not-concurrent");
            assertThat(finding.evidence()).contains("(0 rows; the times come from these rows, not 100,000, since the check could not fill"
                    + " fixture_codes: constraint pk_fixture_codes rejects every value tried").contains("in production the table has its rows)");
        });
        assertThat(report.findings().get(1)).satisfies(finding -> {
            assertThat(finding.ruleId()).isEqualTo("rows-locked");
            assertThat(finding.evidence()).as("the fill gave label no value").startsWith("label IS NULL matched 0 of the rows the table had,"
                    + " which the check could not fill; in production every row of fixture_codes whose label is NULL is changed in one transaction;");
        });
    }

    @Test
    void changesetsThatShareAFileAndIdButNotTheAuthorAreEachTracedAndJudged() throws Exception {
        Project project = projectWithColumns();
        FixtureProject.write(project, "db/changelog/changes/shared_id.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: add_index
                      author: alice
                      changes:
                        - createIndex: {tableName: fixture_parents, indexName: ix_fixture_parents__alice, columns: [{column: {name: name}}]}
                  - changeSet:
                      id: add_index
                      author: bob
                      comment: "keel-allow index-not-concurrent: bob's copy of the table is empty everywhere"
                      changes:
                        - createIndex: {tableName: fixture_parents, indexName: ix_fixture_parents__bob, columns: [{column: {name: name}}]}
                """);
        FixtureProject.include(project, "shared_id.yaml");
        List<String> progress = new ArrayList<>();

        OnlineCheck.Report report = OnlineCheck.trace(project.resources(), Project.MASTER, OnlineCheckIT::released, progress::add);

        assertThat(progress).as(report.text()).hasSize(2);
        assertThat(progress.get(0)).as("two pending changesets, not one counted twice").startsWith("[1/2] db/changelog/changes/shared_id.yaml::add_index::alice traced in ");
        assertThat(progress.get(1)).startsWith("[2/2] db/changelog/changes/shared_id.yaml::add_index::bob traced in ");
        assertThat(report.findings()).as("bob's keel-allow covers bob's index only").as(report.text())
                .singleElement().satisfies(finding -> {
                    assertThat(finding.ruleId()).isEqualTo("index-not-concurrent");
                    assertThat(finding.changeSet()).isEqualTo("db/changelog/changes/shared_id.yaml::add_index::alice");
                });
        assertThat(report.suppressed()).singleElement().satisfies(finding ->
                assertThat(finding.changeSet()).isEqualTo("db/changelog/changes/shared_id.yaml::add_index::bob"));
        assertThat(report.problems()).as(report.text()).isEmpty();
    }

    @Test
    void aChangesetWhosePreconditionDoesNotHoldHereIsANoteNotAPass() throws Exception {
        Project project = projectWithColumns();
        FixtureProject.write(project, "db/changelog/changes/legacy.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: drop_legacy_audit
                      author: test
                      comment: "keel-allow drop: the legacy table is empty everywhere it still exists"
                      preConditions:
                        - onFail: MARK_RAN
                        - tableExists: {tableName: legacy_audit}
                      changes:
                        - dropTable: {tableName: legacy_audit}
                """);
        FixtureProject.include(project, "legacy.yaml");

        OnlineCheck.Report report = traced(project);

        assertThat(report.notes()).as(report.text()).singleElement().asString()
                .startsWith("db/changelog/changes/legacy.yaml::drop_legacy_audit: its precondition does not hold on the check's database")
                .contains("were not traced");
        assertThat(report.problems()).as("its keel-allow is not called unused: the statement it covers never ran").isEmpty();
    }

    @Test
    void aStatementWhoseLocksCouldNotBeWatchedToItsEndFailsTheCheck() throws Exception {
        Project project = projectWithColumns();
        // A DO block that commits cannot be rehearsed in a transaction, so a second session watches it; it ends that session.
        FixtureProject.write(project, "db/changelog/changes/watcher.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: ends_the_watcher
                      author: test
                      runInTransaction: false
                      changes:
                        - sql:
                            splitStatements: false
                            sql: >-
                              DO $$ BEGIN COMMIT;
                              PERFORM pg_terminate_backend(pid) FROM pg_stat_activity
                              WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend';
                              PERFORM pg_sleep(0.5); END $$
                """);
        FixtureProject.include(project, "watcher.yaml");

        OnlineCheck.Report report = traced(project);

        assertThat(report.problems()).as(report.text()).singleElement().asString()
                .startsWith("db/changelog/changes/watcher.yaml::ends_the_watcher: the second session watching the locks of DO $$ BEGIN COMMIT;")
                .contains(" failed while it ran (")
                .endsWith("so its locks are not known; run the check again");
        assertThat(report.failed()).isTrue();
    }

    private static OnlineCheck.Report pendingReport;
    private static List<String> pendingProgress;

    /** The trace of online/pending.yaml, which two tests read: traced once. */
    private synchronized OnlineCheck.Report pendingTraced() throws Exception {
        if (pendingReport == null) {
            List<String> progress = new ArrayList<>();
            pendingReport = OnlineCheck.trace(projectWithPending().resources(), Project.MASTER, OnlineCheckIT::released, progress::add);
            pendingProgress = progress;
        }
        return pendingReport;
    }

    /** {@link #projectWithColumns} with online/pending.yaml as its pending changesets. */
    private Project projectWithPending() throws IOException {
        Project project = projectWithColumns();
        FixtureProject.write(project, "db/changelog/changes/pending.yaml", resource("online/pending.yaml"));
        FixtureProject.write(project, "db/changelog/changes/c16_index.sql", resource("online/c16_index.sql"));
        FixtureProject.include(project, "pending.yaml");
        return project;
    }

    /** FixtureProject's two changesets plus a third that adds nullable columns to fill and change; all three released. */
    private Project projectWithColumns() throws IOException {
        Project project = FixtureProject.create(java.nio.file.Files.createTempDirectory(root, "project"));
        FixtureProject.write(project, "db/changelog/changes/003_add_fixture_parents_columns.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 003_add_fixture_parents_columns
                      author: test
                      changes:
                        - addColumn:
                            tableName: fixture_parents
                            columns:
                              - column: {name: code, type: text}
                              - column: {name: amount, type: int}
                              - column: {name: label, type: varchar(100)}
                """);
        FixtureProject.include(project, "003_add_fixture_parents_columns.yaml");
        return project;
    }

    /** The check on the project, with the changesets of files named 00… released. */
    private static OnlineCheck.Report traced(Project project) throws Exception {
        return OnlineCheck.trace(project.resources(), Project.MASTER, OnlineCheckIT::released, line -> { });
    }

    private static boolean released(String changeSet) {
        return changeSet.startsWith("db/changelog/changes/00");
    }

    private static Finding finding(OnlineCheck.Report report, String id) {
        return report.findings().stream().filter(f -> f.changeSet().endsWith("::" + id)).findFirst().orElseThrow();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = OnlineCheckIT.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
