package dev.keel.online;

import dev.keel.db.liquibase.ChangelogFormat;
import dev.keel.online.ChangesetText.Step;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The safe form of each lock-heavy change, as changesets ready to paste in place of the traced one, in the format of
 * its file, filled in with the traced changeset's own tables, columns and definitions.
 */
final class SafeRewrites {

    /**
     * The changeset a rewrite replaces. {@code rollback} is its rollback as SQL; {@code rollbackOfStatement}, where the
     * rollback is Liquibase's own, the part of it that undoes each statement, by the statement's SQL.
     */
    record Target(String id, String author, ChangelogFormat format, List<String> rollback, Map<String, List<String>> rollbackOfStatement,
                  ChangesetText.Carried carried) {

        Target(String id, String author, ChangelogFormat format, List<String> rollback) {
            this(id, author, format, rollback, Map.of(), ChangesetText.Carried.NONE);
        }

        /**
         * For a rewrite of one statement of several: the changeset's rollback undoes the others too, so it is not kept;
         * where Liquibase derives the rollback change by change, the statement's own part is.
         */
        Target oneStatementOf(int statements, String sql) {
            return statements == 1 ? this : new Target(id, author, format, rollbackOfStatement.get(statementKey(sql)), Map.of(), carried);
        }

        /** A statement's SQL as the tracer and Liquibase's generator both write it. */
        static String statementKey(String sql) {
            return sql.strip().replaceAll(";$", "").strip();
        }
    }

    private static final Pattern DEFERRABLE = Pattern.compile("DEFERRABLE( INITIALLY (DEFERRED|IMMEDIATE))?$");
    private static final Pattern LENGTH_TYPE = Pattern.compile("(?i)(character varying|varchar|character|char|bit varying|varbit|bit)\\s*\\(\\d+\\)");
    /** A backfill or a validation: nothing to undo once the change before it is undone. */
    private static final List<String> NOTHING = List.of();
    /** The rows one batch of a backfill or a batched change locks until it commits. */
    static final int BATCH_ROWS = 10_000;

    private SafeRewrites() {
    }

    static String concurrentIndex(Target target, String definition, String index) {
        return write(target, null, step(target.id(), false, List.of(InvalidIndexes.dropIfInvalid(List.of(index)), concurrently(definition)),
                List.of("DROP INDEX CONCURRENTLY IF EXISTS " + index)));
    }

    static String concurrentDropIndex(Target target, String definition, String index) {
        return write(target, null, step(target.id(), false, List.of("DROP INDEX CONCURRENTLY IF EXISTS " + index),
                List.of(InvalidIndexes.dropIfInvalid(List.of(index)), concurrently(definition))));
    }

    static String notValidThenValidate(Target target, String table, String constraint, String definition) {
        String notValid = "ALTER TABLE " + table + " ADD CONSTRAINT " + constraint + " " + definition + " NOT VALID";
        return write(target, null,
                step(target.id(), true, List.of(notValid), List.of("ALTER TABLE " + table + " DROP CONSTRAINT " + constraint)),
                step(target.id() + "_validate", true, List.of("ALTER TABLE " + table + " VALIDATE CONSTRAINT " + constraint),
                        List.of("ALTER TABLE " + table + " DROP CONSTRAINT " + constraint, notValid)));
    }

    /**
     * @param nullsTo the value the changeset gave the column's NULLs before it set NOT NULL, or null; the rewrite backfills
     *                it in batches between the CHECK and its validation, which would otherwise fail on those rows
     */
    static String notNullByCheck(Target target, String table, String column, String nullsTo) {
        List<Step> steps = notNull(target.id() + "_check", target.id(), table, column);
        if (nullsTo != null) {
            steps.add(1, step(target.id() + "_backfill", false, List.of(backfill(table, column, nullsTo, column + " IS NULL")), NOTHING));
        }
        return write(target, null, steps.toArray(Step[]::new));
    }

