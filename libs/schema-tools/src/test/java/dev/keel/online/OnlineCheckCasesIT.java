package dev.keel.online;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.schema.Project;
import dev.keel.schema.testing.FixtureProject;
import dev.keel.testdb.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The online check on the shapes real schemas have and on changesets that used to defeat it, all traced in one run
 * (one fill): online/cases.yaml on online/cases-released.yaml's tables, followed by {@value #PLANTED} planted index
 * builds and as many drops outside a transaction, each of whose locks must be seen every time.
 */
@Isolated
class OnlineCheckCasesIT {

    static final int PLANTED = 20;
    /** The changesets of online/cases.yaml. */
    static final int CASES = 51;

    @TempDir
    static Path root;

    private static OnlineCheck.Report report;
    private static final List<String> progress = new ArrayList<>();

    @Test
    void eachCaseGetsItsRuleAndNoChangesetAbortsTheOthers() throws Exception {
        OnlineCheck.Report report = traced();
        String text = report.text();

        assertThat(report.findings()).as(text).filteredOn(f -> f.changeSet().contains("::k"))
                .extracting(f -> f.changeSet().substring(f.changeSet().indexOf("::") + 2) + " " + f.ruleId())
                .containsExactlyInAnyOrder(
                        "k01_join_table_check constraint-without-not-valid",
                        "k01_join_table_foreign_key constraint-without-not-valid",
                        "k02_domain_constraint domain-constraint-scans",
                        "k02_domain_constraint domain-constraint-scans",
                        "k03_timestamptz_to_timestamp type-change-rewrites",
                        "k03_timestamptz_to_timestamp timestamp-without-time-zone",
                        "k06_commit_inside transaction-control-in-transaction",
                        "k07_truncate truncate",
                        "k12_enum_and_function_check constraint-without-not-valid",
                        "k13_generated_column_rewrites volatile-default-rewrites",
                        "k15_partition_check constraint-without-not-valid",
                        "k16_partitioned_set_not_null set-not-null-scans",
                        "k16_partitioned_set_not_null set-not-null-scans",
                        "k16_partitioned_set_not_null set-not-null-scans",
                        "k21_domain_validate domain-constraint-scans",
                        "k22_domain_set_not_null domain-constraint-scans",
                        "k24_reindex write-blocking-lock",
                        "k25_cluster access-exclusive-held",
                        "k27_vacuum_full access-exclusive-held",
                        "k28_exclusion_constraint access-exclusive-held",
                        "k29_set_unlogged access-exclusive-held",
                        "k30_identity_column volatile-default-rewrites",
                        "k31_attach_partition access-exclusive-held",
                        "k32_check_not_valid_validated_at_once access-exclusive-held",
                        "k38_using_same_type_rewrites access-exclusive-held",
                        "k39_refresh_materialized_view access-exclusive-held",
                        "k41_update_every_row rows-locked",
                        "k42_delete_half_the_rows rows-locked",
                        "k44_not_null_backfilled set-not-null-scans",
                        "k45_delete_cascades rows-locked",
                        "k46_varchar_column_on_existing_table varchar-length",
                        "k49_backfill_of_nulls_the_fill_lacks rows-locked");
        assertThat(report.suppressed()).extracting(f -> f.changeSet().substring(f.changeSet().indexOf("::") + 2) + " " + f.ruleId())
                .containsExactly("k08_drop_table drop");
        assertThat(report.problems()).as("each failure is its own changeset's, and the run goes on").containsExactly(
                "db/changelog/changes/cases.yaml::k10_does_not_apply: does not apply: ERROR: relation \"fixture_nowhere\" does not exist",
                "db/changelog/changes/cases.yaml::k23_domain_check_refused: does not apply: ERROR: column \"amount\" of table \"fixture_amounts\""
                        + " contains values that violate the new constraint",
                "db/changelog/changes/cases.yaml::k26_vacuum_full_refused_in_transaction: does not apply: ERROR: VACUUM cannot run inside a"
                        + " transaction block");
        assertThat(progress).as(text).hasSize(CASES + 2 * PLANTED);
        assertThat(progress.get(11)).startsWith("[12/" + (CASES + 2 * PLANTED) + "] db/changelog/changes/cases.yaml::k11_safe_after_a_failure traced in ");
    }

