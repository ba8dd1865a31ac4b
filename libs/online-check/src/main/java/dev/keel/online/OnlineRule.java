package dev.keel.online;

/** What the online-safety check reports, each with a stable id (used in suppressions) and a one-line reason. */
public enum OnlineRule {

    INDEX_NOT_CONCURRENT("index-not-concurrent", true,
            "building or dropping an index without CONCURRENTLY blocks every write to the table until it is done"),
    CONSTRAINT_WITHOUT_NOT_VALID("constraint-without-not-valid", true,
            "adding a FOREIGN KEY or CHECK checks every row while holding a lock that blocks writes; add it NOT VALID, then VALIDATE it"),
    SET_NOT_NULL_SCANS("set-not-null-scans", true,
            "SET NOT NULL scans the whole table under ACCESS EXCLUSIVE unless a validated CHECK (column IS NOT NULL) already proves it"),
    TYPE_CHANGE_REWRITES("type-change-rewrites", true,
            "this type change rewrites the table and its indexes under ACCESS EXCLUSIVE, blocking reads and writes"),
    VOLATILE_DEFAULT_REWRITES("volatile-default-rewrites", true,
            "adding a column computed for every row (a volatile default, an identity, a stored generated column) rewrites the table under"
                    + " ACCESS EXCLUSIVE"),
    UNIQUE_WITHOUT_INDEX("unique-without-index", true,
            "adding a UNIQUE or PRIMARY KEY constraint builds its index under ACCESS EXCLUSIVE; build it CONCURRENTLY, then add the constraint USING INDEX"),
    RENAME("rename", true,
            "renaming breaks every running instance of the service that still uses the old name"),
    DROP("drop", true,
            "dropping breaks every running instance of the service that still reads it, and cannot be undone"),
    NO_LOCK_TIMEOUT("no-lock-timeout", true,
            "DDL waiting for a lock behind a long transaction queues every later query on the table; run it with a lock_timeout"),
    CONCURRENTLY_IN_TRANSACTION("concurrently-in-transaction", true,
            "CONCURRENTLY cannot run inside a transaction block; the changeset needs runInTransaction: false"),
    DOMAIN_CONSTRAINT_SCANS("domain-constraint-scans", true,
            "adding or validating a domain's CHECK or NOT NULL scans every table that uses the domain under SHARE, which blocks writes to them"),
    TRANSACTION_CONTROL_IN_TRANSACTION("transaction-control-in-transaction", true,
            "BEGIN, COMMIT or ROLLBACK inside a changeset that Liquibase runs in a transaction ends that transaction early:"
                    + " what ran before commits even if a later statement fails, and the changeset is recorded apart from it"),
    TRUNCATE("truncate", true,
            "TRUNCATE empties an existing table under ACCESS EXCLUSIVE: every running instance of the service loses its rows at once"),
    FOREIGN_KEY_WITHOUT_INDEX("foreign-key-without-index", true,
            "a foreign-key column without an index makes every delete or key update of the referenced table scan this table"),
    ACCESS_EXCLUSIVE_HELD("access-exclusive-held", true,
            "ACCESS EXCLUSIVE was held while the statement read or rewrote every row of the table, or for longer than "
                    + OnlineCheck.EXCLUSIVE_LIMIT_MS + " ms, blocking reads and writes of the table"),
    WRITE_BLOCKING_LOCK("write-blocking-lock", true,
            "a SHARE, SHARE ROW EXCLUSIVE or EXCLUSIVE lock was held while the statement read every row of the table, or for longer than "
                    + OnlineCheck.EXCLUSIVE_LIMIT_MS + " ms, blocking every write to it"),
    ROWS_LOCKED("rows-locked", true,
            "an UPDATE or DELETE of more than " + String.format("%,d", SafeRewrites.BATCH_ROWS) + " rows of an existing table in one"
                    + " transaction keeps each row locked until the commit, so every write to those rows waits; change them in committed batches"),
    LOCK_BUDGET("lock-budget", true,
            "at the table's production size (" + ProductionSize.STATS_KEY + ") this write-blocking lock would be held longer than the budget ("
                    + ProductionSize.BUDGET_KEY + "), however briefly the trace's smaller table held it"),
    JSON_TYPE("json-type", false, "json keeps the text as written and cannot be indexed or compared; use jsonb"),
    VARCHAR_LENGTH("varchar-length", false,
            "varchar(n) puts the limit in the type, where shrinking it later rewrites the table; use text with a named CHECK on char_length"),
    TIMESTAMP_WITHOUT_TIME_ZONE("timestamp-without-time-zone", false,
            "timestamp without time zone loses the offset; use timestamptz"),
    INT_KEY("int-key", false, "an int or serial key runs out at 2,147,483,647 rows; use bigint");

    final String id;
    final boolean error;
    final String reason;

    OnlineRule(String id, boolean error, String reason) {
        this.id = id;
        this.error = error;
        this.reason = reason;
    }

    static OnlineRule byId(String id) {
        for (OnlineRule rule : values()) {
            if (rule.id.equals(id)) {
                return rule;
            }
        }
        return null;
    }
}
