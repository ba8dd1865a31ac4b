package dev.keel.online;

import dev.keel.db.settings.Settings;
import dev.keel.testdb.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.changelog.ChangeLogHistoryServiceFactory;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.filter.DbmsChangeSetFilter;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.resource.ResourceAccessor;

/**
 * The online-safety check: every changeset that is not released yet is applied to a throwaway database in the
 * state just before it, after the existing tables it touches were filled with {@value #ROWS} rows, and the trace
 * of what each statement did there (locks and how long they were held, rewrites, lock_timeout) decides whether it
 * would hold up a running service. Its command is {@code mvn keel:online-check} (schema-tools' OnlineCheckTool).
 */
public final class OnlineCheck {

    public static final int ROWS = 100_000;
    static final int EXCLUSIVE_LIMIT_MS = 50;
    /**
     * The trace's TimeZone: not UTC, since PostgreSQL skips some rewrites (timestamptz to timestamp and back) only in
     * a session in UTC, and a deploy may run in any zone.
     */
    static final String TRACE_TIME_ZONE = "Europe/Berlin";
    /** {@code keel-allow <rule>: <reason>} in a changeset's comment, once per rule. */
    static final Pattern SUPPRESSION = Pattern.compile("keel-allow\\s+([\\w-]+)\\s*(?::(.*?))?\\s*(?=keel-allow|$)", Pattern.DOTALL);

    private OnlineCheck() {
    }

    /** What the check found; {@code problems} are what fails the check besides error findings (a suppression at fault, a changeset that does not apply). */
    public record Report(int traced, List<Finding> findings, List<Finding> suppressed, List<String> problems, List<String> notes) {

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

