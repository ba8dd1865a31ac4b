package dev.keel.dbtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.db.settings.Settings;
import dev.keel.testdb.Catalog;
import dev.keel.testdb.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Real {@code mvn -pl db liquibase:update} runs against one database: concurrent processes apply each changeset once,
 * a process killed with SIGKILL mid-changeset leaves neither a lock nor half a changeset, and a changeset blocked by
 * another session gives up on the lock_timeout, naming that session. Only the first two need processes of their own;
 * the other runs go through Maven inside this JVM. The three tests run side by side, each on a database of its own
 * (advisory locks belong to one database), since most of their time is spent waiting for those processes.
 */
class LockIT {

    private static final String[] LOCK_CHANGELOG = {
        "-Dliquibase.searchPath=" + Settings.root().resolve("libs/db-tests/src/test/resources"),
        "-Dliquibase.changeLogFile=lock/changelog.yaml"
    };

    private static final String[] LOCK_TIMEOUT_CHANGELOG = {
        "-Dliquibase.searchPath=" + Settings.root().resolve("libs/db-tests/src/test/resources"),
        "-Dliquibase.changeLogFile=lock-timeout/changelog.yaml"
    };

    /** These runs wait inside a changeset on purpose, for as long as the test needs, so without a lock_timeout. */
    private static final Map<String, String> NO_LOCK_TIMEOUT = Map.of("DB_LOCK_TIMEOUT_MS", "0");

    private String database;
    private Connection gate;

    @BeforeEach
    void holdTheGate() throws SQLException {
        database = TestPostgres.createEmptyDatabase();
        gate = TestPostgres.server().connect(database);
        execute(gate, "SELECT pg_advisory_lock(424242)");
    }

