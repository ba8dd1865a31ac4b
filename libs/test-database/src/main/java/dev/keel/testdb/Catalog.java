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

    private Catalog() {
    }

    /**
     * Every object of the public schema as sorted lines: tables, columns with type, nullability and
     * default, constraints with their definitions, indexes, sequences, functions and privileges.
     */
    public static List<String> fingerprint(Connection connection) throws SQLException {
        return lines(connection, """
                SELECT 'table ' || table_name || ' ' || table_type FROM information_schema.tables
                 WHERE table_schema = 'public' AND table_name %1$s
                UNION ALL
                SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type
                       || CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE ' null' END
                       || CASE WHEN is_identity = 'YES' THEN ' identity ' || identity_generation ELSE '' END
                       || coalesce(' default ' || column_default, '')
                  FROM information_schema.columns WHERE table_schema = 'public' AND table_name %1$s
                UNION ALL
                SELECT 'constraint ' || c.conrelid::regclass || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid)
                  FROM pg_constraint c WHERE c.connamespace = 'public'::regnamespace
                   AND c.conrelid::regclass::text %1$s
                UNION ALL
                SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename %1$s
                UNION ALL
                SELECT 'sequence ' || sequence_name FROM information_schema.sequences WHERE sequence_schema = 'public'
                UNION ALL
                SELECT 'function ' || p.oid::regprocedure FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
                UNION ALL
                SELECT 'privilege ' || c.relname || ' ' || a.grantee::regrole::text || ' ' || a.privilege_type
                  FROM pg_class c, aclexplode(c.relacl) a
                 WHERE c.relnamespace = 'public'::regnamespace AND a.grantee <> c.relowner AND c.relname %1$s
                UNION ALL
                SELECT 'schema privileges ' || array_to_string(nspacl, ',') FROM pg_namespace WHERE nspname = 'public'
                UNION ALL
                SELECT 'default privileges ' || defaclobjtype::text || ' ' || array_to_string(defaclacl, ',') FROM pg_default_acl
                ORDER BY 1
                """.formatted(NOT_LIQUIBASE));
    }

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
