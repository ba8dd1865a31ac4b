package dev.keel.online;

import java.util.List;

/**
 * The safe form of each lock-heavy change, as Liquibase YAML changesets ready to paste in place of the traced one,
 * filled in with the traced changeset's own tables, columns and definitions.
 */
final class SafeRewrites {

    private SafeRewrites() {
    }

    static String concurrentIndex(String id, String author, String definition, String index) {
        return changeSet(id, author, false, null, List.of(InvalidIndexes.dropIfInvalid(List.of(index)), concurrently(definition)),
                List.of("DROP INDEX CONCURRENTLY IF EXISTS " + index));
    }

    static String concurrentDropIndex(String id, String author, String definition, String index) {
        return changeSet(id, author, false, null, List.of("DROP INDEX CONCURRENTLY IF EXISTS " + index),
                List.of(InvalidIndexes.dropIfInvalid(List.of(index)), concurrently(definition)));
    }

    static String notValidThenValidate(String id, String author, String table, String constraint, String definition) {
        return changeSet(id, author, true, null, List.of("ALTER TABLE " + table + " ADD CONSTRAINT " + constraint + " " + definition + " NOT VALID"),
                List.of("ALTER TABLE " + table + " DROP CONSTRAINT " + constraint))
                + changeSet(id + "_validate", author, true, null, List.of("ALTER TABLE " + table + " VALIDATE CONSTRAINT " + constraint), null);
    }

    static String notNullByCheck(String id, String author, String table, String column) {
        String check = "ck_" + table.replaceAll("\\W", "_") + "__" + column + "_not_null";
        return changeSet(id + "_check", author, true, null,
                List.of("ALTER TABLE " + table + " ADD CONSTRAINT " + check + " CHECK (" + column + " IS NOT NULL) NOT VALID"),
                List.of("ALTER TABLE " + table + " DROP CONSTRAINT " + check))
                + changeSet(id, author, true, null, List.of("ALTER TABLE " + table + " VALIDATE CONSTRAINT " + check,
                        "ALTER TABLE " + table + " ALTER COLUMN " + column + " SET NOT NULL",
                        "ALTER TABLE " + table + " DROP CONSTRAINT " + check),
                List.of("ALTER TABLE " + table + " ALTER COLUMN " + column + " DROP NOT NULL"));
    }

    static String uniqueUsingIndex(String id, String author, String table, String constraint, boolean primaryKey, String indexDefinition) {
        String build = indexDefinition == null ? "CREATE UNIQUE INDEX CONCURRENTLY " + constraint + " ON " + table + " (<columns>)"
                : concurrently(indexDefinition);
        return changeSet(id + "_index", author, false, null, List.of(InvalidIndexes.dropIfInvalid(List.of(constraint)), build),
                List.of("DROP INDEX CONCURRENTLY IF EXISTS " + constraint))
                + changeSet(id, author, true, null,
                List.of("ALTER TABLE " + table + " ADD CONSTRAINT " + constraint + (primaryKey ? " PRIMARY KEY" : " UNIQUE") + " USING INDEX " + constraint),
                List.of("ALTER TABLE " + table + " DROP CONSTRAINT " + constraint));
    }

    static String newColumnOfType(String id, String author, String table, String column, String type) {
        String next = column + "_new";
        return "# Expand, then contract: the service writes both columns while this backfills, reads " + next + " from the next\n"
                + "# release on, and a later changeset drops " + column + " (a drop, acknowledged with keel-allow).\n"
                + changeSet(id, author, true, null, List.of("ALTER TABLE " + table + " ADD COLUMN " + next + " " + type),
                List.of("ALTER TABLE " + table + " DROP COLUMN " + next))
                + changeSet(id + "_backfill", author, false, null, List.of(backfill(table, next, column + "::" + type, next + " IS NULL AND " + column + " IS NOT NULL")), null);
    }

    static String defaultWithoutRewrite(String id, String author, String table, String column, String type, String defaultExpression) {
        String value = defaultExpression == null ? "<default>" : defaultExpression;
        return changeSet(id, author, true, null, List.of("ALTER TABLE " + table + " ADD COLUMN " + column + " " + type,
                        "ALTER TABLE " + table + " ALTER COLUMN " + column + " SET DEFAULT " + value),
                List.of("ALTER TABLE " + table + " DROP COLUMN " + column))
                + changeSet(id + "_backfill", author, false, null, List.of(backfill(table, column, value, column + " IS NULL")), null);
    }

    static String renameColumn(String id, String author, String table, String from, String to, String type) {
        return "# Expand, then contract: add " + to + ", have the service write both, backfill, switch reads, then drop " + from + "\n"
                + "# in a later release.\n"
                + changeSet(id, author, true, null, List.of("ALTER TABLE " + table + " ADD COLUMN " + to + " " + type),
                List.of("ALTER TABLE " + table + " DROP COLUMN " + to))
                + changeSet(id + "_backfill", author, false, null, List.of(backfill(table, to, from, to + " IS NULL AND " + from + " IS NOT NULL")), null);
    }

    static String renameTable(String id, String author, String from, String to) {
        return "# An updatable view keeps the old name working until every running instance uses the new one.\n"
                + changeSet(id, author, true, null, List.of("ALTER TABLE " + from + " RENAME TO " + to,
                        "CREATE VIEW " + from + " AS SELECT * FROM " + to),
                List.of("DROP VIEW " + from, "ALTER TABLE " + to + " RENAME TO " + from));
    }

    static String acknowledgedDrop(String id, String author, String sql, String what) {
        return changeSet(id, author, true, "keel-allow drop: <the release since which no running instance uses " + what + ">",
                List.of(sql), null);
    }

