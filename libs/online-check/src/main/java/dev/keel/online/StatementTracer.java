package dev.keel.online;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Watches every statement that Liquibase sends through a connection while tracing is on, whatever change type or
 * SQL produced it: the lock_timeout in effect, the relation locks the statement took and how long they were held,
 * and the catalog before and after it. Inside a transaction a lock is held until the commit, which this connection
 * sees too. A statement outside one (a {@code runInTransaction: false} changeset) is run twice: first inside a
 * transaction that is rolled back, where this session reads every lock it took exactly, then for real, timed; its
 * locks lasted no longer than that run. A statement PostgreSQL refuses inside a transaction block (CONCURRENTLY,
 * VACUUM) is watched from a second session that samples its locks every {@value #SAMPLE_MS} ms while it runs.
 * Transaction control (BEGIN, COMMIT, ROLLBACK) inside a changeset's transaction is not sent: it is recorded, and the
 * changeset's other statements run on in its transaction.
 */
final class StatementTracer {

    /** How a lock's hold time was measured. */
    enum Held {
        /** From the statement's start to the commit of its transaction. */
        UNTIL_COMMIT("until the commit"),
        /** The statement's own run time, outside a transaction: the lock lasted no longer. */
        STATEMENT("at most: the statement's run time outside a transaction"),
        /** Between the first and last sighting by a second session that samples the locks. */
        SAMPLED("as sampled from a second session");

        final String how;

        Held(String how) {
            this.how = how;
        }
    }

    /** A relation lock a statement took, and for how long it held it. */
    record HeldLock(long relation, String mode, long heldMicros, Held measured) {
    }

    /** The {@code errorState} of a transaction-control statement inside a changeset's transaction, which was not sent. */
    static final String TRANSACTION_CONTROL = "keel:transaction-control";
    static final int SAMPLE_MS = 2;
    private static final java.util.regex.Pattern CONTROL = java.util.regex.Pattern.compile(
            "(?is)\\s*(BEGIN|START\\s+TRANSACTION|COMMIT|END|ABORT|ROLLBACK(?!\\s+(?:WORK\\s+|TRANSACTION\\s+)?TO\\b)|PREPARE\\s+TRANSACTION)\\b.*");

    /**
     * What one statement did. {@code error} is PostgreSQL's SQLSTATE and message when the statement failed;
     * {@code rowsChanged} counts the rows of each table it updated or deleted in a transaction of the changeset's (a
     * batch loop that commits as it goes is no such statement).
     */
    record Traced(String sql, String lockTimeout, List<HeldLock> locks, CatalogState before, CatalogState after,
                  String errorState, String error, Map<Long, Long> rowsRead, Map<Long, Long> rowsChanged) {

        Traced(String sql, String lockTimeout, List<HeldLock> locks, CatalogState before, CatalogState after, String errorState, String error) {
            this(sql, lockTimeout, locks, before, after, errorState, error, Map.of(), Map.of());
        }

        /** Rows the statement read from the table by scanning it (a validation, an index build, a rewrite), 0 when none. */
        long read(long table) {
            return rowsRead.getOrDefault(table, 0L);
        }
    }

    private final Connection real;
    private final Supplier<Connection> watcherConnections;
    private final int pid;
    private boolean active;
    private boolean swallowCommits;
    private CatalogState state;
    private final List<Traced> traced = new ArrayList<>();
    /** Where in {@link #traced} the changeset's first change began; -1 until it does. */
    private int firstChange = -1;
    // Open transaction: when each statement started, the locks it took, and the tracer's own time until then.
    private final List<long[]> transactionStarts = new ArrayList<>();
    private final List<Set<String>> transactionLocks = new ArrayList<>();
    private final List<Integer> transactionStatements = new ArrayList<>();
    private final Set<String> locksSoFar = new LinkedHashSet<>();
    private final List<String> unwatched = new ArrayList<>();
    private long overheadNanos;

    StatementTracer(Connection real, Supplier<Connection> watcherConnections) throws SQLException {
        this.real = real;
        this.watcherConnections = watcherConnections;
        try (Statement statement = real.createStatement(); ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
            row.next();
            this.pid = row.getInt(1);
        }
    }

    /** The connection to hand Liquibase: it runs everything on {@code real} and reports statements here. */
    Connection connection() {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "commit" -> {
                    if (active && swallowCommits) {
                        return null;
                    }
                    Object result = invoke(real, method, args);
                    endTransaction();
                    return result;
                }
                case "rollback" -> {
                    Object result = invoke(real, method, args);
                    if (args == null) {
                        endTransaction();
                    }
                    return result;
                }
                case "setAutoCommit" -> {
                    if (active && swallowCommits) {
                        return null; // a probe stays inside the transaction it will roll back
                    }
                    return invoke(real, method, args);
                }
                default -> {
                    Object result = invoke(real, method, args);
                    if (result instanceof Statement statement) {
                        return statement(statement, method.getName().startsWith("prepare") ? (String) args[0] : null);
                    }
                    return result;
                }
            }
        });
    }

    /**
     * Starts recording. In a probe, commits are held back, so the caller can roll the whole changeset back. Unless
     * {@code catalogUnchanged} (nothing but traced statements and row changes since the last recording), the catalog
     * is read afresh.
     */
    void start(boolean probe, boolean catalogUnchanged) throws SQLException {
        traced.clear();
        firstChange = -1;
        locksSoFar.clear();
        transactionStarts.clear();
        transactionLocks.clear();
        transactionStatements.clear();
        unwatched.clear();
        overheadNanos = 0;
        swallowCommits = probe;
        if (!probe && (state == null || !catalogUnchanged)) {
            state = CatalogState.read(real);
        }
        active = true;
    }

    /**
     * The changeset's first change starts now: what was recorded before it are its preconditions' queries, which are
     * none of its statements.
     */
    void changesStart() {
        if (active && firstChange < 0) {
            firstChange = traced.size();
        }
    }

    /** Stops recording and returns what each statement did, from the first change on where one started. */
    List<Traced> stop() {
        endTransaction(); // a BEGIN the changeset sent itself, outside Liquibase's transaction, ends with the changeset
        active = false;
        swallowCommits = false;
        return List.copyOf(firstChange < 0 ? traced : traced.subList(firstChange, traced.size()));
    }

    /** For each statement of the last recording whose locks could not be watched to its end: why, and what to do. */
    List<String> unwatched() {
        return List.copyOf(unwatched);
    }

    private Object statement(Statement statement, String preparedSql) {
        Class<?> type = statement instanceof CallableStatement ? CallableStatement.class
                : statement instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
        InvocationHandler handler = (proxy, method, args) -> {
            if (!active || !method.getName().startsWith("execute")) {
                return invoke(statement, method, args);
            }
            String sql = args != null && args.length > 0 && args[0] instanceof String text ? text : preparedSql;
            if (sql != null && !real.getAutoCommit() && controlsTransaction(sql)) {
                // Sent, it would end the changeset's transaction (and commit what the probe is about to roll back).
                if (!swallowCommits) {
                    traced.add(new Traced(sql, "", List.of(), state, state, TRANSACTION_CONTROL,
                            "transaction control inside the changeset's transaction; not sent"));
                }
                return notRun(method);
            }
            if (swallowCommits) {
                return invoke(statement, method, args); // a probe only needs the locks its transaction holds at the end
            }
            return traced(sql == null ? "(batch)" : sql, () -> invoke(statement, method, args));
        };
        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, handler);
    }

    /** What an execute call returns for a statement that was not sent. */
    private static Object notRun(Method method) throws SQLException {
        Class<?> type = method.getReturnType();
        if (type == boolean.class) {
            return false;
        } else if (type == int.class) {
            return 0;
        } else if (type == long.class) {
            return 0L;
        } else if (type == int[].class) {
            return new int[0];
        } else if (type == long[].class) {
            return new long[0];
        }
        throw new SQLException("transaction control inside the changeset's transaction cannot return rows");
    }

    /**
     * Whether any statement of the SQL is BEGIN, COMMIT, ROLLBACK (not to a savepoint) or the like: its comments,
     * quoted strings and dollar-quoted bodies (a DO block's BEGIN ... END) are left out first.
     */
    static boolean controlsTransaction(String sql) {
        String code = sql.replaceAll("(?s)\\$((?:[A-Za-z_][A-Za-z_0-9]*)?)\\$.*?\\$\\1\\$", " ").replaceAll("(?s)'(?:[^']|'')*'", " ")
                .replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("--[^\n]*", " ");
        if (code.matches("(?is).*\\bBEGIN\\s+ATOMIC\\b.*")) {
            return false; // a SQL-standard function body, whose END closes it
        }
        for (String part : code.split(";")) {
            if (CONTROL.matcher(part).matches()) {
                return true;
            }
        }
        return false;
    }

    @FunctionalInterface
    private interface Call {
        Object run() throws Throwable;
    }

    private Object traced(String sql, Call call) throws Throwable {
        long overheadStart = System.nanoTime();
        String lockTimeout = query("SELECT current_setting('lock_timeout')").get(0);
        boolean autoCommit = real.getAutoCommit()
                && real.unwrap(org.postgresql.core.BaseConnection.class).getTransactionState() == org.postgresql.core.TransactionState.IDLE;
        CatalogState before = state;
        List<HeldLock> locks = new ArrayList<>();
        Map<Long, Long> read = new LinkedHashMap<>();
        Map<Long, Long> changed = new LinkedHashMap<>();
        Set<String> rehearsed = autoCommit ? rehearsed(call, read, changed) : null;
        LockSampler sampler = autoCommit && rehearsed == null ? new LockSampler(watcherConnections.get(), pid) : null;
        Map<Long, long[]> countsBefore = autoCommit ? Map.of() : rowCounts();
        overheadNanos += System.nanoTime() - overheadStart;
        long start = System.nanoTime();
        Object result;
        try {
            result = call.run();
        } catch (Throwable e) {
            if (sampler != null) {
                sampler.stop();
            }
            if (e instanceof SQLException failed) {
                traced.add(new Traced(sql, lockTimeout, List.of(), before, before, failed.getSQLState(), failed.getMessage()));
            }
            throw e;
        }
        long end = System.nanoTime();
        long afterStart = System.nanoTime();
        if (rehearsed != null) {
            rehearsed.forEach(lock -> locks.add(new HeldLock(relation(lock), mode(lock), (end - start) / 1000, Held.STATEMENT)));
            state = CatalogState.read(real);
        } else if (sampler != null) {
            sampler.stop().forEach((lock, micros) -> locks.add(new HeldLock(relation(lock), mode(lock), Math.min(micros, (end - start) / 1000),
                    Held.SAMPLED)));
            if (sampler.failure() != null) {
                unwatched.add("the second session watching the locks of " + Finding.shortened(sql) + " failed while it ran ("
                        + sampler.failure().getMessage() + "), so its locks are not known; run the check again");
            }
            state = CatalogState.read(real);
        } else {
            Set<String> taken = new LinkedHashSet<>();
            Set<Long> locked = new LinkedHashSet<>();
            for (String lock : locksHeld()) {
                locked.add(relation(lock));
                if (locksSoFar.add(lock)) {
                    taken.add(lock);
                }
            }
            since(countsBefore, read, changed);
            transactionStarts.add(new long[] {start, overheadNanos});
            transactionLocks.add(taken);
            transactionStatements.add(traced.size());
            state = real.getAutoCommit() ? CatalogState.read(real) : before.refreshed(real, locked);
        }
        traced.add(new Traced(sql, lockTimeout, locks, before, state, null, null, read, changed));
        overheadNanos += System.nanoTime() - afterStart;
        return result;
    }

    /**
     * Runs a statement meant for outside a transaction once inside one, reads the locks it took there, and rolls it
     * back: the same statement takes the same locks either way. Null when it cannot be rehearsed: PostgreSQL refuses it
     * inside a transaction block (CONCURRENTLY, VACUUM, a DO block that commits), or it failed there, which the real
     * run then reports if it fails too; either way the real run is watched from a second session instead.
     */
    private Set<String> rehearsed(Call call, Map<Long, Long> read, Map<Long, Long> changed) throws Throwable {
        real.setAutoCommit(false);
        try {
            // Counted from inside the transaction: the session's counts can still hold earlier transactions' until it idles.
            Map<Long, long[]> before = rowCounts();
            call.run();
            since(before, read, changed);
            return locksHeld();
        } catch (SQLException e) {
            return null;
        } finally {
            real.rollback();
            real.setAutoCommit(true);
        }
    }

    /** At the end of a transaction every lock it took is released: each statement's locks were held until now. */
    private void endTransaction() {
        long now = System.nanoTime();
        if (active && !swallowCommits) {
            for (int i = 0; i < transactionStatements.size(); i++) {
                long held = (now - transactionStarts.get(i)[0] - (overheadNanos - transactionStarts.get(i)[1])) / 1000;
                Traced statement = traced.get(transactionStatements.get(i));
                List<HeldLock> locks = new ArrayList<>(statement.locks());
                for (String lock : transactionLocks.get(i)) {
                    locks.add(new HeldLock(relation(lock), mode(lock), held, Held.UNTIL_COMMIT));
                }
                traced.set(transactionStatements.get(i), new Traced(statement.sql(), statement.lockTimeout(), locks, statement.before(),
                        statement.after(), statement.errorState(), statement.error(), statement.rowsRead(), statement.rowsChanged()));
            }
        }
        transactionStarts.clear();
        transactionLocks.clear();
        transactionStatements.clear();
        locksSoFar.clear();
    }

    /** The relation locks this session holds right now (its open transaction's), as {@code oid mode}. */
    Set<String> locksHeld() throws SQLException {
        return new LinkedHashSet<>(query("SELECT relation || ' ' || mode FROM pg_locks WHERE pid = pg_backend_pid()"
                + " AND locktype = 'relation' AND granted AND relation IS NOT NULL"));
    }

    /** The rows read and changed per table since {@code before} was counted in this transaction, into {@code read} and {@code changed}. */
    private void since(Map<Long, long[]> before, Map<Long, Long> read, Map<Long, Long> changed) throws SQLException {
        rowCounts().forEach((table, counts) -> {
            long[] was = before.getOrDefault(table, new long[2]);
            if (counts[0] > was[0]) {
                read.put(table, counts[0] - was[0]);
            }
            if (counts[1] > was[1]) {
                changed.put(table, counts[1] - was[1]);
            }
        });
    }

    /**
     * Per table, the rows this session's open transaction has read so far, by scanning it or through its indexes (a
     * validation, an index build, a rewrite and a data change read rows; a catalog change does not), and the rows it
     * has updated or deleted, as PostgreSQL counts them: {@code {read, changed}}.
     */
    private Map<Long, long[]> rowCounts() throws SQLException {
        Map<Long, long[]> counts = new LinkedHashMap<>();
        try (Statement statement = real.createStatement();
             ResultSet rows = statement.executeQuery("SELECT relid, seq_tup_read + coalesce(idx_tup_fetch, 0), n_tup_upd + n_tup_del"
                     + " FROM pg_stat_xact_user_tables WHERE seq_tup_read + coalesce(idx_tup_fetch, 0) + n_tup_upd + n_tup_del > 0")) {
            while (rows.next()) {
                counts.put(rows.getLong(1), new long[] {rows.getLong(2), rows.getLong(3)});
            }
        }
        return counts;
    }

    static long relation(String lock) {
        return Long.parseLong(lock.substring(0, lock.indexOf(' ')));
    }

    static String mode(String lock) {
        return lock.substring(lock.indexOf(' ') + 1);
    }

    private List<String> query(String sql) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Statement statement = real.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                lines.add(rows.getString(1));
            }
        }
        return lines;
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * Samples another session's relation locks from a second connection while one statement runs, every
     * {@value #SAMPLE_MS} ms: only for statements PostgreSQL refuses inside a transaction block, which hold their
     * SHARE UPDATE EXCLUSIVE for their whole run.
     */
    private static final class LockSampler {

        private final Thread thread;
        private final Map<String, long[]> seen = new LinkedHashMap<>();
        private final CountDownLatch sampling = new CountDownLatch(1);
        private volatile boolean running = true;
        private volatile SQLException failure;

        /** Returns once the first sample is taken, so the statement cannot start, and end, before the sampler looks. */
        LockSampler(Connection connection, int pid) {
            thread = new Thread(() -> sample(connection, pid), "keel-lock-sampler");
            thread.setDaemon(true);
            thread.start();
            try {
                sampling.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void sample(Connection connection, int pid) {
            try (connection; Statement statement = connection.createStatement()) {
                String sql = "SELECT relation || ' ' || mode FROM pg_locks WHERE pid = " + pid
                        + " AND locktype = 'relation' AND granted AND relation IS NOT NULL";
                while (running) {
                    long now = System.nanoTime();
                    try (ResultSet rows = statement.executeQuery(sql)) {
                        while (rows.next()) {
                            long[] span = seen.computeIfAbsent(rows.getString(1), lock -> new long[] {now, now});
                            span[1] = System.nanoTime();
                        }
                    }
                    sampling.countDown();
                    Thread.sleep(SAMPLE_MS);
                }
            } catch (SQLException e) {
                failure = e;
                running = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                sampling.countDown();
            }
        }

        /** Each lock seen, with the time between its first and last sighting, in microseconds. */
        Map<String, Long> stop() {
            running = false;
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Map<String, Long> held = new LinkedHashMap<>();
            seen.forEach((lock, span) -> held.put(lock, (span[1] - span[0]) / 1000));
            return held;
        }

        /** Why the sampler stopped before {@link #stop}, so the locks it reports may be missing some; null when it did not. */
        SQLException failure() {
            return failure;
        }
    }
}