    @Test
    void aJoinTableWithACompositeKeyOfForeignKeysAndAColumnOfADomainWithACheckAreFilled() throws Exception {
        OnlineCheck.Report report = traced();

        assertThat(report.notes()).as("no table left unfilled, no changeset left untraced; a rewrite of one statement of two says so: "
                + report.text()).containsExactly("db/changelog/changes/cases.yaml::k32_check_not_valid_validated_at_once: 1 of its 2"
                + " statements has an error, and the safe rewrite replaces the whole changeset with that statement's safe form: split it"
                + " first, one statement per changeset with an id of its own, then rewrite that part");
        assertThat(finding(report, "k02_domain_constraint").evidence()).contains("(100,000 rows)");
        assertThat(finding(report, "k01_join_table_check").evidence()).as(report.text())
                .containsPattern("^ACCESS EXCLUSIVE on fixture_parent_tags held \\d+(\\.\\d)? ms until the commit \\(100,000 rows\\); no rewrite");
        assertThat(finding(report, "k01_join_table_foreign_key").evidence()).as(report.text())
                .containsPattern("^SHARE ROW EXCLUSIVE on fixture_parent_tags held \\d+(\\.\\d)? ms until the commit \\(100,000 rows\\); no rewrite");
        assertThat(progress.get(0)).as("the progress line gives the rows filled per table")
                .endsWith("rows filled: fixture_parents 1,000, fixture_tags 1,000, fixture_parent_tags 100,000");
    }

    @Test
    void aDomainConstraintIsJudgedOnEveryTableThatUsesTheDomain() throws Exception {
        List<Finding> domain = traced().findings().stream().filter(f -> f.changeSet().endsWith("::k02_domain_constraint")).toList();

        assertThat(domain).extracting(Finding::evidence).anyMatch(e -> e.startsWith("SHARE on fixture_events held "))
                .anyMatch(e -> e.startsWith("SHARE on fixture_tags held "));
        assertThat(domain.get(0).block())
                .contains("ERROR domain-constraint-scans: adding or validating a domain's CHECK or NOT NULL scans every table")
                .contains("ALTER DOMAIN fixture_code ADD CONSTRAINT ck_fixture_code__length CHECK ((char_length(VALUE) <= 40)) NOT VALID")
                .contains("ALTER DOMAIN fixture_code VALIDATE CONSTRAINT ck_fixture_code__length");
    }

    @Test
    void aRewriteThatOnlyATimeZoneOtherThanUtcMakesIsFound() throws Exception {
        Finding finding = finding(traced(), "k03_timestamptz_to_timestamp");
        assertThat(finding.evidence())
                .contains("table rewritten").contains("the session's TimeZone is Europe/Berlin").contains("only in a session whose TimeZone is UTC");
        assertThat(finding.rewrite()).contains("The backfill's cast reads each value in the deploy session's TimeZone", "AT TIME ZONE '<zone>'");
    }

    @Test
    void aPartitionedTableWhosePartitionsHaveTheirOwnKeysAndCoverFewValuesIsFilledPartitionByPartition() throws Exception {
        OnlineCheck.Report report = traced();

        assertThat(finding(report, "k15_partition_check").evidence()).as(report.text())
                .startsWith("ACCESS EXCLUSIVE on fixture_readings_2000 held ").contains("(50,000 rows)");
        assertThat(report.findings()).filteredOn(f -> f.changeSet().endsWith("::k16_partitioned_set_not_null")).extracting(Finding::evidence)
                .anyMatch(e -> e.startsWith("ACCESS EXCLUSIVE on fixture_readings held ") && e.contains("(100,000 rows)"))
                .anyMatch(e -> e.startsWith("ACCESS EXCLUSIVE on fixture_readings_old held ") && e.contains("(50,000 rows)"));
        assertThat(finding(report, "k12_enum_and_function_check").evidence()).as("an enum, a function CHECK and a generated column")
                .startsWith("ACCESS EXCLUSIVE on fixture_moods held ").contains("(100,000 rows)");
    }

    @Test
    void aLockHeldWhileTheTableIsReadIsAFindingHoweverShortOnTheTracesRows() throws Exception {
        OnlineCheck.Report report = traced();

        assertThat(finding(report, "k32_check_not_valid_validated_at_once").evidence()).as(report.text())
                .startsWith("ACCESS EXCLUSIVE on fixture_locks held ").contains("100,000 rows read while it was held");
        assertThat(finding(report, "k24_reindex").evidence()).startsWith("SHARE on fixture_locks held ").contains("; 100,000 rows read;");
        assertThat(finding(report, "k27_vacuum_full").evidence()).contains("as sampled from a second session").contains("table rewritten");
    }

