package dev.keel.testdb;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads the schema straight from PostgreSQL's catalog, never from Liquibase's own report. */
public final class Catalog {

    /** Liquibase's bookkeeping tables, which are not part of the application's schema. */
    private static final String NOT_LIQUIBASE = "NOT IN ('databasechangelog', 'databasechangeloglock')";

    /**
     * A column's default or generation expression, with the spellings of the transaction's start time written as one:
     * PostgreSQL keeps {@code CURRENT_TIMESTAMP} and {@code now()} apart although they give the same value, and a
     * rollback that writes the other one restores the same schema.
     */
    private static final String COLUMN_DEFAULT =
            "regexp_replace(pg_get_expr(d.adbin, d.adrelid), '\\mCURRENT_TIMESTAMP\\M(?!\\()|\\mtransaction_timestamp\\(\\)', 'now()', 'g')";

    private Catalog() {
    }

    /** The schemas that are the database's own, public and any other a changelog creates: PostgreSQL's are not. */
    private static final String OWN_SCHEMAS = "(SELECT oid FROM pg_namespace WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%')";

    /**
     * Every object of the database's own schemas as sorted lines: schemas, types, tables, columns with type, nullability
     * and default, constraints with their definitions, indexes, sequences, functions and privileges. Names outside
     * public are qualified.
     */
    public static List<String> fingerprint(Connection connection) throws SQLException {
        return lines(connection, FINGERPRINT + " ORDER BY 1");
    }

    /** A hash of {@link #fingerprint}, computed by the server, for comparing schemas without reading them. */
    public static String digest(Connection connection) throws SQLException {
        return lines(connection, "SELECT md5(coalesce(string_agg(line, E'\\n' ORDER BY line), '')) FROM (" + FINGERPRINT + ") f(line)").get(0);
    }

    /**
     * How many objects of each kind the database's own schemas hold (schemas, types, relations, columns, constraints,
     * functions, privileges), with a hash of the columns' types, nullability and defaults and of the constraints'
     * definitions: a check that costs a fraction of {@link #digest} and sees any object added or lost, and a column or
     * constraint put back otherwise than it was (a CHECK's old bound, say).
     */
    public static String objectCounts(Connection connection) throws SQLException {
        // Privileges are counted as the fingerprint lists them: an owner's own entry and Liquibase's tables left out.
        return lines(connection, """
                SELECT (SELECT count(*) FROM pg_namespace WHERE oid IN %2$s)
                       || ',' || (SELECT count(*) FROM pg_type WHERE typnamespace IN %2$s)
                       || ',' || (SELECT count(*) FROM pg_class WHERE relnamespace IN %2$s)
                       || ',' || (SELECT count(*) FROM pg_attribute WHERE attnum > 0 AND NOT attisdropped
                                     AND attrelid IN (SELECT oid FROM pg_class WHERE relnamespace IN %2$s))
                       || ',' || (SELECT count(*) FROM pg_constraint WHERE connamespace IN %2$s)
                       || ',' || (SELECT count(*) FROM pg_proc WHERE pronamespace IN %2$s)
                       || ',' || (SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                                   WHERE NOT t.tgisinternal AND c.relnamespace IN %2$s)
                       || ',' || (SELECT count(*) FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
                                   WHERE r.rulename <> '_RETURN' AND c.relnamespace IN %2$s)
                       || ',' || (SELECT count(*) FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE c.relnamespace IN %2$s)
                       || ',' || (SELECT count(*) FROM pg_event_trigger)
                       || ',' || (SELECT count(*) FROM pg_class c, aclexplode(c.relacl) a
                                   WHERE c.relnamespace IN %2$s AND a.grantee <> c.relowner AND c.relname %1$s)
                       || ',' || (SELECT md5(coalesce(string_agg(a.attrelid::regclass::text || '.' || a.attname || ' '
                                                                 || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull || ' '
                                                                 || a.attgenerated::text || coalesce(%3$s, ''),
                                                                 ',' ORDER BY a.attrelid::regclass::text, a.attname), ''))
                                    FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                                   WHERE a.attnum > 0 AND NOT a.attisdropped
                                     AND a.attrelid IN (SELECT oid FROM pg_class WHERE relnamespace IN %2$s AND relkind IN ('r', 'p')))
                       || ',' || (SELECT md5(coalesce(string_agg(k.conrelid::regclass::text || '.' || k.conname || ' '
                                                                 || pg_get_constraintdef(k.oid), ',' ORDER BY k.conrelid::regclass::text, k.conname), ''))
                                    FROM pg_constraint k WHERE k.connamespace IN %2$s)
                """.formatted(NOT_LIQUIBASE, OWN_SCHEMAS, COLUMN_DEFAULT)).get(0);
    }

