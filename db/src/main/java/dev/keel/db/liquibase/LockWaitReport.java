package dev.keel.db.liquibase;

import dev.keel.db.settings.Settings;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import liquibase.Scope;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.AbstractChangeExecListener;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.executor.ExecutorService;
import liquibase.executor.LoggingExecutor;
import org.postgresql.Driver;

/**
 * Names the session a changeset waited for when it failed on the goals' {@code lock_timeout} (DB_LOCK_TIMEOUT_MS).
 * Once the lock wait has ended, PostgreSQL no longer says who held the lock, so while a changeset runs a second
 * connection looks every {@value #LOOK_EVERY_MS} ms at {@code pg_blocking_pids} of the update's session and keeps
 * what it last saw. The changeset itself is rolled back by Liquibase, as any failed changeset is. As Liquibase takes one
 * listener, this one also arms {@link InterruptReport} while each changeset runs or rolls back, and asks
 * {@link RollbackOrder} before each rollback.
 */
public final class LockWaitReport extends AbstractChangeExecListener {

    static final long LOOK_EVERY_MS = 100;

    private static final String BLOCKERS = """
            SELECT 'pid ' || pid || ' (' || coalesce(usename, '?') || ', ' || coalesce(state, '?')
                   || coalesce(' for ' || extract(epoch FROM now() - coalesce(xact_start, state_change))::int || ' s', '')
                   || '): ' || coalesce(left(regexp_replace(query, '\\s+', ' ', 'g'), 200), '')
            FROM pg_stat_activity WHERE pid = ANY (pg_blocking_pids(%d)) ORDER BY pid""";

    private final Database database;
    /** One thread for the whole update, ended when idle, rather than one per changeset. */
    private final ScheduledThreadPoolExecutor watcher = new ScheduledThreadPoolExecutor(1, task -> {
        Thread thread = new Thread(task, "keel-lock-wait-report");
        thread.setDaemon(true);
        return thread;
    });
    private final Object looking = new Object();
    private ScheduledFuture<?> nextLooks;
    /** Which changeset's looks may still report: a look that was already under way when its changeset ended does not. */
    private long round;
    private Connection watching;
    private volatile String lastBlockers;
    private Integer pid;
    private boolean pidAsked;
    private String lockTimeout = "the lock_timeout";

    /** The signature Liquibase tries first; it warns on every update about each one it tries in vain. */
    public LockWaitReport(Database database, Properties ignoredListenerProperties) {
        this.database = database;
        watcher.setKeepAliveTime(1, TimeUnit.SECONDS);
        watcher.allowCoreThreadTimeOut(true);
        watcher.setRemoveOnCancelPolicy(true);
    }