    /** Traces each changeset of {@code master} for which {@code released} says no, in changelog order. */
    public static Report trace(Path resources, String master, Predicate<String> released, Consumer<String> progress) throws Exception {
        String database = TestPostgres.createEmptyDatabase();
        try {
            Run run = new Run(database, new DirectoryResourceAccessor(resources), master, released, progress);
            TestPostgres.quietly(() -> Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), run.accessor), run::go));
            return run.report();
        } finally {
            TestPostgres.drop(database);
        }
    }

    private static final class Run {

        final String database;
        final ResourceAccessor accessor;
        final String master;
        final Predicate<String> released;
        final Consumer<String> progress;
        final List<Finding> findings = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final Map<String, ChangeSet> pending = new java.util.LinkedHashMap<>();
        /** Pending changesets that did not apply, in order. */
        final List<String> notApplied = new ArrayList<>();
        /** Fill failures already noted: a table that cannot be filled is named once, not under every changeset. */
        final Set<String> noted = new java.util.HashSet<>();
        /** The strongest lock the last traced changeset took, for its progress line. */
        String strongest;
        /** Whether the catalog is as the tracer last saw it: only traced changesets and generated rows since. */
        boolean catalogKnown;
        Connection real;
        StatementTracer tracer;
        Database liquibaseDatabase;
        DatabaseChangeLog changeLog;

        Run(String database, ResourceAccessor accessor, String master, Predicate<String> released, Consumer<String> progress) {
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
                changeLog = liquibase.getDatabaseChangeLog();
                DbmsChangeSetFilter dbms = new DbmsChangeSetFilter(liquibaseDatabase);
                List<ChangeSet> changeSets = changeLog.getChangeSets().stream().filter(c -> dbms.accepts(c).isAccepted()).toList();
                changeSets.stream().filter(c -> !released.test(key(c))).forEach(c -> pending.put(key(c), c));
                if (pending.isEmpty()) {
                    return;
                }
                ChangeLogHistoryServiceFactory.getInstance().getChangeLogService(liquibaseDatabase).init();
                liquibaseDatabase.commit();
                Set<Long> existing = null;
                SyntheticRows filler = new SyntheticRows(real, ROWS);
                int number = 0;
                for (ChangeSet changeSet : changeSets) {
                    if (!pending.containsKey(key(changeSet))) {
                        apply(changeSet);
                        continue;
                    }
                    if (existing == null) {
                        existing = tables();
                    }
                    number++;
                    long started = System.nanoTime();
                    strongest = "not traced";
                    try {
                        trace(changeSet, existing, filler);
                    } catch (Exception e) {
                        // Whatever went wrong is this changeset's alone: report it, leave the session as it was, go on.
                        problems.add(name(changeSet) + ": could not be traced: " + TestPostgres.rootMessage(e) + dependsOn());
                        notApplied.add(name(changeSet));
                        recover();
                    }
                    sessionSettings(true);
                    progress.accept("[" + number + "/" + pending.size() + "] " + name(changeSet) + " traced in "
                            + (System.nanoTime() - started) / 1_000_000 + " ms: " + strongest + filled(filler.added()));
                }
            } finally {
                real.close();
            }
        }

        /**
         * Traces one pending changeset and applies it. One that does not apply is reported, and the changesets after it
         * are traced all the same: each failure is reported for its own changeset.
         */
        private void trace(ChangeSet changeSet, Set<Long> existing, SyntheticRows filler) throws Exception {
            Set<Long> touched = new LinkedHashSet<>(existing.isEmpty() ? Set.of() : changeSet.isRunInTransaction() ? probe(changeSet) : existing);
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
            tracer.start(false, catalogKnown);
            catalogKnown = false;
            Exception failure = null;
            try {
                changeSet.execute(changeLog, liquibaseDatabase);
            } catch (Exception e) {
                failure = e;
            }
            List<StatementTracer.Traced> statements = tracer.stop();
            strongest = Verdicts.strongestLock(statements);
            List<Finding> found = Verdicts.of(name(changeSet), changeSet.getId(), changeSet.getAuthor(), existing, rows, unfillable, statements);
            findings.addAll(found);
            if (failure != null) {
                liquibaseDatabase.rollback();
                if (found.stream().noneMatch(f -> f.rule() == OnlineRule.CONCURRENTLY_IN_TRANSACTION)) {
                    problems.add(name(changeSet) + ": does not apply: " + TestPostgres.rootMessage(failure) + dependsOn());
                }
                notApplied.add(name(changeSet));
                return;
            }
            real.setAutoCommit(false);
            liquibaseDatabase.markChangeSetExecStatus(changeSet, ChangeSet.ExecType.EXECUTED);
            liquibaseDatabase.commit();
            catalogKnown = true;
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

        /** For a failure after an earlier pending changeset did not apply: the likely reason. */
        private String dependsOn() {
            return notApplied.isEmpty() ? "" : " (it may depend on " + String.join(", ", notApplied) + ", which did not apply)";
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
         * rolled back. A changeset that runs outside a transaction cannot be undone that way: every existing table
         * is filled for it instead.
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
                // The traced run meets the same failure and reports it.
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
            Map<String, Set<String>> allowed = new HashMap<>();
            pending.values().forEach(changeSet -> allowed.put(name(changeSet), suppressions(name(changeSet), changeSet.getComments())));
            Set<String> used = new LinkedHashSet<>();
            for (Finding finding : findings) {
                if (allowed.getOrDefault(finding.changeSet(), Set.of()).contains(finding.ruleId())) {
                    suppressed.add(finding);
                    used.add(finding.changeSet() + " " + finding.ruleId());
                } else {
                    kept.add(finding);
                }
            }
            allowed.forEach((name, rules) -> rules.stream().filter(rule -> !used.contains(name + " " + rule)).forEach(rule ->
                    problems.add(name + ": keel-allow " + rule + " matches no finding; remove it from the changeset's comment")));
            return new Report(pending.size(), kept, suppressed, problems, notes);
        }

        /** The rules a changeset's comment allows; one without a reason, or naming no rule, is a problem. */
        private Set<String> suppressions(String name, String comment) {
            Set<String> rules = new LinkedHashSet<>();
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
                    rules.add(rule);
                }
            }
            return rules;
        }
    }

    /** Liquibase's identity of a changeset: file::id::author. */
    private static String key(ChangeSet changeSet) {
        return changeSet.toString(false);
    }

    /** How the report names a changeset: file::id, short enough for a line and unique in practice. */
    private static String name(ChangeSet changeSet) {
        return changeSet.getFilePath() + "::" + changeSet.getId();
    }
}
