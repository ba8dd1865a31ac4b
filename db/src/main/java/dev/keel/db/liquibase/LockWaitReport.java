package dev.keel.db.liquibase;

import dev.keel.db.settings.Settings;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import liquibase.Scope;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.AbstractChangeExecListener;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import org.postgresql.Driver;

/**
 * Names the session a changeset waited for when it failed on the goals' {@code lock_timeout} (DB_LOCK_TIMEOUT_MS).
 * Once the lock wait has ended, PostgreSQL no longer says who held the lock, so while a changeset runs a second
 * connection looks every {@value #LOOK_EVERY_MS} ms at {@code pg_blocking_pids} of the update's session and keeps
 * what it last saw. The changeset itself is rolled back by Liquibase, as any failed changeset is.
 */
public final class LockWaitReport extends AbstractChangeExecListener {

    static final long LOOK_EVERY_MS = 100;
    /** lock_not_available: the statement gave up waiting for a lock. */
    static final String LOCK_NOT_AVAILABLE = "55P03";

    private static final String BLOCKERS = """
            SELECT 'pid ' || pid || ' (' || coalesce(usename, '?') || ', ' || coalesce(state, '?')
                   || coalesce(' for ' || extract(epoch FROM now() - coalesce(xact_start, state_change))::int || ' s', '')
                   || '): ' || coalesce(left(regexp_replace(query, '\\s+', ' ', 'g'), 200), '')
            FROM pg_stat_activity WHERE pid = ANY (pg_blocking_pids(%d)) ORDER BY pid""";

    private final Database database;
    private ScheduledExecutorService watcher;
    private Connection watching;
    private volatile String lastBlockers;
    private String lockTimeout = "the lock_timeout";

    /** The signature Liquibase tries first; it warns on every update about each one it tries in vain. */
    public LockWaitReport(Database database, Properties ignoredListenerProperties) {
        this.database = database;
    }

    @Override
    public void willRun(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database, ChangeSet.RunStatus runStatus) {
        stop();
        lastBlockers = null;
        Integer pid = session();
        if (pid == null) {
            return;
        }
        watcher = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "keel-lock-wait-report");
            thread.setDaemon(true);
            return thread;
        });
        // The first look comes after one interval, so a changeset that does not wait costs no connection.
        watcher.scheduleWithFixedDelay(() -> look(pid), LOOK_EVERY_MS, LOOK_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void ran(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database, ChangeSet.ExecType execType) {
        stop();
    }

    @Override
    public void runFailed(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database, Exception exception) {
        stop();
        if (!lockTimedOut(exception)) {
            return;
        }
        String blockers = lastBlockers;
        Scope.getCurrentScope().getUI().sendMessage(message(changeSet.getFilePath() + "::" + changeSet.getId(), lockTimeout, blockers));
    }

    static String message(String changeSet, String lockTimeout, String blockers) {
        return "Changeset " + changeSet + " gave up after waiting " + lockTimeout + " (lock_timeout, DB_LOCK_TIMEOUT_MS) for a lock"
                + (blockers == null || blockers.isEmpty() ? " held by another session, which ended before it could be named"
                        : " held by " + blockers)
                + ". Nothing of this changeset was applied. Retry the update once that session has finished"
                + (blockers == null || blockers.isEmpty() ? "" : ", or end it with SELECT pg_terminate_backend(<pid>)") + ".";
    }

    private static boolean lockTimedOut(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && LOCK_NOT_AVAILABLE.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private void look(int pid) {
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
        String url = database.getConnection().getURL();
        return new Driver().connect(url.substring(0, url.indexOf('?') < 0 ? url.length() : url.indexOf('?')), properties);
    }

    /** The update's backend pid, noting its lock_timeout on the way; null when it cannot be asked. */
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

    private void stop() {
        if (watcher != null) {
            watcher.shutdownNow();
            try {
                watcher.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            watcher = null;
        }
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