    /**
     * NOT NULL without a scan under ACCESS EXCLUSIVE: a CHECK added NOT VALID ({@code checkId}), then, in a transaction of
     * its own ({@code notNullId}), validated without blocking writes, SET NOT NULL (which the CHECK proves) and dropped.
     */
    private static List<Step> notNull(String checkId, String notNullId, String table, String column) {
        String check = "ck_" + plain(table) + "__" + plain(column) + "_not_null";
        String notValid = "ALTER TABLE " + table + " ADD CONSTRAINT " + check + " CHECK (" + column + " IS NOT NULL) NOT VALID";
        return new java.util.ArrayList<>(List.of(
                step(checkId, true, List.of(notValid), List.of("ALTER TABLE " + table + " DROP CONSTRAINT " + check)),
                step(notNullId, true, List.of("ALTER TABLE " + table + " VALIDATE CONSTRAINT " + check,
                                "ALTER TABLE " + table + " ALTER COLUMN " + column + " SET NOT NULL",
                                "ALTER TABLE " + table + " DROP CONSTRAINT " + check),
                        List.of("ALTER TABLE " + table + " ALTER COLUMN " + column + " DROP NOT NULL", notValid))));
    }

    /** @param definition the constraint's, whose DEFERRABLE the rewrite keeps */
    static String uniqueUsingIndex(Target target, String table, String constraint, String definition, String indexDefinition) {
        String plain = indexDefinition == null ? "CREATE UNIQUE INDEX " + constraint + " ON " + table + " (<columns>)" : indexDefinition;
        Matcher deferrable = DEFERRABLE.matcher(definition);
        String build = concurrently(plain);
        return write(target, null,
                step(target.id() + "_index", false, List.of(InvalidIndexes.dropIfInvalid(List.of(constraint)), build),
                        List.of("DROP INDEX CONCURRENTLY IF EXISTS " + constraint)),
                step(target.id(), true,
                        List.of("ALTER TABLE " + table + " ADD CONSTRAINT " + constraint + (definition.startsWith("PRIMARY KEY") ? " PRIMARY KEY" : " UNIQUE")
                                + " USING INDEX " + constraint + (deferrable.find() ? " " + deferrable.group() : "")),
                        // Dropping the constraint drops the index it took over, which the changeset before it built.
                        List.of("ALTER TABLE " + table + " DROP CONSTRAINT " + constraint, plain)));
    }

    /** @param zoneDependent a change between timestamp and timestamptz, whose cast reads each value in the session's TimeZone */
    static String newColumnOfType(Target target, String table, String column, String type, boolean zoneDependent) {
        String next = column.endsWith("\"") ? column.substring(0, column.length() - 1) + "_new\"" : column + "_new";
        return write(target, "Expand, then contract: the service writes both columns while this backfills, reads " + next + " from the next\n"
                        + "release on, and a later changeset drops " + column + " (a drop, acknowledged with keel-allow)."
                        + (zoneDependent ? "\nThe backfill's cast reads each value in the deploy session's TimeZone, as the type change would: where the\n"
                        + "values are in a known zone, write " + column + " AT TIME ZONE '<zone>' in its place." : ""),
                expanded(target, table, next, type, converted(column, type), next + " IS NULL AND " + column + " IS NOT NULL"));
    }

    private static final Pattern VARCHAR = Pattern.compile("(?i)(?:character varying|varchar)\\s*\\((\\d+)\\)");

    /**
     * The changesets of an expand step: the new column added, then backfilled from {@code value} in committed batches.
     * A varchar(n) column is added as text with a CHECK of its length, added NOT VALID and validated after the
     * backfill, as the varchar-length rule asks of every new column; the CHECK holds for each row the backfill writes.
     */
    private static Step[] expanded(Target target, String table, String column, String type, String value, String pending) {
        Matcher varchar = VARCHAR.matcher(type);
        if (!varchar.matches()) {
            return new Step[] {
                    step(target.id(), true, List.of("ALTER TABLE " + table + " ADD COLUMN " + column + " " + type),
                            List.of("ALTER TABLE " + table + " DROP COLUMN " + column)),
                    step(target.id() + "_backfill", false, List.of(backfill(table, column, value, pending)), NOTHING)};
        }
        String constraint = "ck_" + plain(table) + "__" + plain(column) + "_length";
        String notValid = "ALTER TABLE " + table + " ADD CONSTRAINT " + constraint + " CHECK (char_length(" + column + ") <= " + varchar.group(1) + ") NOT VALID";
        return new Step[] {
                step(target.id(), true, List.of("ALTER TABLE " + table + " ADD COLUMN " + column + " text", notValid),
                        List.of("ALTER TABLE " + table + " DROP COLUMN " + column)),
                step(target.id() + "_backfill", false, List.of(backfill(table, column, value, pending)), NOTHING),
                step(target.id() + "_validate", true, List.of("ALTER TABLE " + table + " VALIDATE CONSTRAINT " + constraint),
                        List.of("ALTER TABLE " + table + " DROP CONSTRAINT " + constraint, notValid))};
    }

