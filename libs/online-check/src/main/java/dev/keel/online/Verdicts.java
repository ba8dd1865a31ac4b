package dev.keel.online;

import dev.keel.online.CatalogState.Column;
import dev.keel.online.CatalogState.Constraint;
import dev.keel.online.CatalogState.Index;
import dev.keel.online.CatalogState.Relation;
import dev.keel.online.StatementTracer.HeldLock;
import dev.keel.online.StatementTracer.Traced;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what the trace saw into findings: the catalog before and after each statement says what it did (a new
 * index, a validated constraint, a changed type, a rename), and its locks and rewritten tables say what that cost
 * on tables that held rows. Tables the pending changesets created themselves are new and empty, so only the
 * rules about the new schema's shape apply to them. Every table that existed before is judged as populated, as it is
 * in production, whether or not the check could fill it; when it could not, the evidence says so and why.
 */
final class Verdicts {

    /** Lock modes that block writes (SHARE and above) or, for ACCESS EXCLUSIVE, reads too. */
    static final Set<String> BLOCKING = Set.of("ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock");

    private final String changeSet;
    private final SafeRewrites.Target target;
    /** How many statements the changeset ran, for the target of a rewrite that keeps one of them. */
    private int statementCount;
    private final Set<Long> existing;
    private final Set<String> existingColumns;
    private final Map<Long, Long> rows;
    private final Map<Long, String> unfilled;
    private final List<Finding> findings = new ArrayList<>();
    private List<Traced> statements = List.of();
    /** The index of the statement being judged. */
    private int current;

    /**
     * @param existing        tables that existed before the first pending changeset
     * @param existingColumns their columns then, as {@code table:attnum}
     * @param rows            rows of each table when the changeset began, for the tables it touches
     * @param unfilled        why the check could not fill a table, for those it could not
     */
    Verdicts(String changeSet, SafeRewrites.Target target, Set<Long> existing, Set<String> existingColumns, Map<Long, Long> rows,
             Map<Long, String> unfilled) {
        this.changeSet = changeSet;
        this.target = target;
        this.existing = existing;
        this.existingColumns = existingColumns;
        this.rows = rows;
        this.unfilled = unfilled;
    }

    static List<Finding> of(String changeSet, SafeRewrites.Target target, Set<Long> existing, Set<String> existingColumns, Map<Long, Long> rows,
                            Map<Long, String> unfilled, List<Traced> statements) {
        Verdicts verdicts = new Verdicts(changeSet, target, existing, existingColumns, rows, unfilled);
        verdicts.statements = statements;
        verdicts.statementCount = statementCount(statements);
        for (verdicts.current = 0; verdicts.current < statements.size(); verdicts.current++) {
            verdicts.statement(statements.get(verdicts.current));
        }
        verdicts.transactionControl(statements);
        verdicts.foreignKeysWithoutIndex(statements);
        verdicts.rowsLockedUntilCommit(statements);
        return verdicts.findings;
    }

    /**
     * The value an earlier statement of the changeset gave the column's NULLs ({@code UPDATE t SET c = v WHERE c IS NULL},
     * as Liquibase renders {@code addNotNullConstraint} with {@code defaultNullValue}), or null when none did.
     */
    private String nullsSetTo(String table, String column) {
        Pattern update = Pattern.compile("(?is)\\s*UPDATE\\s+(?:ONLY\\s+)?([\\w.\"]+)\\s+SET\\s+\"?" + Pattern.quote(column)
                + "\"?\\s*=\\s*(.+?)\\s+WHERE\\s+\"?" + Pattern.quote(column) + "\"?\\s+IS\\s+NULL\\s*;?\\s*");
        for (int i = current - 1; i >= 0; i--) {
            Matcher matched = update.matcher(statements.get(i).sql());
            if (matched.matches() && unqualified(matched.group(1)).equalsIgnoreCase(unqualified(table))) {
                return matched.group(2);
            }
        }
        return null;
    }

