package dev.keel.online;

import dev.keel.db.liquibase.ChangelogFormat;
import dev.keel.db.liquibase.ChangesetFilters;
import dev.keel.db.liquibase.UpdateSelection;
import dev.keel.db.settings.Settings;
import dev.keel.testdb.ChangesetNames;
import dev.keel.testdb.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.change.Change;
import liquibase.changelog.ChangeLogHistoryServiceFactory;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.AbstractChangeExecListener;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.resource.ResourceAccessor;
import liquibase.sql.Sql;
import liquibase.sqlgenerator.SqlGeneratorFactory;
import liquibase.statement.SqlStatement;

/**
 * The online-safety check: every changeset that is not released yet is applied to a throwaway database in the
 * state just before it, after the existing tables it touches were filled with {@value #ROWS} rows, and the trace
 * of what each statement did there (locks and how long they were held, rows read, rewrites, lock_timeout) decides
 * whether it would hold up a running service. With production statistics ({@link ProductionSize}), each
 * write-blocking lock is also estimated at production size. Its command is {@code mvn keel:online-check} (schema-tools' OnlineCheckTool).
 */
public final class OnlineCheck {

    public static final int ROWS = 100_000;
    static final int EXCLUSIVE_LIMIT_MS = 50;
    /** Foreign keys of one changeset whose refusal of the fill's values is put right before it is traced again. */
    private static final int MAX_KEYS_GIVEN = 8;
    private static final Pattern FAILED_SQL = Pattern.compile("(?s)\\[Failed SQL: \\(\\d+\\) (.*)\\]");
    /**
     * The trace's TimeZone: not UTC, since PostgreSQL skips some rewrites (timestamptz to timestamp and back) only in
     * a session in UTC, and a deploy may run in any zone.
     */
    static final String TRACE_TIME_ZONE = "Europe/Berlin";
    /** An identifier in SQL: quoted (group 1, as written) or not (group 2, which PostgreSQL folds to lower case). */
    private static final Pattern IDENTIFIER = Pattern.compile("\"((?:[^\"]|\"\")+)\"|([A-Za-z_][A-Za-z0-9_$]*)");
    /** {@code keel-allow <rule>: <reason>} in a changeset's comment, once per rule. */
    static final Pattern SUPPRESSION = Pattern.compile("keel-allow\\s+([\\w-]+)\\s*(?::(.*?))?\\s*(?=keel-allow|$)", Pattern.DOTALL);

    private OnlineCheck() {
    }

    /**
     * What the check found; {@code problems} are what fails the check besides error findings (a suppression at fault, a
     * changeset that does not apply). {@code reasons} holds the reason a changeset's comment gives for each rule that
     * suppressed a finding ({@code keel-allow <rule>: <reason>}), keyed by the changeset's name and the rule's id; {@link #reason} reads it.
     * {@code leftOut} names ({@code file::id::author}) the changesets not released yet that the update's contexts and
     * labels leave out, which it could not trace.
     */
    public record Report(int traced, List<Finding> findings, List<Finding> suppressed, Map<String, String> reasons, List<String> problems,
            List<String> notes, List<String> leftOut) {

        /** The reason given with {@code keel-allow <rule>: <reason>} for a suppressed finding. */
        public String reason(Finding suppressed) {
            return reasons.get(suppressed.changeSet() + " " + suppressed.ruleId());
        }

        public boolean failed() {
            return !problems.isEmpty() || findings.stream().anyMatch(Finding::isError);
        }

        public String text() {
            StringBuilder text = new StringBuilder();
            findings.forEach(finding -> text.append('\n').append(finding.block()));
            problems.forEach(problem -> text.append("\nERROR ").append(problem).append('\n'));
            notes.forEach(note -> text.append("\nNOTE ").append(note).append('\n'));
            long errors = findings.stream().filter(Finding::isError).count();
            text.append('\n').append(traced).append(traced == 1 ? " pending changeset" : " pending changesets").append(" traced: ")
                    .append(errors).append(" error(s), ").append(findings.size() - errors).append(" warning(s), ")
                    .append(suppressed.size()).append(" suppressed with a reason, ").append(problems.size()).append(" other problem(s)\n");
            return text.toString();
        }
    }

    /**
     * Traces each changeset of {@code master} for which {@code released} says no, in changelog order, with the
     * production statistics the settings name ({@link ProductionSize#configured}), if any.
     */
    public static Report trace(Path resources, String master, Predicate<String> released, Consumer<String> progress) throws Exception {
        return trace(resources, master, released, progress, ProductionSize.configured());
    }

    /**
     * As above; with {@code production}, each changeset that took a write-blocking lock on a table production lists is
     * traced again at {@value ProductionSize#SMALL_ROWS} rows, and its holds are extrapolated to production's rows.
     */
    public static Report trace(Path resources, String master, Predicate<String> released, Consumer<String> progress,
                               ProductionSize production) throws Exception {
        Run full = run(resources, master, released, progress, ROWS, null, production);
        if (production != null && !full.costs.isEmpty()) {
            progress.accept("production size (" + production.file() + "): " + full.costs.size() + " changeset(s) traced again at "
                    + String.format("%,d", ProductionSize.SMALL_ROWS) + " rows to extrapolate their write-blocking locks");
            full.estimate(run(resources, master, released, line -> { }, ProductionSize.SMALL_ROWS, full.costs.keySet(), production));
        }
        return full.report();
    }