    @Test
    void transactionControlInATransactionalChangesetIsItsOwnFinding() throws Exception {
        Finding control = finding(traced(), "k06_commit_inside");

        assertThat(control.statement()).isEqualTo("COMMIT");
        assertThat(control.rewrite()).contains("INSERT INTO fixture_scratch (id) VALUES (-1)").contains("INSERT INTO fixture_scratch (id) VALUES (-2)")
                .doesNotContain("COMMIT;").doesNotContain("runInTransaction");
    }

    @Test
    void aGeneratedColumnIsRewrittenAsAPlainColumnFilledInBatchesNotAsADefault() throws Exception {
        Finding generated = finding(traced(), "k13_generated_column_rewrites");

        assertThat(generated.rewrite()).as("PostgreSQL refuses a default that reads a column")
                .contains("ALTER TABLE fixture_moods ADD COLUMN tripled bigint").contains("SET tripled = (id * 3)")
                .contains("trigger, keeps it current").doesNotContain("SET DEFAULT");
    }

    @Test
    void aMaterializedViewRefreshedWithoutConcurrentlyBlocksItsReaders() throws Exception {
        Finding refresh = finding(traced(), "k39_refresh_materialized_view");

        assertThat(refresh.evidence()).startsWith("ACCESS EXCLUSIVE on fixture_archive_totals");
        assertThat(refresh.rewrite()).contains("REFRESH MATERIALIZED VIEW CONCURRENTLY fixture_archive_totals").contains("unique index");
    }

    @Test
    void anUpdateOrDeleteOfManyRowsInOneTransactionIsRewrittenAsCommittedBatchesByKey() throws Exception {
        OnlineCheck.Report report = traced();

        Finding update = finding(report, "k41_update_every_row");
        assertThat(update.evidence()).as(report.text())
                .startsWith("rows updated or deleted in one transaction: 100,000 of fixture_locks; ROW EXCLUSIVE on fixture_locks held ");
        assertThat(update.rewrite()).contains("runInTransaction: false")
                .containsSubsequence("SELECT id FROM fixture_locks WHERE id >= keel_from ORDER BY id LIMIT 10000",
                        "UPDATE fixture_locks SET note = 'seen'\n", "WHERE id BETWEEN keel_from AND keel_upto;", "COMMIT;");
        assertThat(finding(report, "k42_delete_half_the_rows").rewrite())
                .contains("DELETE FROM fixture_events\n").contains("WHERE id BETWEEN keel_from AND keel_upto AND (id % 2 = 0);");
        Finding cascade = finding(report, "k45_delete_cascades");
        assertThat(cascade.table()).as("the table the statement names, not the one its cascade changed").isEqualTo("fixture_orders");
        assertThat(cascade.evidence()).containsPattern("^rows updated or deleted in one transaction: [\\d,]+ of fixture_orders, [\\d,]+ of fixture_order_lines; ");
        assertThat(cascade.rewrite()).contains("SELECT id FROM fixture_orders WHERE id >= keel_from").contains("DELETE FROM public.fixture_orders\n");
        assertThat(finding(report, "k49_backfill_of_nulls_the_fill_lacks").evidence()).as(report.text())
                .startsWith("note IS NULL matched 0 of the filled rows, which give note a value in every row; in production every row of"
                        + " fixture_locks whose note is NULL is changed in one transaction; ROW EXCLUSIVE on fixture_locks held ");
        assertThat(finding(report, "k49_backfill_of_nulls_the_fill_lacks").rewrite()).contains("runInTransaction: false")
                .contains("SELECT id FROM fixture_locks WHERE id >= keel_from ORDER BY id LIMIT 10000");
        assertThat(finding(report, "k46_varchar_column_on_existing_table").rewrite()).as("the form of k47, which passes")
                .containsSubsequence("# In the changeset that adds fixture_events.source, the column as text:", "- column: {name: source, type: text}",
                        "# and, after the change that adds it, this change:",
                        "ALTER TABLE fixture_events ADD CONSTRAINT ck_fixture_events__source_length CHECK (char_length(source) <= 64) NOT VALID",
                        "# Then, after that changeset:", "id: k46_varchar_column_on_existing_table_validate", "ALTER TABLE fixture_events VALIDATE CONSTRAINT ck_fixture_events__source_length");
    }