    /** Whether a statement gives a column's NULLs a value, as {@link #nullsSetTo} reads it: the set-not-null rewrite backfills it. */
    static boolean setsNulls(String sql) {
        return sql.matches("(?is)\\s*UPDATE\\s+(?:ONLY\\s+)?[\\w.\"]+\\s+SET\\s+(\"?[\\w$]+\"?)\\s*=\\s*.+?\\s+WHERE\\s+\\1\\s+IS\\s+NULL\\s*;?\\s*");
    }

    private static String unqualified(String name) {
        return name.substring(name.lastIndexOf('.') + 1).replace("\"", "");
    }

    /** The changeset's own statements, without the search_path Liquibase shows and sets around each of them on PostgreSQL. */
    /** The target of a rewrite that keeps statement {@code s} alone. */
    private SafeRewrites.Target oneStatement(Traced s) {
        return target.oneStatementOf(statementCount, s.sql());
    }

    static int statementCount(List<Traced> statements) {
        return (int) statements.stream().map(Traced::sql).map(String::strip)
                .filter(sql -> !sql.matches("(?is)(SHOW|SET)\\s+SEARCH_PATH\\b.*")).count();
    }

    /** A table that existed before the pending changesets has rows in production, whatever the fill managed here. */
    private boolean populated(long table) {
        return existing.contains(table);
    }