    /**
     * The old column's value for the new type. Assigned as it is where the type has a length: an explicit cast to
     * varchar(50) would cut a longer value short, where an assignment stops with "value too long", as the type change would.
     */
    private static String converted(String column, String type) {
        return LENGTH_TYPE.matcher(type).matches() ? column : column + "::" + type;
    }

    /** @param notNull whether the column is NOT NULL: after the backfill, it becomes so without a scan under ACCESS EXCLUSIVE */
    static String defaultWithoutRewrite(Target target, String table, String column, String type, String defaultExpression, boolean notNull) {
        String value = defaultExpression == null ? "<default>" : defaultExpression;
        List<Step> steps = new java.util.ArrayList<>(List.of(
                step(target.id(), true, List.of("ALTER TABLE " + table + " ADD COLUMN " + column + " " + type,
                                "ALTER TABLE " + table + " ALTER COLUMN " + column + " SET DEFAULT " + value),
                        List.of("ALTER TABLE " + table + " DROP COLUMN " + column)),
                step(target.id() + "_backfill", false, List.of(backfill(table, column, value, column + " IS NULL")), NOTHING)));
        if (notNull) {
            steps.addAll(notNull(target.id() + "_check", target.id() + "_not_null", table, column));
        }
        return write(target, null, steps.toArray(Step[]::new));
    }

    /** A stored generated column has no form PostgreSQL adds without computing it for every row, so: a plain column, filled in batches. */
    static String generatedWithoutRewrite(Target target, String table, String column, String type, String expression) {
        return write(target, "A stored generated column is computed for every row as it is added. Add a plain column and fill it in\n"
                        + "batches instead; from then on the service, or a BEFORE INSERT OR UPDATE trigger, keeps it current.",
                step(target.id(), true, List.of("ALTER TABLE " + table + " ADD COLUMN " + column + " " + type),
                        List.of("ALTER TABLE " + table + " DROP COLUMN " + column)),
                step(target.id() + "_backfill", false, List.of(backfill(table, column, expression,
                        column + " IS NULL AND " + expression + " IS NOT NULL")), NOTHING));
    }

    /** A refresh that its readers wait for, as one they read through. */
    static String refreshConcurrently(Target target, String view) {
        return write(target, "CONCURRENTLY lets readers go on reading the old rows while it refreshes. It needs a unique index on the\n"
                        + "view that covers every row; create one first (CREATE UNIQUE INDEX CONCURRENTLY ... ON " + view + " (...)) if it has none.",
                step(target.id(), true, List.of("REFRESH MATERIALIZED VIEW CONCURRENTLY " + view), NOTHING));
    }

    static String renameColumn(Target target, String table, String from, String to, String type) {
        return write(target, "Expand, then contract: add " + to + ", have the service write both, backfill, switch reads, then drop " + from + "\n"
                        + "in a later release.",
                expanded(target, table, to, type, from, to + " IS NULL AND " + from + " IS NOT NULL"));
    }

    static String renameTable(Target target, String from, String to) {
        return write(target, "An updatable view keeps the old name working until every running instance uses the new one.",
                step(target.id(), true, List.of("ALTER TABLE " + from + " RENAME TO " + to, "CREATE VIEW " + from + " AS SELECT * FROM " + to),
                        List.of("DROP VIEW " + from, "ALTER TABLE " + to + " RENAME TO " + from)));
    }