    @Override
    public void willRun(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database, ChangeSet.RunStatus runStatus) {
        if (runsStatements(database)) {
            InterruptReport.arm(changeSet, false);
        }
        stop();
        lastBlockers = null;
        if (!pidAsked) {
            pidAsked = true;
            pid = session();
        }
        if (pid == null) {
            return;
        }
        int session = pid;
        long mine;
        synchronized (looking) {
            mine = round;
        }
        // The first look comes after one interval, so a changeset that does not wait costs no connection.
        nextLooks = watcher.scheduleWithFixedDelay(() -> look(session, mine), LOOK_EVERY_MS, LOOK_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void ran(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database, ChangeSet.ExecType execType) {
        InterruptReport.disarm();
        stop();
    }

    @Override
    public void willRollback(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database) {
        RollbackOrder.refuseSkipping(changeSet, databaseChangeLog, database);
        if (runsStatements(database)) {
            InterruptReport.arm(changeSet, true);
        }
    }

    /** False for updateSQL and rollbackSQL, whose executor writes the SQL down instead of running it. */
    private static boolean runsStatements(Database database) {
        return !(Scope.getCurrentScope().getSingleton(ExecutorService.class).getExecutor("jdbc", database) instanceof LoggingExecutor);
    }

    @Override
    public void rolledBack(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database) {
        InterruptReport.disarm();
    }

    @Override
    public void rollbackFailed(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database, Exception exception) {
        InterruptReport.disarm();
    }

    @Override
    public void runFailed(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database, Exception exception) {
        InterruptReport.disarm();
        stop();
        if (!LockRetries.lockTimedOut(exception)) {
            return;
        }
        LockRetries.Attempt attempt = Scope.getCurrentScope().get(LockRetries.ATTEMPT, LockRetries.Attempt.class);
        Scope.getCurrentScope().getUI().sendMessage(message(changeSet.getFilePath() + "::" + changeSet.getId(), lockTimeout, lastBlockers,
                changeSet.isRunInTransaction() ? attempt : null, changeSet.isRunInTransaction()));
    }

    /** One line: on an attempt that will be retried, what happened and when the next one starts; else the whole story. */
    static String message(String changeSet, String lockTimeout, String blockers, LockRetries.Attempt attempt, boolean inTransaction) {
        boolean named = blockers != null && !blockers.isEmpty();
        String waited = "Changeset " + changeSet + " gave up after waiting " + lockTimeout + " (lock_timeout, DB_LOCK_TIMEOUT_MS) for a lock"
                + (named ? " held by " + blockers : " held by another session, which ended before it could be named");
        if (attempt != null && attempt.retryFollows()) {
            return waited + "; rolled back, attempt " + attempt.number() + " of " + attempt.of() + ", retrying in "
                    + String.format(java.util.Locale.ROOT, "%.1f", attempt.delayMs() / 1000.0) + " s";
        }
        if (!inTransaction) {
            return waited + ". The changeset has runInTransaction: false, so its statements before this one may have been applied"
                    + " and it is not retried: check what it left, then run the update again once that session has finished"
                    + (named ? ", or end it with SELECT pg_terminate_backend(<pid>)" : "") + ".";
        }
        return waited + ". Nothing of this changeset was applied"
                + (attempt != null && attempt.of() > 1 ? " in " + attempt.of() + " attempts (DB_LOCK_RETRIES)" : "")
                + ". Retry the update once that session has finished"
                + (named ? ", or end it with SELECT pg_terminate_backend(<pid>)" : "") + ".";
    }

    private void look(int pid, long forRound) {
        synchronized (looking) {
            if (forRound == round) {
                lookNow(pid);
            }
        }
    }

    private void lookNow(int pid) {
        try {
            if (watching == null) {
                watching = connect();
            }
            try (Statement statement = watching.createStatement(); ResultSet rows = statement.executeQuery(BLOCKERS.formatted(pid))) {
                StringBuilder blockers = new StringBuilder();
                while (rows.next()) {
                    blockers.append(blockers.isEmpty() ? "" : "; ").append(rows.getString(1));
                }
                if (!blockers.isEmpty()) {
                    lastBlockers = blockers.toString();
                }
            }
        } catch (SQLException | RuntimeException e) {
            // Only the report is lost; the update goes on and fails or succeeds on its own.
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", database.getConnection().getConnectionUserName());
        properties.setProperty("password", Settings.load().get("DB_PASSWORD"));
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("ApplicationName", "keel-lock-wait-report");
        // The update's own URL, TLS settings included.
        return new Driver().connect(database.getConnection().getURL(), properties);
    }

    /** The update's backend pid, noting its lock_timeout on the way; null when it cannot be asked. Asked once: a session keeps its pid. */
    private Integer session() {
        if (!(database.getConnection() instanceof JdbcConnection jdbc)) {
            return null;
        }
        try (Statement statement = jdbc.getUnderlyingConnection().createStatement();
             ResultSet row = statement.executeQuery("SELECT pg_backend_pid(), current_setting('lock_timeout')")) {
            if (!row.next()) {
                return null;
            }
            lockTimeout = row.getString(2);
            return row.getInt(1);
        } catch (SQLException e) {
            return null;
        }
    }

    /** Stops looking; a look under way finishes first, so what it saw is kept. */
    private void stop() {
        if (nextLooks != null) {
            nextLooks.cancel(false);
            nextLooks = null;
        }
        synchronized (looking) {
            round++;
            if (watching != null) {
                try {
                    watching.close();
                } catch (SQLException ignored) {
                    // closing a monitoring connection
                }
                watching = null;
            }
        }
    }
}