    private void statement(Traced s) {
        if (s.errorState() != null) {
            if ("25001".equals(s.errorState()) && s.error().contains("CONCURRENTLY")) {
                add(OnlineRule.CONCURRENTLY_IN_TRANSACTION, s, "PostgreSQL refused it: " + firstLine(s.error()),
                        SafeRewrites.outsideTransaction(oneStatement(s), s.sql()));
            }
            return;
        }
        CatalogState before = s.before();
        CatalogState after = s.after();
        Set<Long> explained = new HashSet<>();

        for (Index index : after.indexes().values()) {
            if (!before.indexes().containsKey(index.oid()) && !recreated(before, after, index) && populated(index.table()) && blocking(s, index.table())
                    && after.constraints().values().stream().noneMatch(c -> c.index() == index.oid() && !before.constraints().containsKey(c.oid()))) {
                explain(explained, index.table(), OnlineRule.INDEX_NOT_CONCURRENT, s,
                        SafeRewrites.concurrentIndex(target, index.definition(), after.name(index.oid())));
            }
        }
        for (Index index : before.indexes().values()) {
            if (!after.indexes().containsKey(index.oid()) && !recreated(after, before, index) && after.relations().containsKey(index.table())
                    && populated(index.table())
                    && holds(s, index.table(), "AccessExclusiveLock")
                    && before.constraints().values().stream().noneMatch(c -> c.index() == index.oid())) {
                explain(explained, index.table(), OnlineRule.INDEX_NOT_CONCURRENT, s,
                        SafeRewrites.concurrentDropIndex(target, index.definition(), before.name(index.oid())));
            }
        }
        for (Constraint constraint : after.constraints().values()) {
            if (before.constraints().containsKey(constraint.oid()) || !populated(constraint.table()) || recreated(before, constraint)) {
                continue;
            }
            String table = after.name(constraint.table());
            if ((constraint.type() == 'f' || constraint.type() == 'c') && constraint.validated()) {
                explain(explained, constraint.table(), OnlineRule.CONSTRAINT_WITHOUT_NOT_VALID, s,
                        SafeRewrites.notValidThenValidate(target, table, constraint.identifier(), constraint.definition()));
            } else if ((constraint.type() == 'u' || constraint.type() == 'p') && !before.indexes().containsKey(constraint.index())) {
                Index index = after.indexes().get(constraint.index());
                explain(explained, constraint.table(), OnlineRule.UNIQUE_WITHOUT_INDEX, s, SafeRewrites.uniqueUsingIndex(target, table,
                        constraint.identifier(), constraint.definition(), index == null ? null : index.definition()));
            }
        }
        for (Column column : after.columns().values()) {
            Column was = before.column(column.table(), column.number());
            if (!existing.contains(column.table())) {
                if (was == null) {
                    shape(s, after, column, false);
                }
                continue;
            }
            String table = after.name(column.table());
            boolean rewritten = rewritten(s, column.table());
            if (was == null) {
                if (rewritten) {
                    explain(explained, column.table(), OnlineRule.VOLATILE_DEFAULT_REWRITES, s, column.generated()
                            ? SafeRewrites.generatedWithoutRewrite(target, table, column.identifier(), column.type(), column.defaultExpression())
                            : SafeRewrites.defaultWithoutRewrite(target, table, column.identifier(), column.type(), column.defaultExpression(),
                                    column.notNull()));
                }
                shape(s, after, column, true);
                continue;
            }
            if (!was.name().equals(column.name())) {
                explain(explained, column.table(), OnlineRule.RENAME, s, SafeRewrites.renameColumn(target, table, was.identifier(), column.identifier(), column.type()));
            }
            if (!was.type().equals(column.type()) && rewritten) {
                explained.add(column.table());
                String zone = timeZoneDependent(was.type(), column.type())
                        ? "; rewritten because the session's TimeZone is " + OnlineCheck.TRACE_TIME_ZONE
                        + " (PostgreSQL skips this rewrite only in a session whose TimeZone is UTC)" : "";
                add(OnlineRule.TYPE_CHANGE_REWRITES, s, column.table(), evidence(s, column.table()) + zone,
                        SafeRewrites.newColumnOfType(target, table, column.identifier(), column.type(), !zone.isEmpty()));
            }
            if (!was.type().equals(column.type()) && withoutTimeZone(column.type())) {
                add(OnlineRule.TIMESTAMP_WITHOUT_TIME_ZONE, s, table + "." + column.name() + " changed from " + was.type() + " to " + column.type(),
                        SafeRewrites.keepType(target, table, column.name(), was.type()));
            }
            if (!was.notNull() && column.notNull() && populated(column.table()) && !before.provesNotNull(column.table(), column.identifier())) {
                explain(explained, column.table(), OnlineRule.SET_NOT_NULL_SCANS, s,
                        SafeRewrites.notNullByCheck(target, table, column.identifier(), nullsSetTo(table, column.identifier())));
            }
        }
        for (Column column : before.columns().values()) {
            if (existing.contains(column.table()) && after.relations().containsKey(column.table())
                    && after.column(column.table(), column.number()) == null) {
                explain(explained, column.table(), OnlineRule.DROP, s, SafeRewrites.acknowledgedDrop(oneStatement(s), s.sql(), "column " + column.name()));
            }
        }
        for (Relation relation : before.relations().values()) {
            if (!relation.isTable() || !existing.contains(relation.oid())) {
                continue;
            }
            Relation now = after.relations().get(relation.oid());
            if (now != null && rewritten(s, relation.oid()) && s.sql().stripLeading().regionMatches(true, 0, "TRUNCATE", 0, 8)) {
                explain(explained, relation.oid(), OnlineRule.TRUNCATE, s, SafeRewrites.deleteInBatches(oneStatement(s), relation.name()));
            } else if (now == null) {
                explain(explained, relation.oid(), OnlineRule.DROP, s, SafeRewrites.acknowledgedDrop(oneStatement(s), s.sql(), "table " + relation.name()));
            } else if (!now.name().equals(relation.name())) {
                explain(explained, relation.oid(), OnlineRule.RENAME, s, SafeRewrites.renameTable(target, relation.name(), now.name()));
            }
        }
        domainConstraints(s, explained);
        for (HeldLock lock : s.locks()) {
            Relation view = before.relations().get(lock.relation());
            if (view != null && view.kind() == 'm' && lock.mode().equals("AccessExclusiveLock")
                    && s.sql().strip().matches("(?is)REFRESH\\s+MATERIALIZED\\s+VIEW\\s+(?!CONCURRENTLY\\b).*")) {
                explain(explained, view.oid(), OnlineRule.ACCESS_EXCLUSIVE_HELD, s, SafeRewrites.refreshConcurrently(oneStatement(s), view.name()));
            }
        }
        for (HeldLock lock : s.locks()) {
            if (existing.contains(lock.relation()) && BLOCKING.contains(lock.mode()) && "0".equals(s.lockTimeout())) {
                add(OnlineRule.NO_LOCK_TIMEOUT, s, lock.relation(), evidence(s, lock.relation()), SafeRewrites.withLockTimeout(oneStatement(s), s.sql()));
                break;
            }
        }
        // What no rule above explains, judged by the lock alone: a statement that took a rule's finding is not judged twice.
        // A statement that read the table's rows (a scan, a rewrite, an index build) under the lock held it for as long
        // as that takes, however short on the trace's rows.
        List<HeldLock> strongestFirst = s.locks().stream().sorted((a, b) -> strength(b.mode()) - strength(a.mode())).toList();
        for (HeldLock lock : strongestFirst) {
            if (!explained.isEmpty() || !populated(lock.relation())) {
                continue;
            }
            boolean held = lock.heldMicros() > OnlineCheck.EXCLUSIVE_LIMIT_MS * 1000L || readWhileHeld(lock) > 0;
            if (lock.mode().equals("AccessExclusiveLock") && (held || rewritten(s, lock.relation()))) {
                explain(explained, lock.relation(), OnlineRule.ACCESS_EXCLUSIVE_HELD, s, SafeRewrites.inBatches(oneStatement(s), s.sql()));
            } else if (held && BLOCKING.contains(lock.mode()) && !lock.mode().equals("AccessExclusiveLock")) {
                explain(explained, lock.relation(), OnlineRule.WRITE_BLOCKING_LOCK, s, SafeRewrites.inBatches(oneStatement(s), s.sql()));
            }
        }
        // A rewrite whose lock no trace saw (a statement outside a transaction, sampled): it held ACCESS EXCLUSIVE all along.
        for (Relation relation : before.relations().values()) {
            if (explained.isEmpty() && relation.isTable() && populated(relation.oid()) && rewritten(s, relation.oid())) {
                explain(explained, relation.oid(), OnlineRule.ACCESS_EXCLUSIVE_HELD, s, SafeRewrites.inBatches(oneStatement(s), s.sql()));
            }
        }
    }