    private static Run run(Path resources, String master, Predicate<String> released, Consumer<String> progress, int rows,
                           Set<String> only, ProductionSize production) throws Exception {
        String database = TestPostgres.createEmptyDatabase();
        try {
            Run run = new Run(database, new DirectoryResourceAccessor(resources), master, released, progress, rows, only, production);
            TestPostgres.quietly(() -> Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), run.accessor), run::go));
            return run;
        } finally {
            TestPostgres.drop(database);
        }
    }

    /**
     * A write-blocking lock one statement of a changeset took on an existing table: how long the trace held it, and the
     * table whose rows it scales with ({@code driver}: the one read most while it was held, else its own) with that
     * table's rows in the trace and in production.
     */
    private record Cost(int statement, String sql, String table, String driver, ProductionSize.Table production, String mode, long micros,
                        String measured, long rows, long tableRows, boolean readsRows, long rowsRead) {
    }

    private static final class Run {

        final String database;
        final ResourceAccessor accessor;
        final String master;
        final Predicate<String> released;
        final Consumer<String> progress;
        final int fillRows;
        /** The pending changesets to trace, by name; null for all. The others are applied untraced. */
        final Set<String> only;
        final ProductionSize production;
        /** Per changeset, by name: its write-blocking locks on tables production lists, when production statistics are configured. */
        final Map<String, List<Cost>> costs = new java.util.LinkedHashMap<>();
        /** Per changeset with costs, by name: the changeset as its rewrites replace it, and how many statements it ran. */
        final Map<String, SafeRewrites.Target> targets = new HashMap<>();
        final Map<String, Integer> statementCounts = new HashMap<>();
        final List<Finding> findings = new ArrayList<>();
        /** Findings of foreign keys without an index, with their key, until the end shows whether a later changeset indexed it. */
        final Map<Finding, CatalogState.Constraint> unindexedKeys = new java.util.LinkedHashMap<>();
        final List<String> problems = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final List<String> leftOut = new ArrayList<>();
        final Map<String, ChangeSet> pending = new java.util.LinkedHashMap<>();
        /** Pending changesets that did not apply, in order. */
        final List<String> notApplied = new ArrayList<>();
        /** Pending changesets whose precondition did not hold here, so that nothing of them ran. */
        final Set<String> untraced = new java.util.HashSet<>();
        /** Fill failures already noted: a table that cannot be filled is named once, not under every changeset. */
        final Set<String> noted = new java.util.HashSet<>();
        /** The columns ({@code table:attnum}) of the existing tables, which the fill gives a value in every row. */
        final Set<String> existingColumns = new java.util.HashSet<>();
        /** The strongest lock the last traced changeset took, for its progress line. */
        String strongest;
        /** Whether the catalog is as the tracer last saw it: only traced changesets and generated rows since. */
        boolean catalogKnown;
        Connection real;
        StatementTracer tracer;
        Database liquibaseDatabase;
        DatabaseChangeLog changeLog;

        Run(String database, ResourceAccessor accessor, String master, Predicate<String> released, Consumer<String> progress, int fillRows,
            Set<String> only, ProductionSize production) {
            this.fillRows = fillRows;
            this.only = only;
            this.production = production;
            this.database = database;
            this.accessor = accessor;
            this.master = master;
            this.released = released;
            this.progress = progress;
        }

        void go() throws Exception {
            real = TestPostgres.migrationConnection(database);
            sessionSettings(false);
            tracer = new StatementTracer(real, () -> {
                try {
                    return TestPostgres.migrationConnection(database);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Liquibase liquibase = new Liquibase(master, accessor, new JdbcConnection(tracer.connection()))) {
                liquibaseDatabase = liquibase.getDatabase();
                UpdateSelection selection = UpdateSelection.fromSettings();
                selection.applyTo(liquibase.getChangeLogParameters());
                changeLog = liquibase.getDatabaseChangeLog();
                List<ChangeSet> changeSets = changeLog.getChangeSets().stream().filter(selection::applies).toList();
                changeSets.stream().filter(c -> !released.test(key(c))).forEach(c -> pending.put(key(c), c));
                changeLog.getChangeSets().stream().filter(c -> ChangesetFilters.runByUpdate(c) && !selection.applies(c) && !released.test(key(c))
                        && !pending.containsKey(key(c)) && !leftOut.contains(key(c))).forEach(c -> {
                    leftOut.add(key(c));
                    notes.add(name(c) + ": " + selection.describe() + " leaves it out of the update, so it was not traced; an update that selects"
                            + " it runs it unchecked: check it with -D" + UpdateSelection.CONTEXTS + "=… (or -D" + UpdateSelection.LABELS
                            + "=…) set to a selection that includes it");
                });
                if (pending.isEmpty()) {
                    return;
                }
                ChangeLogHistoryServiceFactory.getInstance().getChangeLogService(liquibaseDatabase).init();
                liquibaseDatabase.commit();
                Set<Long> existing = null;
                SyntheticRows filler = new SyntheticRows(real, fillRows);
                int number = 0;
                for (ChangeSet changeSet : changeSets) {
                    if (!pending.containsKey(key(changeSet))) {
                        // A released changeset after a pending one (an edited runOnChange, say): its tables have rows in production.
                        Set<Long> before = existing == null ? null : tables();
                        try {
                            apply(changeSet);
                        } catch (Exception e) {
                            problems.add(name(changeSet) + ": released, but does not apply " + (existing == null ? "on a new database"
                                    : "after the changesets before it, as it must on a new database") + ": " + TestPostgres.rootMessage(e)
                                    + (existing == null ? ". The check traces what comes after it on a database without it" : ". Change the pending"
                                    + " changeset that breaks it"));
                            recover();
                            continue;
                        }
                        if (existing != null) {
                            Set<Long> created = tables();
                            created.removeAll(before);
                            existing.addAll(created);
                            existingColumns.addAll(columns(created));
                        }
                        continue;
                    }
                    if (existing == null) {
                        existing = tables();
                        existingColumns.addAll(columns(existing));
                    }
                    if (only != null && !only.contains(name(changeSet))) {
                        try {
                            apply(changeSet);
                        } catch (Exception e) {
                            recover(); // the first run reported it
                        }
                        continue;
                    }
                    number++;
                    long started = System.nanoTime();
                    strongest = "not traced";
                    try {
                        trace(changeSet, existing, filler);
                    } catch (Exception e) {
                        // Whatever went wrong is this changeset's alone: report it, leave the session as it was, go on.
                        problems.add(name(changeSet) + ": could not be traced: " + TestPostgres.rootMessage(e) + dependsOn(e));
                        notApplied.add(name(changeSet));
                        recover();
                    }
                    sessionSettings(true);
                    progress.accept("[" + number + "/" + pending.size() + "] " + name(changeSet) + " traced in "
                            + (System.nanoTime() - started) / 1_000_000 + " ms: " + strongest + filled(filler.added()));
                }
                indexedLater();
            } finally {
                real.close();
            }
        }

        /**
         * Drops the finding of a foreign key without an index when a later pending changeset builds one, as a rewrite
         * that builds it {@code CONCURRENTLY} in a changeset of its own must: the deploy that adds the key adds its index.
         */
        private void indexedLater() throws SQLException {
            if (unindexedKeys.isEmpty()) {
                return;
            }
            CatalogState end = CatalogState.read(real);
            real.rollback();
            unindexedKeys.forEach((finding, key) -> {
                if (end.constraints().containsKey(key.oid()) && end.indexLeadsWith(key.table(), key.columns())) {
                    findings.remove(finding);
                }
            });
        }

        /**
         * Traces one pending changeset and applies it. One that does not apply is reported, and the changesets after it
         * are traced all the same: each failure is reported for its own changeset.
         */
        private void trace(ChangeSet changeSet, Set<Long> existing, SyntheticRows filler) throws Exception {
            Set<Long> probed = existing.isEmpty() || !changeSet.isRunInTransaction() ? null : probe(changeSet);
            Set<Long> touched = new LinkedHashSet<>(existing.isEmpty() ? Set.of() : probed != null ? probed : named(changeSet, existing));
            touched.retainAll(existing);
            touched.retainAll(tables()); // an earlier pending changeset may have dropped one
            Map<Long, Long> rows = new HashMap<>();
            Map<Long, String> unfillable = new HashMap<>();
            real.setAutoCommit(true); // each fill attempt stands alone: a rejected one must not abort the next
            filler.clearAdded();
            for (long table : touched) {
                try {
                    filler.fill(table);
                } catch (SyntheticRows.Unfillable e) {
                    unfillable.put(table, e.getMessage());
                    if (noted.add(e.getMessage())) {
                        notes.add(name(changeSet) + ": could not fill " + e.getMessage() + "; it was traced on the rows the table had,"
                                + " and its findings judge it as populated");
                    }
                }
                rows.put(table, count(table));
            }
            real.setAutoCommit(false);
            Attempt attempt = attempt(changeSet);
            // The fill's made-up values can break a foreign key or a CHECK the changeset adds, or not fit a column's new type,
            // where production's real rows hold: those rows get a parent row's key, are deleted, or get a value that fits, and
            // the changeset is traced again. One that ran outside a transaction cannot run again.
            for (int again = 0; again < MAX_KEYS_GIVEN && attempt.failure() != null && changeSet.isRunInTransaction(); again++) {
                liquibaseDatabase.rollback();
                real.setAutoCommit(true);
                boolean given = false;
                if (sqlCause(attempt.failure()) instanceof SQLException refusal) {
                    boolean keysGiven = filler.giveParentKeys(refusal);
                    // The CHECK may have been added NOT VALID by an earlier statement of the changeset, which the refused VALIDATE names.
                    String sql = attempt.statements().stream().map(StatementTracer.Traced::sql).collect(Collectors.joining(";\n"))
                            + ";\n" + failedSql(attempt.failure());
                    String deleted = keysGiven ? null : filler.deleteRowsBreakingCheck(refusal, sql);
                    String fitted = keysGiven || deleted != null ? null : filler.fitMadeUpValues(refusal, sql);
                    given = keysGiven || deleted != null || fitted != null;
                    if (deleted != null) {
                        notes.add(name(changeSet) + ": " + deleted);
                    }
                    if (fitted != null) {
                        notes.add(name(changeSet) + ": " + fitted);
                    }
                }
                real.setAutoCommit(false);
                if (!given) {
                    break;
                }
                for (long table : rows.keySet()) {
                    rows.put(table, count(table));
                }
                attempt = attempt(changeSet);
            }
            Exception failure = attempt.failure();
            ChangeSet.ExecType ran = attempt.ran();
            List<StatementTracer.Traced> statements = attempt.statements();
            if (ran == ChangeSet.ExecType.MARK_RAN || ran == ChangeSet.ExecType.SKIPPED) {
                // Its precondition (onFail or onError: MARK_RAN, CONTINUE) did not hold here, so nothing of it ran.
                untraced.add(name(changeSet));
                notes.add(name(changeSet) + ": its precondition does not hold on the check's database, so its statements did not run"
                        + " and were not traced; where the precondition holds, as in production it may, they run unchecked: review them by hand");
            }
            tracer.unwatched().forEach(why -> problems.add(name(changeSet) + ": " + why));
            strongest = Verdicts.strongestLock(statements);
            SafeRewrites.Target target = new SafeRewrites.Target(changeSet.getId(), changeSet.getAuthor(), ChangelogFormat.of(changeSet),
                    rollbackSql(changeSet), rollbackOfStatements(changeSet), ChangesetText.Carried.of(changeSet));
            List<Finding> found = Verdicts.of(name(changeSet), target, existing, existingColumns, rows, unfillable, statements);
            if (production != null) {
                found = rowsLockedAtProductionSize(changeSet, found, statements, rows);
            }
            findings.addAll(found);
            if (failure == null) {
                List<Finding> unindexed = found.stream().filter(f -> f.rule() == OnlineRule.FOREIGN_KEY_WITHOUT_INDEX).toList();
                List<CatalogState.Constraint> keys = Verdicts.unindexedForeignKeys(statements);
                for (int i = 0; i < unindexed.size() && i < keys.size(); i++) {
                    unindexedKeys.put(unindexed.get(i), keys.get(i));
                }
            }
            // Most rewrites stand for the statement at fault alone, under the changeset's id; the others' would be lost.
            long statementsAtFault = found.stream().filter(f -> f.isError() && f.rule() != OnlineRule.TRANSACTION_CONTROL_IN_TRANSACTION)
                    .map(Finding::statement).distinct().count();
            // SET statements and a backfill of NULLs that the set-not-null rewrite takes over are no statements it would lose.
            boolean backfillTakenOver = found.stream().anyMatch(f -> f.rule() == OnlineRule.SET_NOT_NULL_SCANS);
            long statementCount = statements.stream().map(t -> t.sql().strip()).filter(sql -> !sql.matches("(?is)(SET|SHOW|RESET)\\s.*"))
                    .filter(sql -> !(backfillTakenOver && Verdicts.setsNulls(sql))).count();
            if (statementsAtFault > 1) {
                notes.add(name(changeSet) + ": " + statementsAtFault + " of its statements have errors, and each safe rewrite replaces the"
                        + " whole changeset with the changeset's id: split it first, one statement per changeset with an id of its own,"
                        + " then rewrite each part");
            } else if (statementsAtFault == 1 && statementCount > 1) {
                notes.add(name(changeSet) + ": 1 of its " + statementCount + " statements has an error, and the safe rewrite replaces the"
                        + " whole changeset with that statement's safe form: split it first, one statement per changeset with an id of its"
                        + " own, then rewrite that part");
            }
            if (production != null && failure == null) {
                costs(changeSet, target, existing, rows, statements);
            }
            if (failure != null) {
                liquibaseDatabase.rollback();
                strongest = "did not apply (see below)";
                if (found.stream().noneMatch(f -> f.rule() == OnlineRule.CONCURRENTLY_IN_TRANSACTION)) {
                    problems.add(name(changeSet) + ": does not apply: " + TestPostgres.rootMessage(failure) + dependsOn(failure));
                }
                notApplied.add(name(changeSet));
                return;
            }
            real.setAutoCommit(false);
            liquibaseDatabase.markChangeSetExecStatus(changeSet, ChangeSet.ExecType.EXECUTED);
            liquibaseDatabase.commit();
            catalogKnown = true;
        }

        private record Attempt(ChangeSet.ExecType ran, Exception failure, List<StatementTracer.Traced> statements) {
        }

        /** Runs the changeset once under the tracer, in the transaction the caller opened. */
        private Attempt attempt(ChangeSet changeSet) throws Exception {
            tracer.start(false, catalogKnown);
            catalogKnown = false;
            ChangeSet.ExecType ran = null;
            Exception failure = null;
            try {
                ran = changeSet.execute(changeLog, new AbstractChangeExecListener() {
                    @Override
                    public void willRun(Change change, ChangeSet changeSet, DatabaseChangeLog changeLog, Database database) {
                        tracer.changesStart();
                    }
                }, liquibaseDatabase);
            } catch (Exception e) {
                failure = e;
            }
            return new Attempt(ran, failure, tracer.stop());
        }

        /** The statement Liquibase names in a failure ("[Failed SQL: (0) ALTER TABLE ...]"); null when it names none. */
        private static String failedSql(Throwable failure) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
                Matcher sql = FAILED_SQL.matcher(String.valueOf(cause.getMessage()));
                if (sql.find()) {
                    return sql.group(1);
                }
            }
            return null;
        }

        private static Throwable sqlCause(Throwable failure) {
            Throwable cause = failure;
            while (cause != null && !(cause instanceof SQLException) && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            return cause;
        }

        /**
         * The existing tables that a changeset which runs outside a transaction names in its SQL, directly or through one
         * of their indexes: it cannot be probed in a transaction that is rolled back. Every existing table when its SQL
         * cannot be written out beforehand.
         */
        private Set<Long> named(ChangeSet changeSet, Set<Long> existing) throws SQLException {
            StringBuilder sql = new StringBuilder();
            try {
                for (Change change : changeSet.getChanges()) {
                    for (SqlStatement statement : change.generateStatements(liquibaseDatabase)) {
                        for (Sql generated : SqlGeneratorFactory.getInstance().generateSql(statement, liquibaseDatabase)) {
                            sql.append(generated.toSql()).append('\n');
                        }
                    }
                }
            } catch (Exception | LinkageError e) {
                return existing;
            }
            Set<String> words = new java.util.HashSet<>();
            Matcher word = IDENTIFIER.matcher(sql);
            while (word.find()) {
                words.add(word.group(1) != null ? word.group(1).replace("\"\"", "\"") : word.group(2).toLowerCase(java.util.Locale.ROOT));
            }
            Set<Long> named = new LinkedHashSet<>();
            try (Statement statement = real.createStatement(); ResultSet rows = statement.executeQuery(
                    "SELECT coalesce(i.indrelid, c.oid), c.relname FROM pg_class c LEFT JOIN pg_index i ON i.indexrelid = c.oid"
                            + " WHERE c.relkind IN ('r', 'p', 'i', 'I')")) {
                while (rows.next()) {
                    if (existing.contains(rows.getLong(1)) && words.contains(rows.getString(2))) {
                        named.add(rows.getLong(1));
                    }
                }
            }
            return named;
        }

        /**
         * The changeset's own rollback as SQL: its rollback block, else what Liquibase derives from its changes; null when
         * it has neither, or when Liquibase cannot write it out.
         */
        private List<String> rollbackSql(ChangeSet changeSet) {
            try {
                List<SqlStatement> statements = new ArrayList<>();
                if (!changeSet.getRollback().getChanges().isEmpty()) {
                    for (Change change : changeSet.getRollback().getChanges()) {
                        statements.addAll(List.of(change.generateStatements(liquibaseDatabase)));
                    }
                } else {
                    List<Change> changes = new ArrayList<>(changeSet.getChanges());
                    java.util.Collections.reverse(changes);
                    for (Change change : changes) {
                        if (!change.supportsRollback(liquibaseDatabase)) {
                            return null;
                        }
                        statements.addAll(List.of(change.generateRollbackStatements(liquibaseDatabase)));
                    }
                }
                List<String> sql = sql(statements.toArray(SqlStatement[]::new));
                return changeSet.getChanges().isEmpty() && sql.isEmpty() ? null : sql;
            } catch (Exception | LinkageError e) {
                return null;
            }
        }

        /**
         * Where the changeset has no rollback block, the rollback Liquibase derives from each of its changes, by the SQL of
         * each statement that change runs; empty where it has a block.
         */
        private Map<String, List<String>> rollbackOfStatements(ChangeSet changeSet) {
            Map<String, List<String>> byStatement = new HashMap<>();
            if (!changeSet.getRollback().getChanges().isEmpty()) {
                return byStatement;
            }
            for (Change change : changeSet.getChanges()) {
                try {
                    if (!change.supportsRollback(liquibaseDatabase)) {
                        continue;
                    }
                    List<String> rollback = sql(change.generateRollbackStatements(liquibaseDatabase));
                    for (String statement : sql(change.generateStatements(liquibaseDatabase))) {
                        byStatement.put(SafeRewrites.Target.statementKey(statement), rollback);
                    }
                } catch (Exception | LinkageError e) {
                    // This change's part stays unknown; the rewrite then has no rollback, and RollbackIT asks for one.
                }
            }
            return byStatement;
        }

        private List<String> sql(SqlStatement[] statements) {
            List<String> sql = new ArrayList<>();
            for (SqlStatement statement : statements) {
                for (Sql generated : SqlGeneratorFactory.getInstance().generateSql(statement, liquibaseDatabase)) {
                    sql.add(generated.toSql());
                }
            }
            return sql;
        }

        /** The changeset's write-blocking locks on existing tables that production lists, the strongest per statement and table. */
        private void costs(ChangeSet changeSet, SafeRewrites.Target target, Set<Long> existing, Map<Long, Long> rows, List<StatementTracer.Traced> statements)
                throws SQLException {
            List<Cost> found = new ArrayList<>();
            for (int i = 0; i < statements.size(); i++) {
                StatementTracer.Traced s = statements.get(i);
                Map<Long, StatementTracer.HeldLock> strongest = new java.util.LinkedHashMap<>();
                for (StatementTracer.HeldLock lock : s.locks()) {
                    StatementTracer.HeldLock was = strongest.get(lock.relation());
                    if (existing.contains(lock.relation()) && Verdicts.BLOCKING.contains(lock.mode())
                            && (was == null || Verdicts.strength(lock.mode()) > Verdicts.strength(was.mode()))) {
                        strongest.put(lock.relation(), lock);
                    }
                }
                for (StatementTracer.HeldLock lock : strongest.values()) {
                    // The rows read while the lock was held: by its statement, or until the commit by every later one too.
                    Map<Long, Long> read = new HashMap<>();
                    (lock.measured() == StatementTracer.Held.UNTIL_COMMIT ? statements.subList(i, statements.size()) : List.of(s))
                            .forEach(t -> t.rowsRead().forEach((table, n) -> read.merge(table, n, Long::sum)));
                    long driver = lock.relation();
                    for (Map.Entry<Long, Long> most : read.entrySet().stream().sorted(Map.Entry.<Long, Long>comparingByValue().reversed()).toList()) {
                        String name = qualifiedName(most.getKey());
                        if (name != null && production.table(name) != null) {
                            driver = most.getKey();
                            break;
                        }
                    }
                    String qualified = qualifiedName(driver);
                    ProductionSize.Table table = qualified == null ? null : production.table(qualified);
                    if (table == null) {
                        if (qualified != null && noted.add("production " + qualified)) {
                            notes.add(production.file() + " lists no table " + qualified + ": the locks " + name(changeSet)
                                    + " takes on it were not estimated at production size; export the file again");
                        }
                        continue;
                    }
                    boolean readsRows = Verdicts.rewritten(s, driver) || read.getOrDefault(driver, 0L) > 0;
                    long rowsThen = rows.containsKey(driver) ? rows.get(driver) : read.getOrDefault(driver, 0L);
                    found.add(new Cost(i, s.sql(), Verdicts.tableName(s, lock.relation()), Verdicts.tableName(s, driver), table, lock.mode(),
                            lock.heldMicros(), lock.measured().how, rowsThen, rows.getOrDefault(lock.relation(), 0L), readsRows,
                            read.getOrDefault(driver, 0L)));
                }
            }
            if (!found.isEmpty()) {
                costs.put(name(changeSet), found);
                targets.put(name(changeSet), target);
                statementCounts.put(name(changeSet), Verdicts.statementCount(statements));
            }
        }

        /**
         * With production's sizes, each rows-locked finding scaled to the table's production rows, in proportion to the
         * share of the trace's rows it changed: kept with that estimate above one batch, else left out with a note.
         */
        private List<Finding> rowsLockedAtProductionSize(ChangeSet changeSet, List<Finding> found, List<StatementTracer.Traced> statements,
                                                         Map<Long, Long> rows) throws SQLException {
            List<Finding> kept = new ArrayList<>();
            for (Finding finding : found) {
                StatementTracer.Traced s = finding.rule() != OnlineRule.ROWS_LOCKED ? null
                        : statements.stream().filter(t -> t.sql().equals(finding.statement())).findFirst().orElse(null);
                // The table it names, which a backfill of NULLs the fill never gave may not have changed at all.
                Long table = s == null ? null : java.util.stream.Stream.concat(s.rowsChanged().keySet().stream(), s.before().relations().keySet().stream())
                        .filter(t -> Verdicts.tableName(s, t).equals(finding.table())).findFirst().orElse(null);
                String qualified = table == null ? null : qualifiedName(table);
                ProductionSize.Table size = qualified == null ? null : production.table(qualified);
                long traced = table == null ? 0 : rows.getOrDefault(table, 0L);
                long changed = table == null ? 0 : s.rowsChanged().getOrDefault(table, 0L);
                if (size == null || traced == 0) {
                    kept.add(finding);
                    continue;
                }
                if (changed <= SafeRewrites.BATCH_ROWS) {
                    // A test for NULLs that the fill never gives: as many rows as production's table has may match.
                    String line = String.format("up to the %,d rows %s has in production", size.rows(), qualified);
                    if (size.rows() > SafeRewrites.BATCH_ROWS) {
                        kept.add(finding.withProduction(line + " changed"));
                    } else {
                        notes.add(name(changeSet) + ": " + finding.ruleId() + " left out: " + line + ", no more than one batch of "
                                + String.format("%,d", SafeRewrites.BATCH_ROWS));
                    }
                    continue;
                }
                long estimate = Math.round((double) changed * size.rows() / traced);
                String line = String.format("~%,d of the %,d rows %s has in production changed", estimate, size.rows(), qualified);
                if (estimate > SafeRewrites.BATCH_ROWS) {
                    kept.add(finding.withProduction(line));
                } else {
                    notes.add(name(changeSet) + ": " + finding.ruleId() + " left out: " + line + ", no more than one batch of "
                            + String.format("%,d", SafeRewrites.BATCH_ROWS));
                }
            }
            return kept;
        }

        private String qualifiedName(long table) throws SQLException {
            try (Statement statement = real.createStatement(); ResultSet row = statement.executeQuery(
                    "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = " + table)) {
                return row.next() ? row.getString(1) : null;
            }
        }

        /**
         * Each lock's hold at production size, from this run's trace and {@code small}'s at fewer rows: written under
         * the finding it belongs to, or, when no rule explains it and it exceeds the budget, a finding of its own.
         */
        void estimate(Run small) {
            costs.forEach((changeSet, locks) -> {
                List<Cost> smaller = small.costs.getOrDefault(changeSet, List.of());
                Map<String, Long> worst = new HashMap<>();
                Map<String, String> text = new HashMap<>();
                for (Cost cost : locks) {
                    Cost other = smaller.stream().filter(c -> c.statement() == cost.statement() && c.table().equals(cost.table())).findFirst().orElse(null);
                    String key = cost.sql() + "\n" + cost.table();
                    String line;
                    long micros;
                    String of = cost.driver().equals(cost.table()) ? "" : " of " + cost.driver() + ", which it read while held";
                    String at = String.format("%,d rows", cost.production().rows()) + of + ", " + ProductionSize.bytes(cost.production().bytes());
                    if (other == null || other.rows() >= cost.rows()) {
                        micros = -1;
                        line = "no estimate for " + Verdicts.mode(cost.mode()) + " on " + cost.table() + " (" + at + " in production): "
                                + (other == null ? "the trace at " + String.format("%,d", ProductionSize.SMALL_ROWS) + " rows did not take it"
                                : "both traces had " + String.format("%,d", cost.rows()) + " rows");
                    } else {
                        // Rows read, when both traces counted some, are what the hold grew with: a read of part of the table grows less.
                        boolean byReads = cost.rowsRead() > 0 && other.rowsRead() > 0;
                        long smallRows = byReads ? other.rowsRead() : other.rows();
                        long fullRows = byReads ? cost.rowsRead() : cost.rows();
                        ProductionSize.Estimate estimate = ProductionSize.estimate(other.micros(), smallRows, cost.micros(), fullRows,
                                cost.readsRows(), cost.production().rows());
                        micros = estimate.micros();
                        line = "~" + ProductionSize.duration(micros) + " " + Verdicts.mode(cost.mode()) + " on " + cost.table() + " at " + at
                                + switch (estimate.model()) {
                                    case LINEAR -> "; linear in rows through ";
                                    case PROPORTIONAL -> "; proportional to rows, as it read them and the smaller trace was no faster: ";
                                    case CONSTANT -> cost.readsRows() ? "; constant, as the rows it read did not grow with the table: "
                                            : "; constant, as it read no rows and did not grow with them: ";
                                }
                                + Verdicts.milliseconds(other.micros()) + " at " + String.format("%,d", smallRows) + (byReads ? " rows read and " : " rows and ")
                                + Verdicts.milliseconds(cost.micros()) + " at " + String.format("%,d", fullRows) + (byReads ? " rows read" : " rows") + "; budget "
                                + String.format("%,d", production.budgetMillis()) + " ms" + (micros > production.budgetMillis() * 1000 ? ", exceeded" : "");
                    }
                    if (!worst.containsKey(key) || micros > worst.get(key)) {
                        worst.put(key, micros);
                        text.put(key, line);
                    }
                }
                for (int i = 0; i < findings.size(); i++) {
                    Finding finding = findings.get(i);
                    String key = finding.statement() + "\n" + finding.table();
                    if (finding.changeSet().equals(changeSet) && text.containsKey(key)) {
                        findings.set(i, finding.withProduction(text.remove(key)));
                    }
                }
                SafeRewrites.Target source = targets.get(changeSet);
                for (Cost cost : locks) {
                    String key = cost.sql() + "\n" + cost.table();
                    // A statement an error finding already rewrites (a foreign key's NOT VALID, say) is fixed on every table it locks.
                    boolean rewritten = findings.stream().anyMatch(f -> f.changeSet().equals(changeSet) && f.isError() && f.statement().equals(cost.sql()));
                    if (!rewritten && text.containsKey(key) && worst.get(key) > production.budgetMillis() * 1000) {
                        findings.add(new Finding(OnlineRule.LOCK_BUDGET, changeSet, cost.sql(), Verdicts.mode(cost.mode()) + " on " + cost.table()
                                + " held " + Verdicts.milliseconds(cost.micros()) + " " + cost.measured() + " (" + String.format("%,d", cost.tableRows())
                                + " rows)", SafeRewrites.inBatches(source.oneStatementOf(statementCounts.get(changeSet), cost.sql()), cost.sql()),
                                cost.table(), text.remove(key)));
                    }
                }
            });
        }

        /** After a failure: the next changeset starts in a fresh transaction, on a catalog read afresh. */
        private void recover() throws SQLException {
            tracer.stop();
            if (!real.getAutoCommit()) {
                real.rollback();
            }
            real.setAutoCommit(false); // as after any traced changeset
            catalogKnown = false;
        }

        /**
         * For a failure after an earlier pending changeset did not apply: the likely reason, when PostgreSQL says
         * something it needs does not exist (SQLSTATE 42P01, 42703, 42704, 42883, 3F000); any other refusal is its own.
         */
        private String dependsOn(Throwable failure) {
            String state = null;
            for (Throwable cause = failure; cause != null && state == null; cause = cause.getCause() == cause ? null : cause.getCause()) {
                state = cause instanceof SQLException sql ? sql.getSQLState() : null;
            }
            boolean missing = state == null || Set.of("42P01", "42703", "42704", "42883", "3F000").contains(state);
            return notApplied.isEmpty() || !missing ? "" : " (it may depend on " + String.join(", ", notApplied) + ", which did not apply)";
        }

        /**
         * Back to the session the check set up: what a changeset SET (lock_timeout, search_path, TimeZone) must not
         * carry into the next one's trace.
         */
        private void sessionSettings(boolean reset) throws SQLException {
            boolean autoCommit = real.getAutoCommit();
            real.setAutoCommit(true);
            try (Statement statement = real.createStatement()) {
                if (reset) {
                    statement.execute("RESET ALL");
                }
                statement.execute("SET synchronous_commit TO off");
                // The lock_timeout the db goals run with (DB_LOCK_TIMEOUT_MS), so the trace sees what an update would.
                statement.execute("SET lock_timeout = " + Settings.load().getInt("DB_LOCK_TIMEOUT_MS", 0, Integer.MAX_VALUE));
                statement.execute("SET TimeZone = '" + TRACE_TIME_ZONE + "'");
            }
            real.setAutoCommit(autoCommit);
        }

        /** The rows the fill added for the changeset, per table, for its progress line. */
        private static String filled(Map<String, Integer> added) {
            if (added.isEmpty()) {
                return "";
            }
            StringBuilder text = new StringBuilder("; rows filled: ");
            added.forEach((table, count) -> text.append(text.length() > 16 ? ", " : "").append(table).append(' ').append(String.format("%,d", count)));
            return text.toString();
        }

        /**
         * The existing tables a transactional changeset locks, found by running it in a transaction that is then
         * rolled back; null when it fails there. A changeset that runs outside a transaction cannot be undone that way:
         * see {@link #named}.
         */
        private Set<Long> probe(ChangeSet changeSet) throws Exception {
            tracer.start(true, catalogKnown);
            Set<Long> tables = new LinkedHashSet<>();
            try {
                changeSet.execute(changeLog, liquibaseDatabase);
                for (String lock : tracer.locksHeld()) {
                    tables.add(StatementTracer.relation(lock));
                }
            } catch (Exception e) {
                // The traced run meets the same failure and reports it, or, on values the fill made up, gets past it.
                tables = null;
            } finally {
                tracer.stop();
                real.rollback();
            }
            return tables;
        }

        private void apply(ChangeSet changeSet) throws Exception {
            catalogKnown = false;
            changeSet.execute(changeLog, liquibaseDatabase);
            real.setAutoCommit(false);
            liquibaseDatabase.markChangeSetExecStatus(changeSet, ChangeSet.ExecType.EXECUTED);
            liquibaseDatabase.commit();
        }

        private Set<Long> tables() throws SQLException {
            return CatalogState.tables(real);
        }

        /** The columns of {@code tables}, as {@code table:attnum}. */
        private Set<String> columns(Set<Long> tables) throws SQLException {
            Set<String> columns = new java.util.HashSet<>();
            if (tables.isEmpty()) {
                return columns;
            }
            try (Statement statement = real.createStatement(); ResultSet rows = statement.executeQuery("SELECT attrelid::oid::bigint || ':' || attnum"
                    + " FROM pg_attribute WHERE attnum > 0 AND NOT attisdropped AND attrelid IN ("
                    + tables.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", ")) + ")")) {
                while (rows.next()) {
                    columns.add(rows.getString(1));
                }
            }
            return columns;
        }

        private long count(long table) throws SQLException {
            try (Statement statement = real.createStatement()) {
                String name;
                try (ResultSet row = statement.executeQuery("SELECT " + table + "::regclass::text")) {
                    row.next();
                    name = row.getString(1);
                }
                ResultSet row = statement.executeQuery("SELECT count(*) FROM " + name);
                row.next();
                return row.getLong(1);
            }
        }

        Report report() {
            List<Finding> kept = new ArrayList<>();
            List<Finding> suppressed = new ArrayList<>();
            Map<String, Map<String, String>> allowed = new HashMap<>();
            pending.values().forEach(changeSet -> allowed.put(name(changeSet), suppressions(name(changeSet), changeSet.getComments())));
            Map<String, String> reasons = new LinkedHashMap<>();
            for (Finding finding : findings) {
                String reason = allowed.getOrDefault(finding.changeSet(), Map.of()).get(finding.ruleId());
                if (reason != null) {
                    suppressed.add(finding);
                    reasons.put(finding.changeSet() + " " + finding.ruleId(), reason);
                } else {
                    kept.add(finding);
                }
            }
            allowed.forEach((name, rules) -> rules.keySet().stream().filter(rule -> !reasons.containsKey(name + " " + rule) && !untraced.contains(name)).forEach(rule ->
                    problems.add(name + ": keel-allow " + rule + " matches no finding; remove it from the changeset's comment")));
            return new Report(pending.size(), kept, suppressed, reasons, problems, notes, leftOut);
        }

        /** The rules a changeset's comment allows, each with its reason; one without a reason, or naming no rule, is a problem. */
        private Map<String, String> suppressions(String name, String comment) {
            Map<String, String> rules = new LinkedHashMap<>();
            if (comment == null) {
                return rules;
            }
            Matcher matcher = SUPPRESSION.matcher(comment);
            while (matcher.find()) {
                String rule = matcher.group(1);
                String reason = matcher.group(2) == null ? "" : matcher.group(2).strip();
                if (OnlineRule.byId(rule) == null) {
                    problems.add(name + ": keel-allow " + rule + " names no rule; the rules are "
                            + String.join(", ", java.util.Arrays.stream(OnlineRule.values()).map(r -> r.id).toList()));
                } else if (reason.isEmpty() || reason.startsWith("<")) {
                    problems.add(name + ": keel-allow " + rule + " gives no reason; write why it is safe here: keel-allow " + rule + ": <why>");
                } else {
                    rules.put(rule, reason);
                }
            }
            return rules;
        }
    }

    /** Liquibase's identity of a changeset: file::id::author. */
    private static String key(ChangeSet changeSet) {
        return changeSet.toString(false);
    }

    private static String name(ChangeSet changeSet) {
        return ChangesetNames.of(changeSet);
    }
}