    // From pg_catalog rather than information_schema, whose views cost ten times as much: the rollback check
    // takes a digest after every step of every changeset.
    private static final String FINGERPRINT = """
            SELECT 'schema ' || n.nspname || ' ' || coalesce(array_to_string(n.nspacl, ','), '') FROM pg_namespace n WHERE n.oid IN %2$s
            UNION ALL
            SELECT 'type ' || t.oid::regtype::text || ' ' || t.typtype::text || ' ' || format_type(t.typbasetype, t.typtypmod)
                   || coalesce(' ' || (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid), '')
              FROM pg_type t WHERE t.typnamespace IN %2$s AND t.typrelid = 0 AND t.typelem = 0
            UNION ALL
            SELECT 'table ' || c.oid::regclass::text || ' ' || c.relkind::text || CASE WHEN c.relrowsecurity THEN ' row security' ELSE '' END
              FROM pg_class c
             WHERE c.relnamespace IN %2$s AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relname %1$s
            UNION ALL
            SELECT 'view ' || c.oid::regclass::text || ' ' || pg_get_viewdef(c.oid) FROM pg_class c
             WHERE c.relnamespace IN %2$s AND c.relkind IN ('v', 'm')
            UNION ALL
            SELECT 'column ' || c.oid::regclass::text || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                   || CASE WHEN a.attnotnull THEN ' not null' ELSE ' null' END
                   || CASE a.attidentity WHEN 'a' THEN ' identity ALWAYS' WHEN 'd' THEN ' identity BY DEFAULT' ELSE '' END
                   || coalesce(CASE a.attgenerated WHEN 's' THEN ' generated ' ELSE ' default ' END || %3$s, '')
              FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
              LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
             WHERE c.relnamespace IN %2$s AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
               AND a.attnum > 0 AND NOT a.attisdropped AND c.relname %1$s
            UNION ALL
            SELECT 'constraint ' || coalesce(c.oid::regclass::text, k.contypid::regtype::text, '-') || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid)
              FROM pg_constraint k LEFT JOIN pg_class c ON c.oid = k.conrelid
             WHERE k.connamespace IN %2$s AND coalesce(c.relname, '-') %1$s
            UNION ALL
            SELECT 'index ' || pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
             WHERE c.relnamespace IN %2$s AND c.relname %1$s
            UNION ALL
            SELECT 'sequence ' || c.oid::regclass::text FROM pg_class c WHERE c.relnamespace IN %2$s AND c.relkind = 'S'
            UNION ALL
            SELECT 'function ' || p.oid::regprocedure FROM pg_proc p WHERE p.pronamespace IN %2$s
            UNION ALL
            SELECT 'trigger ' || pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
             WHERE NOT t.tgisinternal AND c.relnamespace IN %2$s AND c.relname %1$s
            UNION ALL
            SELECT 'rule ' || pg_get_ruledef(r.oid) FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
             WHERE r.rulename <> '_RETURN' AND c.relnamespace IN %2$s
            UNION ALL
            SELECT 'policy ' || p.polname || ' on ' || c.oid::regclass::text || ' ' || p.polcmd::text || ' ' || p.polpermissive::text
                   || coalesce(' using ' || pg_get_expr(p.polqual, p.polrelid), '') || coalesce(' check ' || pg_get_expr(p.polwithcheck, p.polrelid), '')
              FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE c.relnamespace IN %2$s
            UNION ALL
            SELECT 'event trigger ' || e.evtname || ' ' || e.evtevent || ' ' || e.evtfoid::regproc::text FROM pg_event_trigger e
            UNION ALL
            SELECT 'privilege ' || c.oid::regclass::text || ' ' || a.grantee::regrole::text || ' ' || a.privilege_type
              FROM pg_class c, aclexplode(c.relacl) a
             WHERE c.relnamespace IN %2$s AND a.grantee <> c.relowner AND c.relname %1$s
            UNION ALL
            SELECT 'default privileges ' || defaclnamespace::regnamespace::text || ' ' || defaclobjtype::text || ' '
                   || array_to_string(defaclacl, ',') FROM pg_default_acl
            """.formatted(NOT_LIQUIBASE, OWN_SCHEMAS, COLUMN_DEFAULT);

    /** The first column of every row of a query, as strings. */
    public static List<String> lines(Connection connection, String sql) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                lines.add(rows.getString(1));
            }
        }
        return lines;
    }
}