    @AfterEach
    void close() throws SQLException {
        gate.close();
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void concurrentUpdatesApplyEveryChangesetExactlyOnce() throws Exception {
        List<MavenRun> runs = IntStream.range(0, 3)
                .mapToObj(i -> MavenRun.start(TestPostgres.server(), database, NO_LOCK_TIMEOUT, "liquibase:update", LOCK_CHANGELOG))
                .toList();
        awaitUntil(() -> "one run blocked inside the changeset and two waiting for the changelog lock; " + runs, () ->
                runs.stream().allMatch(MavenRun::isRunning) && blockedInsideChangeset() == 1
                        && runs.stream().filter(run -> run.output().contains("Waiting for changelog lock")).count() == 2);

        execute(gate, "SELECT pg_advisory_unlock(424242)");
        for (MavenRun run : runs) {
            assertThat(run.awaitExit().exitCode()).as(run.output()).isZero();
        }
        assertThat(query("SELECT id || ' ' || count(*) FROM databasechangelog GROUP BY id ORDER BY id"))
                .containsExactly("lock_probe_create 1", "lock_probe_second 1");
        assertThat(query("SELECT id::text FROM lock_probe ORDER BY id")).containsExactly("1", "2");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void killedUpdateLeavesNoLockAndNoHalfAppliedChangeset() throws Exception {
        MavenRun killed = MavenRun.start(TestPostgres.server(), database, NO_LOCK_TIMEOUT, "liquibase:update", LOCK_CHANGELOG);
        awaitUntil(() -> "the update blocked inside its first changeset; " + killed,
                () -> killed.isRunning() && blockedInsideChangeset() == 1);

        String orphan = query(BLOCKED_BACKEND).get(0);
        killed.kill();
        // client_connection_check_interval on the goals' connection: the server notices the vanished client mid-statement.
        Instant killedAt = Instant.now();
        awaitUntil(() -> "the killed run's backend to end", () -> backendCount(orphan) == 0);
        assertThat(Duration.between(killedAt, Instant.now())).as("time until the killed run's session, and its lock, ended")
                .isLessThan(Duration.ofSeconds(3));
        assertThat(query("SELECT count(*)::text FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid <> 424242"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"))
                .as("advisory locks still held on this test's database").containsExactly("0");
        execute(gate, "SELECT pg_advisory_unlock(424242)");
        assertThat(query("SELECT to_regclass('lock_probe')::text")).as("table of the killed changeset").containsExactly((String) null);
        assertThat(query("SELECT count(*)::text FROM databasechangelog")).containsExactly("0");
        assertThat(query("SELECT count(*)::text FROM pg_tables WHERE tablename = 'databasechangeloglock'")).containsExactly("0");

        MavenRun next = MavenRun.run(TestPostgres.server(), database, NO_LOCK_TIMEOUT, "liquibase:update", LOCK_CHANGELOG);
        assertThat(next.exitCode()).as(next.output()).isZero();
        assertThat(next.output()).doesNotContain("Waiting for changelog lock");
        assertThat(query("SELECT id FROM databasechangelog ORDER BY orderexecuted")).containsExactly("lock_probe_create", "lock_probe_second");
        assertThat(query("SELECT id::text FROM lock_probe ORDER BY id")).containsExactly("1", "2");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void changesetBlockedByAnotherSessionGivesUpNamingItAndAppliesNothing() throws Exception {
        String blockerPid;
        try (Connection blocker = TestPostgres.server().connect(database)) {
            execute(blocker, "CREATE TABLE lock_timeout_probe (id int)");
            blocker.setAutoCommit(false);
            blockerPid = Catalog.lines(blocker, "SELECT pg_backend_pid()::text").get(0);
            execute(blocker, "SELECT count(*) FROM lock_timeout_probe"); // ACCESS SHARE until the transaction ends

            MavenRun blocked = MavenRun.run(TestPostgres.server(), database, Map.of("DB_LOCK_TIMEOUT_MS", "1000", "DB_LOCK_RETRIES", "1"),
                    "liquibase:update", LOCK_TIMEOUT_CHANGELOG);

            assertThat(blocked.exitCode()).as(blocked.output()).isNotZero();
            assertThat(blocked.output()).as(blocked.output())
                    .containsPattern("Changeset lock-timeout/changelog.yaml::lock_timeout_probe_note gave up after waiting 1s .*held by pid "
                            + blockerPid + " .*; rolled back, attempt 1 of 2, retrying in \\d\\.\\d s\\R")
                    .contains("Changeset lock-timeout/changelog.yaml::lock_timeout_probe_note gave up after waiting 1s")
                    .contains("held by pid " + blockerPid + " (")
                    .contains("idle in transaction")
                    .contains("SELECT count(*) FROM lock_timeout_probe")
                    .contains("Nothing of this changeset was applied in 2 attempts (DB_LOCK_RETRIES). Retry the update");
            assertThat(query("SELECT count(*)::text FROM information_schema.columns WHERE table_name = 'lock_timeout_probe'"
                    + " AND column_name = 'note'")).as("the column of the timed-out changeset").containsExactly("0");
            assertThat(query("SELECT count(*)::text FROM databasechangelog")).containsExactly("0");
        }

        MavenRun retried = MavenRun.run(TestPostgres.server(), database, Map.of("DB_LOCK_TIMEOUT_MS", "1000"),
                "liquibase:update", LOCK_TIMEOUT_CHANGELOG);
        assertThat(retried.exitCode()).as(retried.output()).isZero();
        assertThat(query("SELECT id FROM databasechangelog")).containsExactly("lock_timeout_probe_note");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void changesetThatGaveUpOnALockIsRetriedAndAppliedOnceWhenTheLockIsFree() throws Exception {
        try (Connection blocker = TestPostgres.server().connect(database)) {
            execute(blocker, "CREATE TABLE lock_timeout_probe (id int)");
            blocker.setAutoCommit(false);
            execute(blocker, "SELECT count(*) FROM lock_timeout_probe"); // ACCESS SHARE until the transaction ends

            MavenRun retrying = MavenRun.start(TestPostgres.server(), database, Map.of("DB_LOCK_TIMEOUT_MS", "500", "DB_LOCK_RETRIES", "3"),
                    "liquibase:update", LOCK_TIMEOUT_CHANGELOG);
            awaitUntil(() -> "the second attempt to give up; " + retrying, () -> retrying.output().contains("attempt 2 of 4"));
            blocker.commit();

            assertThat(retrying.awaitExit().exitCode()).as(retrying.output()).isZero();
            assertThat(retrying.output()).as(retrying.output())
                    .containsPattern("lock_timeout_probe_note gave up after waiting 500ms .*; rolled back, attempt 1 of 4, retrying in \\d\\.\\d s")
                    .containsPattern("lock_timeout_probe_note gave up after waiting 500ms .*; rolled back, attempt 2 of 4, retrying in \\d\\.\\d s")
                    .doesNotContain("attempt 3 of 4")
                    .doesNotContain("Nothing of this changeset was applied");
        }
        assertThat(query("SELECT id || ' ' || count(*) FROM databasechangelog GROUP BY id")).containsExactly("lock_timeout_probe_note 1");
        assertThat(query("SELECT count(*)::text FROM information_schema.columns WHERE table_name = 'lock_timeout_probe'"
                + " AND column_name = 'note'")).containsExactly("1");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void changesetOutsideATransactionThatGaveUpIsNotRetried() throws Exception {
        try (Connection blocker = TestPostgres.server().connect(database)) {
            execute(blocker, "CREATE TABLE lock_timeout_probe (id int)");
            blocker.setAutoCommit(false);
            execute(blocker, "SELECT count(*) FROM lock_timeout_probe");

            MavenRun blocked = MavenRun.run(TestPostgres.server(), database, Map.of("DB_LOCK_TIMEOUT_MS", "300", "DB_LOCK_RETRIES", "3"),
                    "liquibase:update", "-Dliquibase.searchPath=" + Settings.root().resolve("libs/db-tests/src/test/resources"),
                    "-Dliquibase.changeLogFile=lock-timeout-outside/changelog.yaml");

            assertThat(blocked.exitCode()).as(blocked.output()).isNotZero();
            assertThat(blocked.output()).as(blocked.output())
                    .contains("lock_timeout_probe_note_outside gave up after waiting 300ms")
                    .contains("runInTransaction: false, so its statements before this one may have been applied and it is not retried")
                    .doesNotContain("attempt 1 of 4");
        }
    }

    private static final String BLOCKED_BACKEND = "SELECT pid::text FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            + " AND objid = 424242 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";

    private int blockedInsideChangeset() {
        try {
            return query(BLOCKED_BACKEND).size();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private int backendCount(String pid) {
        try {
            return query("SELECT pid FROM pg_stat_activity WHERE pid = " + Integer.parseInt(pid)).size();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Through the gate's session, which holds only the advisory lock, so that polling opens no connection per look. */
    private List<String> query(String sql) throws SQLException {
        return Catalog.lines(gate, sql);
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void awaitUntil(Supplier<String> what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline) || what.get().contains("BUILD FAILURE")) {
                throw new AssertionError("Timed out waiting for " + what.get());
            }
            Thread.sleep(200);
        }
    }
}