    static String acknowledgedDrop(Target target, String sql, String what) {
        return write(target, null, new Step(target.id(), true, "keel-allow drop: <the release since which no running instance uses " + what + ">",
                List.of(sql), target.rollback()));
    }

    static String withLockTimeout(Target target, String sql) {
        return write(target, "Or set DB_LOCK_TIMEOUT_MS for the db goals (see .env.example).",
                step(target.id(), true, List.of("SET LOCAL lock_timeout = '3s'", sql), target.rollback()));
    }

    static String outsideTransaction(Target target, String sql) {
        return write(target, null, step(target.id(), false, List.of(sql), target.rollback()));
    }

    static String inBatches(Target target, String sql) {
        return write(target, "Keep the heavy lock short: put this statement in a changeset of its own with a lock_timeout, and move any\n"
                        + "row changes into batches (UPDATE ... WHERE ctid IN (SELECT ctid ... LIMIT 10000), committed one by one).",
                step(target.id(), true, List.of("SET LOCAL lock_timeout = '3s'", sql), target.rollback()));
    }

    static String foreignKeyIndex(Target target, String table, List<String> columns, boolean populated) {
        String index = "ix_" + plain(table) + "__" + columns.stream().map(SafeRewrites::plain).collect(Collectors.joining("_"));
        String create = "CREATE INDEX" + (populated ? " CONCURRENTLY IF NOT EXISTS " : " ") + index + " ON " + table + " (" + String.join(", ", columns) + ")";
        return write(target, null, step(target.id() + "_index", !populated,
                populated ? List.of(InvalidIndexes.dropIfInvalid(List.of(index)), create) : List.of(create),
                List.of("DROP INDEX" + (populated ? " CONCURRENTLY IF EXISTS " : " ") + index)));
    }

    static String keepType(Target target, String table, String column, String type) {
        return ChangesetText.note(target.format(), "Keep " + table + "." + column + " " + type + ", or add a new column of that type beside it.");
    }

    /** A domain constraint added NOT VALID (only new values are checked, no table is scanned), its validation apart. */
    static String domainNotValid(Target target, String domain, String constraint, String definition) {
        String notValid = "ALTER DOMAIN " + domain + " ADD CONSTRAINT " + constraint + " " + definition + " NOT VALID";
        return write(target, "NOT VALID checks only values written from now on and scans no table. VALIDATE still scans every table that uses\n"
                        + "the domain under SHARE (PostgreSQL 18 takes SHARE UPDATE EXCLUSIVE): run it apart, when those tables are quiet.",
                step(target.id(), true, List.of(notValid), List.of("ALTER DOMAIN " + domain + " DROP CONSTRAINT " + constraint)),
                new Step(target.id() + "_validate", true, "keel-allow domain-constraint-scans: <why the tables using " + domain + " can wait for the scan now>",
                        List.of("SET LOCAL lock_timeout = '3s'", "ALTER DOMAIN " + domain + " VALIDATE CONSTRAINT " + constraint),
                        List.of("ALTER DOMAIN " + domain + " DROP CONSTRAINT " + constraint, notValid)));
    }

    static String deleteInBatches(Target target, String table) {
        return write(target, "Delete the rows in committed batches, so readers and writers go on; or, when no running instance reads " + table + ",\n"
                        + "keep the TRUNCATE with keel-allow truncate: <why>.",
                step(target.id(), false, List.of("""
                        DO $$
                        DECLARE deleted bigint;
                        BEGIN
                          LOOP
                            DELETE FROM %1$s WHERE ctid IN (SELECT ctid FROM %1$s LIMIT 10000);
                            GET DIAGNOSTICS deleted = ROW_COUNT;
                            EXIT WHEN deleted = 0;
                            COMMIT;
                          END LOOP;
                        END $$""".formatted(table)), target.rollback()));
    }