    /**
     * A domain CHECK added validated or validated now, or NOT NULL set on a domain: PostgreSQL checks every column of
     * that domain in every table, holding SHARE on each while it scans.
     */
    private void domainConstraints(Traced s, Set<Long> explained) {
        for (CatalogState.Domain domain : s.after().domains().values()) {
            CatalogState.Domain was = s.before().domains().get(domain.oid());
            List<String> scanned = new ArrayList<>();
            domain.checks().forEach((name, validated) -> {
                if (validated && (was == null || !Boolean.TRUE.equals(was.checks().get(name)))) {
                    scanned.add(name);
                }
            });
            boolean notNull = domain.notNull() && was != null && !was.notNull();
            if (scanned.isEmpty() && !notNull) {
                continue;
            }
            List<Long> users = s.after().columns().values().stream().filter(c -> c.typeId() == domain.oid() && populated(c.table()))
                    .map(Column::table).distinct().toList();
            for (long table : users) {
                String constraint = scanned.isEmpty() ? null : scanned.get(0);
                explain(explained, table, OnlineRule.DOMAIN_CONSTRAINT_SCANS, s, SafeRewrites.domainNotValid(target, domain.name(),
                        constraint == null ? "ck_" + domain.name().replaceAll("\\W", "_") + "_not_null" : constraint,
                        constraint == null ? "CHECK (VALUE IS NOT NULL)" : domain.definitions().get(constraint)));
            }
        }
    }

    /**
     * A constraint of the same name on the same table before: PostgreSQL rebuilt it (ALTER COLUMN TYPE drops and
     * recreates the constraints and indexes on the column), the statement did not add it.
     */
    private static boolean recreated(CatalogState before, Constraint constraint) {
        return before.constraints().values().stream().anyMatch(c -> c.table() == constraint.table() && c.name().equals(constraint.name()));
    }

    /** An index of {@code state} whose name an index of the same table has in {@code other}: rebuilt, as by ALTER COLUMN TYPE. */
    private static boolean recreated(CatalogState other, CatalogState state, Index index) {
        String name = state.name(index.oid());
        return other.indexes().values().stream().anyMatch(i -> i.table() == index.table() && other.name(i.oid()).equals(name));
    }

