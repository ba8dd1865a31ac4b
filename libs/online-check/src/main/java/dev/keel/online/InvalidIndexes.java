package dev.keel.online;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A failed {@code CREATE INDEX CONCURRENTLY} (a lock_timeout, a duplicate key) leaves an INVALID index behind, and a
 * retried {@code CREATE INDEX CONCURRENTLY IF NOT EXISTS} would then skip it and report success. Every concurrent
 * build that generate or a safe rewrite writes is preceded by this block, which drops such a leftover first.
 */
public final class InvalidIndexes {

    private InvalidIndexes() {
    }

    /** A DO block (one statement: run it with {@code splitStatements: false}) dropping each named index that is INVALID. */
    public static String dropIfInvalid(List<String> indexes) {
        String names = indexes.stream().map(index -> "to_regclass('" + index.replace("'", "''") + "')").collect(Collectors.joining(", "));
        return """
                DO $$
                DECLARE invalid regclass;
                BEGIN
                  FOR invalid IN SELECT indexrelid::regclass FROM pg_index WHERE NOT indisvalid AND indexrelid IN (%s) LOOP
                    EXECUTE 'DROP INDEX ' || invalid;
                  END LOOP;
                END $$""".formatted(names);
    }
}