    /**
     * An UPDATE or DELETE of many rows as batches of {@value #BATCH_ROWS} rows by the table's key, each committed: a row is
     * locked only until its batch commits, and each row is changed once, however the statement changes it. Where the
     * statement is not one this can split (a FROM, USING or RETURNING, or no one-column primary key), the advice alone.
     *
     * @param key the table's one-column primary key, as SQL writes it, and its type; null when it has none
     */
    static String changeInBatches(Target target, String sql, String table, String key, String keyType) {
        String advice = "Each row an UPDATE or DELETE changes stays locked until its transaction commits. Change the rows in batches\n"
                + "of " + String.format("%,d", BATCH_ROWS) + " by the table's key, each committed, in a changeset with runInTransaction: false;"
                + " or, when no running\ninstance writes these rows, keep it with keel-allow rows-locked: <why>.";
        String[] parts = key == null ? null : whereSplit(sql);
        if (parts == null) {
            return ChangesetText.note(target.format(), advice);
        }
        String where = parts[1] == null ? "" : " AND (" + parts[1] + ")";
        return write(target, advice, step(target.id(), false, List.of("""
                DO $$
                DECLARE
                  keel_from %3$s := (SELECT %2$s FROM %1$s ORDER BY %2$s LIMIT 1);
                  keel_upto %3$s;
                BEGIN
                  WHILE keel_from IS NOT NULL LOOP
                    keel_upto := (SELECT %2$s FROM (SELECT %2$s FROM %1$s WHERE %2$s >= keel_from ORDER BY %2$s LIMIT %4$d) batch
                                  ORDER BY %2$s DESC LIMIT 1);
                    %5$s
                    WHERE %2$s BETWEEN keel_from AND keel_upto%6$s;
                    COMMIT;
                    keel_from := (SELECT %2$s FROM %1$s WHERE %2$s > keel_upto ORDER BY %2$s LIMIT 1);
                  END LOOP;
                END $$""".formatted(table, key, keyType, BATCH_ROWS, parts[0], where)), target.rollback()));
    }