    /**
     * A statement that updated or deleted more rows of an existing table than one batch, in one transaction: one finding
     * per statement, about the table it names (a cascade or a trigger changes others too, which the evidence counts).
     * Not the backfill of a column's NULLs that Liquibase writes before SET NOT NULL, which that rule's rewrite batches.
     */
    private void rowsLockedUntilCommit(List<Traced> statements) {
        for (current = 0; current < statements.size(); current++) {
            Traced s = statements.get(current);
            Map<Long, Long> changed = new java.util.LinkedHashMap<>();
            s.rowsChanged().forEach((table, rows) -> {
                if (populated(table)) {
                    changed.put(table, rows);
                }
            });
            if (changed.values().stream().noneMatch(rows -> rows > SafeRewrites.BATCH_ROWS)) {
                nullsTheFillLacks(s);
                continue;
            }
            Long named = changed.keySet().stream().filter(table -> names(s.sql(), tableName(s, table))).findFirst().orElse(null);
            long table = named != null ? named : changed.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            if (setsNulls(s.sql()) && findings.stream().anyMatch(f -> f.rule() == OnlineRule.SET_NOT_NULL_SCANS && tableName(s, table).equals(f.table()))) {
                continue;
            }
            List<Constraint> key = named == null ? List.of() : s.before().constraints().values().stream()
                    .filter(c -> c.table() == table && c.type() == 'p' && c.columns().size() == 1).toList();
            Column column = key.isEmpty() ? null : s.before().column(table, key.get(0).columns().get(0));
            // The table it is about first, then the others a cascade or trigger changed, by name.
            String counts = changed.entrySet().stream().sorted(Map.Entry.<Long, Long>comparingByKey(java.util.Comparator.comparing((Long other) -> other != table)
                            .thenComparing(other -> tableName(s, other))))
                    .map(e -> String.format("%,d of %s", e.getValue(), tableName(s, e.getKey()))).collect(java.util.stream.Collectors.joining(", "));
            add(OnlineRule.ROWS_LOCKED, s, table, "rows updated or deleted in one transaction: " + counts + "; " + evidence(s, table),
                    SafeRewrites.changeInBatches(oneStatement(s), s.sql(), tableName(s, table), column == null ? null : column.identifier(),
                            column == null ? null : column.type()));
        }
    }

    /**
     * An UPDATE or DELETE of the rows of an existing table whose nullable column IS NULL: the fill gives such a column a
     * value in every row, so the trace changed few rows, where production may hold a NULL in any number of them. The
     * finding says so and batches it; not the backfill Liquibase writes before SET NOT NULL, which that rule's rewrite batches.
     */
    private void nullsTheFillLacks(Traced s) {
        for (long table : s.before().columns().values().stream().map(Column::table).distinct().toList()) {
            if (!populated(table) || !names(s.sql(), tableName(s, table))
                    || setsNulls(s.sql()) && findings.stream().anyMatch(f -> f.rule() == OnlineRule.SET_NOT_NULL_SCANS && tableName(s, table).equals(f.table()))) {
                continue;
            }
            // A column a pending changeset added has no value the fill gave it: the trace counted its NULLs as they are.
            Column tested = s.before().columns().values().stream().filter(c -> c.table() == table && !c.notNull()
                            && existingColumns.contains(c.table() + ":" + c.number()) && testsForNull(s.sql(), c))
                    .findFirst().orElse(null);
            if (tested == null) {
                continue;
            }
            List<Constraint> key = s.before().constraints().values().stream().filter(c -> c.table() == table && c.type() == 'p' && c.columns().size() == 1).toList();
            Column column = key.isEmpty() ? null : s.before().column(table, key.get(0).columns().get(0));
            String matched = unfilled.containsKey(table)
                    ? String.format("%s IS NULL matched %,d of the rows the table had, which the check could not fill;", tested.name(),
                            s.rowsChanged().getOrDefault(table, 0L))
                    : String.format("%s IS NULL matched %,d of the filled rows, which give %s a value in every row;", tested.name(),
                            s.rowsChanged().getOrDefault(table, 0L), tested.name());
            add(OnlineRule.ROWS_LOCKED, s, table, String.format("%s in production every row of %s whose %s is NULL is changed in one"
                            + " transaction; %s", matched, tableName(s, table), tested.name(), evidence(s, table)),
                    SafeRewrites.changeInBatches(oneStatement(s), s.sql(), tableName(s, table), column == null ? null : column.identifier(),
                            column == null ? null : column.type()));
            return;
        }
    }

