package dev.keel.online;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.schema.Project;
import dev.keel.schema.testing.FixtureProject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The online check with production statistics planted: a lock the 100,000-row trace held briefly while the changeset
 * scanned another table, or read it through an index, which production says has 500 million rows, is extrapolated
 * past the budget and fails the check; a lock that does not grow with rows does not; a finding of another rule carries its estimate too.
 */
@Isolated
class OnlineProductionSizeIT {

    @TempDir
    Path root;

    @Test
    void aBriefLockOnATableThatIsLargeInProductionExceedsTheBudget() throws Exception {
        Project project = FixtureProject.create(Files.createTempDirectory(root, "project"));
        FixtureProject.write(project, "db/changelog/changes/pending.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: s1_lock_then_scan
                      author: test
                      changes:
                        - sql: LOCK TABLE fixture_parents IN SHARE ROW EXCLUSIVE MODE
                        - sql: DELETE FROM fixture_children WHERE parent_id < 0
                  - changeSet:
                      id: s2_catalog_only
                      author: test
                      changes:
                        - sql: ALTER TABLE fixture_children ADD COLUMN note text
                  - changeSet:
                      id: s3_index
                      author: test
                      changes:
                        - sql: CREATE INDEX ix_fixture_parents__name ON fixture_parents (name)
                  - changeSet:
                      id: s4_lock_then_index_read
                      author: test
                      changes:
                        - sql: LOCK TABLE fixture_parents IN SHARE ROW EXCLUSIVE MODE
                        - sql: SET LOCAL enable_seqscan = off
                        - sql: SET LOCAL enable_bitmapscan = off
                        - sql: SELECT count(parent_id) FROM fixture_children WHERE id <= 20000
                  - changeSet:
                      id: s5_foreign_key
                      author: test
                      changes:
                        - sql: ALTER TABLE fixture_children ADD CONSTRAINT fk_fixture_children__parent_again FOREIGN KEY (parent_id) REFERENCES fixture_parents (id)
                  - changeSet:
                      id: s6_update_every_row
                      author: test
                      changes:
                        - sql: UPDATE fixture_parents SET name = 'renamed'
                  - changeSet:
                      id: s7_update_every_row_of_a_small_table
                      author: test
                      changes:
                        - sql: UPDATE fixture_codes SET label = 'renamed'
                  - changeSet:
                      id: s8_backfill_of_nulls_of_a_small_table
                      author: test
                      changes:
                        - sql: UPDATE fixture_codes SET label = 'none' WHERE label IS NULL
                """);
        FixtureProject.write(project, "db/changelog/changes/003_create_fixture_codes.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 003_create_fixture_codes
                      author: test
                      changes:
                        - sql: CREATE TABLE fixture_codes (id bigint CONSTRAINT pk_fixture_codes PRIMARY KEY, label text)
                """);
        FixtureProject.include(project, "003_create_fixture_codes.yaml");
        FixtureProject.include(project, "pending.yaml");
        Path stats = Files.writeString(root.resolve("production.csv"), """
                schemaname,relname,rows,bytes
                public,fixture_children,5e+08,64424509440
                public,fixture_parents,20000000,2147483648
                public,fixture_codes,40,8192
                "public","a ""quoted"", name",-1,8192
                """);
        List<String> progress = new ArrayList<>();

        OnlineCheck.Report report = OnlineCheck.trace(project.resources(), Project.MASTER, c -> c.startsWith("db/changelog/changes/00"),
                progress::add, ProductionSize.read(stats, 1_000));
        String text = report.text();

        assertThat(report.findings()).as(text).extracting(f -> f.changeSet().substring(f.changeSet().indexOf("::") + 2) + " " + f.ruleId())
                .filteredOn(f -> !f.startsWith("s4_"))
                .as("a statement that a rule already rewrites gets no second finding for its lock on another table: " + text)
                .containsExactlyInAnyOrder("s1_lock_then_scan lock-budget", "s3_index index-not-concurrent", "s5_foreign_key constraint-without-not-valid",
                        "s5_foreign_key foreign-key-without-index", "s6_update_every_row rows-locked");
        // A busy machine can stretch its index read past 50 ms, a write-blocking-lock finding instead; either carries the estimate.
        assertThat(report.findings()).as(text).filteredOn(f -> f.changeSet().endsWith("::s4_lock_then_index_read")).singleElement()
                .extracting(Finding::ruleId).isIn("lock-budget", "write-blocking-lock");
        Finding budget = report.findings().stream().filter(f -> f.ruleId().equals("lock-budget")).findFirst().orElseThrow();
        assertThat(budget.evidence()).as(text).containsPattern("^SHARE ROW EXCLUSIVE on fixture_parents held \\d+(\\.\\d)? ms until the commit \\(100,000 rows\\)$");
        assertThat(Double.parseDouble(budget.evidence().replaceAll(".* held ([\\d.]+) ms .*", "$1")))
                .as("the 100,000-row trace held it briefly: no rule of its own").isLessThan(OnlineCheck.EXCLUSIVE_LIMIT_MS);
        assertThat(budget.block()).as(text).containsPattern("  production:   ~\\d+(\\.\\d)? (s|min \\d+ s|h) SHARE ROW EXCLUSIVE on fixture_parents at"
                + " 500,000,000 rows of fixture_children, which it read while held, 60\\.0 GB; (linear in rows through|proportional to rows, as it read them and the smaller trace was no faster:)"
                + " \\d+(\\.\\d)? ms at 10,000 rows read and \\d+(\\.\\d)? ms at 100,000 rows read;"
                + " budget 1,000 ms, exceeded\n");
        assertThat(report.findings().stream().filter(f -> f.changeSet().endsWith("::s4_lock_then_index_read")).findFirst().orElseThrow().block())
                .as("rows read through an index are rows read: the lock scales with the table read while it was held").contains(" SHARE ROW EXCLUSIVE on fixture_parents at"
                        + " 500,000,000 rows of fixture_children, which it read while held, 60.0 GB; ")
                .as("it grew with the 10,000 and 20,000 rows it read, not with the table's 10,000 and 100,000")
                .containsPattern(" ms at 10,0\\d\\d rows read and \\d+(\\.\\d)? ms at 20,0\\d\\d rows read; budget 1,000 ms, exceeded\n");
        assertThat(report.findings().stream().filter(f -> f.ruleId().equals("index-not-concurrent")).findFirst().orElseThrow().production())
                .as(text).startsWith("~").containsPattern(" SHARE on fixture_parents at 20,000,000 rows, 2\\.0 GB; (linear|proportional) ");
        assertThat(progress).as(text).anyMatch(line -> line.startsWith("production size (" + stats + "): 5 changeset(s) traced again at 10,000 rows"));
        assertThat(report.findings().stream().filter(f -> f.ruleId().equals("rows-locked")).findFirst().orElseThrow().production())
                .as(text).isEqualTo("~20,000,000 of the 20,000,000 rows public.fixture_parents has in production changed");
        assertThat(report.notes()).as(text).contains("db/changelog/changes/pending.yaml::s7_update_every_row_of_a_small_table: rows-locked left out:"
                + " ~40 of the 40 rows public.fixture_codes has in production changed, no more than one batch of 10,000",
                "db/changelog/changes/pending.yaml::s8_backfill_of_nulls_of_a_small_table: rows-locked left out: up to the 40 rows"
                        + " public.fixture_codes has in production, no more than one batch of 10,000");
        assertThat(report.failed()).isTrue();
    }
}