    @Test
    void truncateIsItsOwnRuleWithWhatWasMeasured() throws Exception {
        Finding truncate = finding(traced(), "k07_truncate");

        assertThat(truncate.evidence()).startsWith("ACCESS EXCLUSIVE on fixture_archive held ").contains("(100,000 rows)");
        assertThat(truncate.rewrite()).contains("runInTransaction: false").contains("DELETE FROM fixture_archive WHERE ctid IN");
    }

    @Test
    void everyWriteBlockingLockOfAStatementOutsideATransactionIsSeen() throws Exception {
        OnlineCheck.Report report = traced();
        for (int i = 0; i < PLANTED; i++) {
            assertThat(finding(report, "p" + i + "_create").evidence()).as("run %d", i)
                    .startsWith("SHARE on fixture_parents held ").contains("at most: the statement's run time outside a transaction");
            assertThat(finding(report, "p" + i + "_drop").evidence()).as("run %d", i).startsWith("ACCESS EXCLUSIVE on fixture_parents held ");
        }
    }

    @Test
    void aRetriedConcurrentBuildDropsTheInvalidIndexAFailedOneLeft() throws Exception {
        String database = TestPostgres.createEmptyDatabase();
        try (Connection connection = TestPostgres.migrationConnection(database); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE fixture_codes (code text)");
            statement.execute("INSERT INTO fixture_codes VALUES ('a'), ('a')");
            String build = "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS uq_fixture_codes__code ON fixture_codes (code)";
            try {
                statement.execute(build);
            } catch (SQLException duplicate) {
                // The failed build leaves uq_fixture_codes__code behind, INVALID.
            }
            statement.execute("DELETE FROM fixture_codes WHERE ctid = (SELECT min(ctid) FROM fixture_codes)");

            statement.execute(InvalidIndexes.dropIfInvalid(List.of("uq_fixture_codes__code")));
            statement.execute(build);

            try (ResultSet valid = statement.executeQuery("SELECT indisvalid FROM pg_index WHERE indexrelid = 'uq_fixture_codes__code'::regclass")) {
                assertThat(valid.next()).isTrue();
                assertThat(valid.getBoolean(1)).as("the retry built the index, not skipped it").isTrue();
            }
        } finally {
            TestPostgres.drop(database);
        }
        assertThat(SafeRewrites.concurrentIndex(new SafeRewrites.Target("c", "a", dev.keel.db.liquibase.ChangelogFormat.YAML, null), "CREATE INDEX ix ON t USING btree (c)", "ix"))
                .containsSubsequence("DROP INDEX ' || invalid", "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix ON t");
    }

    private static synchronized OnlineCheck.Report traced() throws Exception {
        if (report == null) {
            Project project = FixtureProject.create(Files.createTempDirectory(root, "cases"));
            FixtureProject.write(project, "db/changelog/changes/003_cases_setup.yaml", resource("online/cases-released.yaml"));
            FixtureProject.include(project, "003_cases_setup.yaml");
            StringBuilder cases = new StringBuilder(resource("online/cases.yaml"));
            for (int i = 0; i < PLANTED; i++) {
                cases.append(planted("p" + i + "_create", "CREATE INDEX ix_fixture_parents__name ON fixture_parents (name)"))
                        .append(planted("p" + i + "_drop", "DROP INDEX ix_fixture_parents__name"));
            }
            FixtureProject.write(project, "db/changelog/changes/cases.yaml", cases.toString());
            FixtureProject.include(project, "cases.yaml");
            report = OnlineCheck.trace(project.resources(), Project.MASTER, changeSet -> changeSet.startsWith("db/changelog/changes/00"), progress::add);
        }
        return report;
    }

    private static String planted(String id, String sql) {
        return """
                  - changeSet:
                      id: %s
                      author: test
                      runInTransaction: false
                      changes:
                        - sql: %s
                """.formatted(id, sql);
    }

    private static Finding finding(OnlineCheck.Report report, String id) {
        return report.findings().stream().filter(f -> f.changeSet().endsWith("::" + id)).findFirst()
                .orElseThrow(() -> new AssertionError("no finding for " + id + " in" + report.text()));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = OnlineCheckCasesIT.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