    /**
     * Whether the statement's WHERE is {@code column IS NULL} and nothing else, the column named bare, qualified or
     * quoted: a backfill, not a fix of chosen rows ({@code WHERE id = 5 AND column IS NULL}).
     */
    static boolean testsForNull(String sql, Column column) {
        String name = column.identifier().startsWith("\"") ? Pattern.quote(column.identifier())
                : "(?i:" + Pattern.quote(column.name()) + ")|\"" + Pattern.quote(column.name()) + "\"";
        return Pattern.compile("(?is)\\bWHERE\\s+(?:(?:\"[^\"]+\"|[\\w$]+)\\.)?(?:" + name + ")\\s+IS\\s+NULL\\s*;?\\s*\\z").matcher(sql).find();
    }

    /** Whether the UPDATE or DELETE names the table as the catalog writes it ({@code public.} left out, a quoted name as is). */
    static boolean names(String sql, String table) {
        Matcher target = Pattern.compile("(?is)\\s*(?:UPDATE|DELETE\\s+FROM)\\s+(?:ONLY\\s+)?((?:\"[^\"]+\"|[\\w$]+)(?:\\.(?:\"[^\"]+\"|[\\w$]+))?)").matcher(sql);
        return target.lookingAt() && identifier(target.group(1)).equals(identifier(table));
    }