    static String withLockTimeout(String id, String author, String sql) {
        return "# Or set DB_LOCK_TIMEOUT_MS for the db goals (see .env.example).\n"
                + changeSet(id, author, true, null, List.of("SET LOCAL lock_timeout = '3s'", sql), null);
    }

    static String outsideTransaction(String id, String author, String sql) {
        return changeSet(id, author, false, null, List.of(sql), null);
    }

    static String inBatches(String id, String author, String sql) {
        return "# Keep the heavy lock short: put this statement in a changeset of its own with a lock_timeout, and move any\n"
                + "# row changes into batches (UPDATE ... WHERE ctid IN (SELECT ctid ... LIMIT 10000), committed one by one).\n"
                + changeSet(id, author, true, null, List.of("SET LOCAL lock_timeout = '3s'", sql), null);
    }

    static String foreignKeyIndex(String id, String author, String table, List<String> columns, boolean populated) {
        String index = "ix_" + table.replaceAll("\\W", "_") + "__" + String.join("_", columns);
        String create = "CREATE INDEX" + (populated ? " CONCURRENTLY IF NOT EXISTS " : " ") + index + " ON " + table + " (" + String.join(", ", columns) + ")";
        return changeSet(id + "_index", author, !populated, null, populated ? List.of(InvalidIndexes.dropIfInvalid(List.of(index)), create) : List.of(create),
                List.of("DROP INDEX" + (populated ? " CONCURRENTLY " : " ") + index));
    }

    static String keepType(String table, String column, String type) {
        return "# Keep " + table + "." + column + " " + type + ", or add a new column of that type beside it.\n";
    }

    /** A domain constraint added NOT VALID (only new values are checked, no table is scanned), its validation apart. */
    static String domainNotValid(String id, String author, String domain, String constraint, String definition) {
        return "# NOT VALID checks only values written from now on and scans no table. VALIDATE still scans every table that uses\n"
                + "# the domain under SHARE (PostgreSQL 18 takes SHARE UPDATE EXCLUSIVE): run it apart, when those tables are quiet.\n"
                + changeSet(id, author, true, null, List.of("ALTER DOMAIN " + domain + " ADD CONSTRAINT " + constraint + " " + definition + " NOT VALID"),
                List.of("ALTER DOMAIN " + domain + " DROP CONSTRAINT " + constraint))
                + changeSet(id + "_validate", author, true, "keel-allow domain-constraint-scans: <why the tables using " + domain
                        + " can wait for the scan now>", List.of("SET LOCAL lock_timeout = '3s'", "ALTER DOMAIN " + domain + " VALIDATE CONSTRAINT " + constraint),
                        null);
    }

    static String deleteInBatches(String id, String author, String table) {
        return "# Delete the rows in committed batches, so readers and writers go on; or, when no running instance reads " + table + ",\n"
                + "# keep the TRUNCATE with keel-allow truncate: <why>.\n"
                + changeSet(id, author, false, null, List.of("""
                DO $$
                DECLARE deleted bigint;
                BEGIN
                  LOOP
                    DELETE FROM %1$s WHERE ctid IN (SELECT ctid FROM %1$s LIMIT 10000);
                    GET DIAGNOSTICS deleted = ROW_COUNT;
                    EXIT WHEN deleted = 0;
                    COMMIT;
                  END LOOP;
                END $$""".formatted(table)), null);
    }

    static String withoutTransactionControl(String id, String author, List<String> statements) {
        return "# Liquibase runs the changeset in a transaction and commits it: leave BEGIN, COMMIT and ROLLBACK out. Where a commit\n"
                + "# is needed half-way, split the changeset there into two.\n"
                + changeSet(id, author, true, null, statements.isEmpty() ? List.of("<the changeset's other statements>") : statements, null);
    }

    static String columnType(String table, String column, String type) {
        return "# In the changeset that creates " + table + "." + column + ":\n- column: {name: " + column + ", type: " + type + "}\n";
    }

    static String textWithCheck(String table, String column, String length) {
        return "# In the changeset that creates " + table + "." + column + ":\n- column: {name: " + column + ", type: text}\n"
                + "- sql:\n    sql: ALTER TABLE " + table + " ADD CONSTRAINT ck_" + table.replaceAll("\\W", "_") + "__" + column
                + "_length CHECK (char_length(" + column + ") <= " + length + ")\n";
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

    private static String concurrently(String definition) {
        return definition.replaceFirst("^CREATE (UNIQUE )?INDEX ", "CREATE $1INDEX CONCURRENTLY IF NOT EXISTS ");
    }

    private static String changeSet(String id, String author, boolean inTransaction, String comment, List<String> sqls, List<String> rollback) {
        StringBuilder yaml = new StringBuilder("- changeSet:\n    id: " + id + "\n    author: " + author + "\n");
        if (comment != null) {
            yaml.append("    comment: \"").append(comment.replace("\"", "\\\"")).append("\"\n");
        }
        if (!inTransaction) {
            yaml.append("    runInTransaction: false\n");
        }
        yaml.append("    changes:\n");
        sqls.forEach(sql -> yaml.append(sql(sql, "      ")));
        yaml.append("    rollback:\n");
        if (rollback == null) {
            yaml.append("      - empty: {}\n");
        } else {
            rollback.forEach(sql -> yaml.append(sql(sql, "      ")));
        }
        return yaml.toString();
    }

    private static String sql(String sql, String indent) {
        boolean block = sql.contains("$$");
        StringBuilder yaml = new StringBuilder(indent + "- sql:\n");
        if (block) {
            yaml.append(indent).append("    splitStatements: false\n");
        }
        yaml.append(indent).append("    sql: |\n");
        for (String line : sql.split("\n")) {
            yaml.append(indent).append("      ").append(line).append('\n');
        }
        return yaml.toString();
    }
}
