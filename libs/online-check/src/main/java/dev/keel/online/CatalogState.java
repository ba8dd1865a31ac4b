package dev.keel.online;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The application's relations, columns, constraints and indexes as PostgreSQL's catalog holds them at one moment,
 * keyed by object id, so two states tell what a statement created, changed, renamed, dropped or rewrote.
 */
record CatalogState(Map<Long, Relation> relations, Map<String, Column> columns, Map<Long, Constraint> constraints,
                    Map<Long, Index> indexes, Map<Long, Domain> domains) {

    /** A table, partitioned table, materialized view or index; {@code filenode} changes when it is rewritten. */
    record Relation(long oid, String name, char kind, long filenode) {

        boolean isTable() {
            return kind == 'r' || kind == 'p';
        }
    }

    /**
     * {@code identifier}: the name as SQL must write it, quoted where PostgreSQL needs that (upper case, a keyword).
     * {@code generated}: a stored generated column, whose {@code defaultExpression} is then its generation expression.
     */
    record Column(long table, int number, String name, String type, boolean notNull, String defaultExpression, long typeId, String identifier,
                  boolean generated) {
    }

    /** A domain, whether it is NOT NULL, and its CHECK constraints: name to whether it is validated. */
    record Domain(long oid, String name, boolean notNull, Map<String, Boolean> checks, Map<String, String> definitions) {
    }

    /** {@code type}: c check, f foreign key, p primary key, u unique, x exclusion. */
    record Constraint(long oid, long table, String name, char type, boolean validated, long index, String definition,
                      List<Integer> columns, String identifier) {
    }

    record Index(long oid, long table, String definition, List<Integer> columns) {
    }

    private static final String USER_SCHEMAS = " " + """
            c.relnamespace NOT IN (SELECT oid FROM pg_namespace WHERE nspname IN ('pg_catalog', 'information_schema')
                                   OR nspname LIKE 'pg\\_toast%' OR nspname LIKE 'pg\\_temp%')
            AND c.relname NOT IN ('databasechangelog', 'databasechangeloglock')""";

    static CatalogState read(Connection connection) throws SQLException {
        return read(connection, null);
    }

    /** The application's tables (plain and partitioned) as they are now. */
    static Set<Long> tables(Connection connection) throws SQLException {
        Set<Long> tables = new java.util.LinkedHashSet<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT c.oid FROM pg_class c WHERE c.relkind IN ('r', 'p') AND " + USER_SCHEMAS)) {
            while (rows.next()) {
                tables.add(rows.getLong(1));
            }
        }
        return tables;
    }

    /**
     * This state with the given relations read again: a statement inside a transaction holds a lock on every
     * relation it changed until the commit, so reading those it holds gives the whole catalog after it without
     * reading every table of a large schema after every statement.
     */
    CatalogState refreshed(Connection connection, Set<Long> locked) throws SQLException {
        if (locked.isEmpty()) {
            return this;
        }
        CatalogState fresh = read(connection, locked);
        Map<Long, Relation> relations = new LinkedHashMap<>(this.relations);
        relations.values().removeIf(r -> locked.contains(r.oid()) || indexes.containsKey(r.oid()) && locked.contains(indexes.get(r.oid()).table()));
        relations.putAll(fresh.relations);
        Map<String, Column> columns = new LinkedHashMap<>(this.columns);
        columns.values().removeIf(c -> locked.contains(c.table()));
        columns.putAll(fresh.columns);
        Map<Long, Constraint> constraints = new LinkedHashMap<>(this.constraints);
        constraints.values().removeIf(c -> locked.contains(c.table()));
        constraints.putAll(fresh.constraints);
        Map<Long, Index> indexes = new LinkedHashMap<>(this.indexes);
        indexes.values().removeIf(i -> locked.contains(i.table()) || locked.contains(i.oid()));
        indexes.putAll(fresh.indexes);
        return new CatalogState(relations, columns, constraints, indexes, fresh.domains);
    }

    /** The catalog, or with {@code only} just those relations (tables, and their indexes and constraints). */
    private static CatalogState read(Connection connection, Set<Long> only) throws SQLException {
        String list = only == null ? null : only.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "));
        String relationFilter = only == null ? "" : " AND (c.oid IN (" + list + ") OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid IN (" + list + ")))";
        String columnFilter = only == null ? "" : " AND a.attrelid IN (" + list + ")";
        String constraintFilter = only == null ? "" : " AND k.conrelid IN (" + list + ")";
        String indexFilter = only == null ? "" : " AND (i.indrelid IN (" + list + ") OR i.indexrelid IN (" + list + "))";
        Map<Long, Relation> relations = new LinkedHashMap<>();
        Map<String, Column> columns = new LinkedHashMap<>();
        Map<Long, Constraint> constraints = new LinkedHashMap<>();
        Map<Long, Index> indexes = new LinkedHashMap<>();
        Map<Long, Domain> domains = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("""
                    SELECT c.oid, CASE WHEN c.relnamespace = 'public'::regnamespace THEN '' ELSE c.relnamespace::regnamespace || '.' END
                           || quote_ident(c.relname), c.relkind, c.relfilenode
                    FROM pg_class c WHERE c.relkind IN ('r', 'p', 'm', 'i', 'I') AND """ + USER_SCHEMAS + relationFilter)) {
                while (rows.next()) {
                    relations.put(rows.getLong(1), new Relation(rows.getLong(1), rows.getString(2), rows.getString(3).charAt(0), rows.getLong(4)));
                }
            }
            try (ResultSet rows = statement.executeQuery("""
                    SELECT a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.atttypid,
                           quote_ident(a.attname), a.attgenerated = 's'
                    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                    WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND """ + USER_SCHEMAS + columnFilter)) {
                while (rows.next()) {
                    Column column = new Column(rows.getLong(1), rows.getInt(2), rows.getString(3), rows.getString(4), rows.getBoolean(5),
                            rows.getString(6), rows.getLong(7), rows.getString(8), rows.getBoolean(9));
                    columns.put(key(column.table(), column.number()), column);
                }
            }
            try (ResultSet rows = statement.executeQuery("""
                    SELECT k.oid, k.conrelid, k.conname, k.contype, k.convalidated, k.conindid, pg_get_constraintdef(k.oid), k.conkey, quote_ident(k.conname)
                    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid WHERE """ + USER_SCHEMAS + constraintFilter)) {
                while (rows.next()) {
                    constraints.put(rows.getLong(1), new Constraint(rows.getLong(1), rows.getLong(2), rows.getString(3),
                            rows.getString(4).charAt(0), rows.getBoolean(5), rows.getLong(6), rows.getString(7), numbers(rows.getArray(8)),
                            rows.getString(9)));
                }
            }
            try (ResultSet rows = statement.executeQuery("""
                    SELECT i.indexrelid, i.indrelid, pg_get_indexdef(i.indexrelid), i.indkey::text
                    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE """ + USER_SCHEMAS + indexFilter)) {
                while (rows.next()) {
                    indexes.put(rows.getLong(1), new Index(rows.getLong(1), rows.getLong(2), rows.getString(3),
                            Arrays.stream(rows.getString(4).trim().split(" ")).filter(s -> !s.isEmpty()).map(Integer::valueOf).toList()));
                }
            }
            // Domains are few and no relation lock covers them: always read whole.
            try (ResultSet rows = statement.executeQuery("""
                    SELECT t.oid, t.oid::regtype::text, t.typnotnull, k.conname, k.convalidated, pg_get_constraintdef(k.oid)
                    FROM pg_type t LEFT JOIN pg_constraint k ON k.contypid = t.oid AND k.contype = 'c'
                    WHERE t.typtype = 'd' AND t.typnamespace NOT IN (SELECT oid FROM pg_namespace WHERE nspname IN ('pg_catalog', 'information_schema'))
                    ORDER BY t.oid, k.conname""")) {
                while (rows.next()) {
                    Domain domain = domains.get(rows.getLong(1));
                    if (domain == null) {
                        domain = new Domain(rows.getLong(1), rows.getString(2), rows.getBoolean(3), new LinkedHashMap<>(), new LinkedHashMap<>());
                        domains.put(domain.oid(), domain);
                    }
                    if (rows.getString(4) != null) {
                        domain.checks().put(rows.getString(4), rows.getBoolean(5));
                        domain.definitions().put(rows.getString(4), rows.getString(6));
                    }
                }
            }
        }
        return new CatalogState(relations, columns, constraints, indexes, domains);
    }

    static String key(long table, int number) {
        return table + "/" + number;
    }

    String name(long relation) {
        Relation found = relations.get(relation);
        return found == null ? "relation " + relation : found.name();
    }

    Column column(long table, int number) {
        return columns.get(key(table, number));
    }

    /** The columns' identifiers, as SQL writes them. */
    List<String> columnIdentifiers(long table, List<Integer> numbers) {
        List<String> names = new ArrayList<>();
        for (int number : numbers) {
            Column column = column(table, number);
            names.add(column == null ? "#" + number : column.identifier());
        }
        return names;
    }

    /** Whether an index of {@code table} starts with exactly these columns, in any order, so it serves their lookups. */
    boolean indexLeadsWith(long table, List<Integer> numbers) {
        return indexes.values().stream().filter(index -> index.table() == table).anyMatch(index ->
                index.columns().size() >= numbers.size()
                        && new java.util.HashSet<>(index.columns().subList(0, numbers.size())).equals(new java.util.HashSet<>(numbers)));
    }

    /** Whether a validated CHECK that proves {@code column IS NOT NULL} (its identifier) exists, so SET NOT NULL needs no scan. */
    boolean provesNotNull(long table, String column) {
        String proof = "CHECK ((" + column + " IS NOT NULL))";
        return constraints.values().stream().anyMatch(constraint -> constraint.table() == table && constraint.type() == 'c'
                && constraint.validated() && Objects.equals(constraint.definition(), proof));
    }

    private static List<Integer> numbers(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        List<Integer> numbers = new ArrayList<>();
        for (Object value : (Object[]) array.getArray()) {
            numbers.add(((Number) value).intValue());
        }
        return numbers;
    }
}