    private static String identifier(String name) {
        StringBuilder normal = new StringBuilder();
        for (String part : name.split("\\.(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
            normal.append(normal.length() == 0 ? "" : ".").append(part.startsWith("\"") ? part.substring(1, part.length() - 1) : part.toLowerCase(java.util.Locale.ROOT));
        }
        String normalized = normal.toString();
        return normalized.startsWith("public.") ? normalized.substring("public.".length()) : normalized;
    }

    /** BEGIN, COMMIT or ROLLBACK in a transactional changeset: the tracer did not send it; the rewrite leaves it out. */
    private void transactionControl(List<Traced> statements) {
        List<String> rest = statements.stream().filter(s -> !StatementTracer.TRANSACTION_CONTROL.equals(s.errorState())).map(Traced::sql).toList();
        statements.stream().filter(s -> StatementTracer.TRANSACTION_CONTROL.equals(s.errorState())).findFirst().ifPresent(s ->
                add(OnlineRule.TRANSACTION_CONTROL_IN_TRANSACTION, s, "not sent to PostgreSQL: in the changeset's transaction it would have ended"
                        + " it; the changeset's other statements were traced in their transaction", SafeRewrites.withoutTransactionControl(target, rest)));
    }

    private static boolean withoutTimeZone(String type) {
        return type.startsWith("timestamp") && type.endsWith("without time zone");
    }

    /** timestamp to timestamptz or back: PostgreSQL skips the rewrite only when the session's TimeZone is UTC. */
    private static boolean timeZoneDependent(String from, String to) {
        return from.startsWith("timestamp") && to.startsWith("timestamp") && withoutTimeZone(from) != withoutTimeZone(to);
    }

    /**
     * Warnings about a new column's type, and about a new key of a type that runs out.
     *
     * @param existingTable whether the column is added to a table that was there before the changeset
     */
    private void shape(Traced s, CatalogState after, Column column, boolean existingTable) {
        String table = after.name(column.table());
        if (column.type().equals("json")) {
            add(OnlineRule.JSON_TYPE, s, table + "." + column.name() + " is json", SafeRewrites.columnType(target, table, column.name(), "jsonb"));
        } else if (column.type().startsWith("character varying(")) {
            add(OnlineRule.VARCHAR_LENGTH, s, table + "." + column.name() + " is " + column.type(), SafeRewrites.textWithCheck(target, table, column.name(), column.identifier(),
                    column.type().replaceAll("\\D", ""), existingTable));
        } else if (withoutTimeZone(column.type())) {
            add(OnlineRule.TIMESTAMP_WITHOUT_TIME_ZONE, s, table + "." + column.name() + " is " + column.type(),
                    SafeRewrites.columnType(target, table, column.name(), "timestamptz"));
        }
        if ((column.type().equals("integer") || column.type().equals("smallint")) && after.constraints().values().stream().anyMatch(c ->
                c.table() == column.table() && (c.type() == 'p') && c.columns().contains(column.number()))) {
            add(OnlineRule.INT_KEY, s, table + "." + column.name() + " is " + column.type() + " and part of the primary key",
                    SafeRewrites.columnType(target, table, column.name(), "bigint"));
        }
    }

    /**
     * New foreign keys whose columns no index of their table leads with, once the whole changeset has run. The check
     * drops the finding of one whose index a later pending changeset builds ({@link #unindexedForeignKeys}).
     */
    private void foreignKeysWithoutIndex(List<Traced> statements) {
        for (Constraint constraint : unindexedForeignKeys(statements)) {
            CatalogState last = statements.get(statements.size() - 1).after();
            Traced creator = statements.stream().filter(s -> s.after().constraints().containsKey(constraint.oid())).findFirst().orElseThrow();
            String table = last.name(constraint.table());
            List<String> columns = last.columnIdentifiers(constraint.table(), constraint.columns());
            add(OnlineRule.FOREIGN_KEY_WITHOUT_INDEX, creator, "no index of " + table + " starts with " + String.join(", ", columns),
                    SafeRewrites.foreignKeyIndex(target, table, columns, populated(constraint.table())));
        }
    }

    /** The foreign keys the changeset adds that no index of their table leads with once it has run. */
    static List<Constraint> unindexedForeignKeys(List<Traced> statements) {
        if (statements.isEmpty()) {
            return List.of();
        }
        CatalogState first = statements.get(0).before();
        CatalogState last = statements.get(statements.size() - 1).after();
        return last.constraints().values().stream().filter(constraint -> constraint.type() == 'f' && !first.constraints().containsKey(constraint.oid())
                && !recreated(first, constraint) && !last.indexLeadsWith(constraint.table(), constraint.columns())).toList();
    }

    private void explain(Set<Long> explained, long table, OnlineRule rule, Traced s, String rewrite) {
        explained.add(table);
        add(rule, s, table, evidence(s, table), rewrite);
    }

    private void add(OnlineRule rule, Traced s, String evidence, String rewrite) {
        findings.add(new Finding(rule, changeSet, s.sql(), evidence, rewrite, null));
    }

    private void add(OnlineRule rule, Traced s, long table, String evidence, String rewrite) {
        findings.add(new Finding(rule, changeSet, s.sql(), evidence, rewrite, tableName(s, table)));
    }

    static String tableName(Traced s, long table) {
        return s.after().relations().containsKey(table) ? s.after().name(table) : s.before().name(table);
    }

    /** The statement's strongest lock on the table, how long it was held, the rows it covered and whether it was rewritten. */
    private String evidence(Traced s, long table) {
        HeldLock strongest = null;
        for (HeldLock lock : heldDuring(s).toList()) {
            if (lock.relation() == table && (strongest == null || strength(lock.mode()) > strength(strongest.mode()))) {
                strongest = lock;
            }
        }
        String name = tableName(s, table);
        String lock = strongest == null ? "no lock seen on " + name
                : mode(strongest.mode()) + " on " + name + " held " + milliseconds(strongest.heldMicros()) + " " + strongest.measured().how;
        String why = unfilled.get(table);
        String count = String.format("%,d", rows.getOrDefault(table, 0L)) + " rows"
                + (why == null ? "" : "; the times come from these rows, not " + String.format("%,d", OnlineCheck.ROWS)
                + ", since the check could not fill " + why + "; in production the table has its rows");
        long rowsRead = strongest == null || current >= statements.size() || s != statements.get(current) ? s.read(table) : readWhileHeld(strongest);
        String read = rowsRead > 0 ? "; " + String.format("%,d", rowsRead) + " rows read" + (rowsRead > s.read(table)
                ? " while it was held" + (s.read(table) == 0 ? ", by later statements of the changeset" : ", partly by later statements of the changeset")
                : "") : "";
        return lock + " (" + count + "); " + (rewritten(s, table) ? "table rewritten" : "no rewrite") + read + "; lock_timeout " + s.lockTimeout();
    }

    /**
     * Rows of the lock's table read by scans while the lock was held: by its statement, and for a lock held until the
     * commit by every later statement of the changeset too (a CHECK added NOT VALID and validated in one transaction
     * scans under the ACCESS EXCLUSIVE the ADD took).
     */
    private long readWhileHeld(HeldLock lock) {
        if (lock.measured() != StatementTracer.Held.UNTIL_COMMIT) {
            return statements.get(current).read(lock.relation());
        }
        return statements.subList(current, statements.size()).stream().mapToLong(t -> t.read(lock.relation())).sum();
    }

    /** The strongest relation lock any of the statements took, where and for how long, and the tables rewritten. */
    static String strongestLock(List<Traced> statements) {
        Traced where = null;
        HeldLock strongest = null;
        boolean strongestIsTable = false;
        Set<String> rewritten = new java.util.TreeSet<>();
        for (Traced s : statements) {
            for (HeldLock lock : s.locks()) {
                if (!s.before().relations().containsKey(lock.relation())) {
                    continue; // a relation the statement created, or one of PostgreSQL's own catalogs: it blocks no query
                }
                // The strongest mode; of equal ones, a table's (its indexes take the same mode with it), then the longest held.
                boolean table = s.before().relations().get(lock.relation()).isTable();
                int order = strongest == null ? 1 : Integer.compare(strength(lock.mode()), strength(strongest.mode()));
                order = order != 0 ? order : Boolean.compare(table, strongestIsTable);
                order = order != 0 ? order : Long.compare(lock.heldMicros(), strongest.heldMicros());
                if (order > 0) {
                    strongest = lock;
                    strongestIsTable = table;
                    where = s;
                }
            }
            s.before().relations().values().stream().filter(r -> r.isTable() && rewritten(s, r.oid())).forEach(r -> rewritten.add(r.name()));
        }
        if (strongest == null) {
            return "no lock on an existing table or index";
        }
        String name = where.before().name(strongest.relation());
        return "strongest lock " + mode(strongest.mode()) + " on " + name + " held " + milliseconds(strongest.heldMicros())
                + (rewritten.isEmpty() ? "; no rewrite" : "; rewrote " + String.join(", ", rewritten));
    }

    static String milliseconds(long micros) {
        return micros < 10_000 ? String.format("%.1f ms", micros / 1000.0) : (micros / 1000) + " ms";
    }

    /** {@code AccessExclusiveLock} as PostgreSQL's documentation writes it: ACCESS EXCLUSIVE. */
    static String mode(String lock) {
        return lock.replace("Lock", "").replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase();
    }

    static int strength(String mode) {
        return List.of("AccessShareLock", "RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock", "ShareLock",
                "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock").indexOf(mode);
    }

    private boolean blocking(Traced s, long table) {
        return heldDuring(s).anyMatch(lock -> lock.relation() == table && BLOCKING.contains(lock.mode()));
    }

    private boolean holds(Traced s, long table, String mode) {
        return heldDuring(s).anyMatch(lock -> lock.relation() == table && lock.mode().equals(mode));
    }

    /**
     * The locks the statement ran under: its own, and those an earlier statement of the changeset took until the commit,
     * which the trace credits to that statement alone (a second index build on a table already locked takes no new lock).
     */
    private java.util.stream.Stream<HeldLock> heldDuring(Traced s) {
        int at = statements.indexOf(s);
        return java.util.stream.Stream.concat(s.locks().stream(), statements.subList(0, Math.max(at, 0)).stream()
                .flatMap(earlier -> earlier.locks().stream()).filter(lock -> lock.measured() == StatementTracer.Held.UNTIL_COMMIT));
    }

    /** Whether the table got a new file: PostgreSQL rewrote it. */
    static boolean rewritten(Traced s, long table) {
        Relation before = s.before().relations().get(table);
        Relation after = s.after().relations().get(table);
        return before != null && after != null && before.filenode() != after.filenode();
    }

    static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