    /**
     * An {@code UPDATE … SET …} or {@code DELETE FROM …} split at its WHERE: {@code {statement before it, condition or
     * null}}; null for any other statement, or one with a FROM, USING or RETURNING of its own, found outside parentheses,
     * quotes and comments.
     */
    static String[] whereSplit(String sql) {
        String statement = sql.strip().replaceAll(";$", "").strip();
        if (!statement.matches("(?is)(UPDATE\\s+.+?\\s+SET\\s|DELETE\\s+FROM\\s).*") || statement.matches("(?is).*\\bWHERE\\s+CURRENT\\s+OF\\b.*")) {
            return null;
        }
        Matcher deleteFrom = Pattern.compile("(?is)DELETE\\s+FROM\\s").matcher(statement);
        int depth = 0;
        int where = -1;
        for (int i = deleteFrom.lookingAt() ? deleteFrom.end() : 0; i < statement.length(); i++) {
            char c = statement.charAt(i);
            if (c == '\'' || c == '"') {
                int end = statement.indexOf(c, i + 1);
                while (end > 0 && end + 1 < statement.length() && statement.charAt(end + 1) == c) {
                    end = statement.indexOf(c, end + 2);
                }
                if (end < 0) {
                    return null;
                }
                i = end;
            } else if (c == '$' || statement.startsWith("--", i) || statement.startsWith("/*", i)) {
                return null;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (depth == 0 && (i == 0 || !Character.isLetterOrDigit(statement.charAt(i - 1)) && statement.charAt(i - 1) != '_')) {
                if (keywordAt(statement, i, "USING") || keywordAt(statement, i, "RETURNING") || keywordAt(statement, i, "FROM")) {
                    return null;
                }
                if (where < 0 && keywordAt(statement, i, "WHERE")) {
                    where = i;
                }
            }
        }
        return where < 0 ? new String[] {statement, null}
                : new String[] {statement.substring(0, where).strip(), statement.substring(where + 5).strip()};
    }

    private static boolean keywordAt(String sql, int at, String keyword) {
        int end = at + keyword.length();
        return sql.regionMatches(true, at, keyword, 0, keyword.length())
                && (end == sql.length() || !Character.isLetterOrDigit(sql.charAt(end)) && sql.charAt(end) != '_');
    }

    static String withoutTransactionControl(Target target, List<String> statements) {
        return write(target, "Liquibase runs the changeset in a transaction and commits it: leave BEGIN, COMMIT and ROLLBACK out. Where a commit\n"
                        + "is needed half-way, split the changeset there into two.",
                step(target.id(), true, statements.isEmpty() ? List.of("<the changeset's other statements>") : statements, target.rollback()));
    }

    static String columnType(Target target, String table, String column, String type) {
        return whereCreated(target, table, column) + ChangesetText.column(target.format(), column, type);
    }

    /**
     * @param column        its name, as a Liquibase change gives it; {@code identifier}: as SQL writes it
     * @param existingTable whether the column is added to a table that holds rows: its CHECK is then added NOT VALID,
     *                      which needs no scan under ACCESS EXCLUSIVE, and validated in a changeset of its own
     */
    static String textWithCheck(Target target, String table, String column, String identifier, String length, boolean existingTable) {
        String constraint = "ck_" + plain(table) + "__" + plain(column) + "_length";
        String check = constraint + " CHECK (char_length(" + identifier + ") <= " + length + ")";
        if (existingTable) {
            String notValid = "ALTER TABLE " + table + " ADD CONSTRAINT " + check + " NOT VALID";
            String added = target.format() == ChangelogFormat.SQL
                    ? ChangesetText.note(target.format(), "In the changeset that adds " + table + "." + column + ":")
                    + ChangesetText.change(target.format(), "ALTER TABLE " + table + " ADD COLUMN " + identifier + " text")
                    : ChangesetText.note(target.format(), "In the changeset that adds " + table + "." + column + ", the column as text:")
                    + ChangesetText.column(target.format(), column, "text")
                    + ChangesetText.note(target.format(), "and, after the change that adds it, this change:");
            return added + ChangesetText.change(target.format(), notValid)
                    + ChangesetText.note(target.format(), "Then, after that changeset:")
                    + write(target, null, step(target.id() + "_validate", true, List.of("ALTER TABLE " + table + " VALIDATE CONSTRAINT " + constraint),
                            List.of("ALTER TABLE " + table + " DROP CONSTRAINT " + constraint, notValid)));
        }
        if (target.format() == ChangelogFormat.SQL) {
            return whereCreated(target, table, column) + identifier + " text CONSTRAINT " + check + "\n";
        }
        return whereCreated(target, table, column) + ChangesetText.column(target.format(), column, "text")
                + ChangesetText.change(target.format(), "ALTER TABLE " + table + " ADD CONSTRAINT " + check);
    }

    private static String whereCreated(Target target, String table, String column) {
        return ChangesetText.note(target.format(), target.format() == ChangelogFormat.SQL ? "In the CREATE TABLE of " + table + ":"
                : "In the changeset that creates " + table + "." + column + ":");
    }

    private static Step step(String id, boolean inTransaction, List<String> sqls, List<String> rollback) {
        return new Step(id, inTransaction, null, sqls, rollback);
    }

    private static String write(Target target, String advice, Step... steps) {
        return ChangesetText.changeSets(target.format(), target.author(), target.carried(), advice, List.of(steps));
    }

    /** Updates every row in batches of 10,000, each committed, so no lock is held for long; needs runInTransaction: false. */
    private static String backfill(String table, String column, String value, String pending) {
        return """
                DO $$
                DECLARE updated bigint;
                BEGIN
                  LOOP
                    UPDATE %1$s SET %2$s = %3$s
                    WHERE ctid IN (SELECT ctid FROM %1$s WHERE %4$s LIMIT 10000);
                    GET DIAGNOSTICS updated = ROW_COUNT;
                    EXIT WHEN updated = 0;
                    COMMIT;
                  END LOOP;
                END $$""".formatted(table, column, value, pending);
    }

    /** A name for an object the rewrite adds, made of identifiers: lower case, so that it needs no quotes. */
    private static String plain(String identifier) {
        return identifier.replace("\"", "").toLowerCase(java.util.Locale.ROOT).replaceAll("\\W", "_");
    }

    private static String concurrently(String definition) {
        return definition.replaceFirst("^CREATE (UNIQUE )?INDEX ", "CREATE $1INDEX CONCURRENTLY IF NOT EXISTS ");
    }
}
