package dev.keel.online;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Fills a table with generated rows that satisfy its constraints, read from the catalog: each column gets a value
 * of its type (the first of several candidates that its CHECK constraints accept, or one of the values an
 * {@code IN (...)} check lists), a foreign key gets the keys of rows in the table it references (given
 * {@value #PARENT_ROWS} rows first if it has none from this filler; a nullable one that closes a cycle of foreign keys stays NULL),
 * and a column with a default or an identity gets that (unless a unique key refuses one default for every row). When no
 * candidate passes, the reason is said, not guessed.
 */
final class SyntheticRows {

    /** Why a table could not be filled. */
    static class Unfillable extends Exception {
        Unfillable(String message) {
            super(message);
        }
    }

    /** A row of a partitioned table that no partition takes: its partitions are filled one by one instead. */
    private static final class NoPartition extends Unfillable {
        NoPartition(String message) {
            super(message);
        }
    }

    private static final Pattern ALLOWED_VALUES = Pattern.compile("^CHECK \\(\\(?\\(?(\\S+?)\\)? = ANY \\((ARRAY\\[.*])\\)\\)\\)?$");
    private static final int ATTEMPTS = 40;
    /** PostgreSQL's detail of a foreign key violation: the row's key columns, and the table they must be present in. */
    private static final Pattern KEY_NOT_PRESENT = Pattern.compile("Key \\((.+)\\)=\\(.*\\) is not present in table \"(.+)\"\\.", Pattern.DOTALL);
    /**
     * Rows for a table that is only referenced: its foreign keys need rows to point at, not a realistic size. A long
     * chain of foreign keys would otherwise put the full count in every table up the chain.
     */
    static final int PARENT_ROWS = 1_000;

    private final Connection connection;
    private final int rows;
    /** Rows this filler added to each table so far. */
    private final Map<Long, Integer> filled = new HashMap<>();
    /** Rows added to each table since {@link #clearAdded}, by name. */
    private final Map<String, Integer> added = new LinkedHashMap<>();

    SyntheticRows(Connection connection, int rows) {
        this.connection = connection;
        this.rows = rows;
    }

    void clearAdded() {
        added.clear();
    }

    /** The rows added to each table since {@link #clearAdded}. */
    Map<String, Integer> added() {
        return new LinkedHashMap<>(added);
    }

    /** Adds rows to the table until this filler has added {@code rows} in all; the tables it references get a few first. */
    void fill(long table) throws SQLException, Unfillable {
        fill(table, rows, new HashSet<>());
    }

    private void fill(long table, int wanted, Set<Long> path) throws SQLException, Unfillable {
        // A partition is filled with its whole partition tree, through the tree's root, which routes each row.
        long root = Long.parseLong(one("SELECT coalesce(pg_partition_root(" + table + "::oid::regclass), " + table + "::oid::regclass)::oid"));
        fill(root, wanted, path, false);
    }

    private void fill(long table, int wanted, Set<Long> path, boolean leaf) throws SQLException, Unfillable {
        int have = filled.getOrDefault(table, 0);
        if (have >= wanted) {
            return;
        }
        String name = one("SELECT " + table + "::regclass::text");
        if (!path.add(table)) {
            throw new Unfillable(name + ": it is part of a cycle of NOT NULL foreign keys");
        }
        List<ColumnInfo> columns = columns(table);
        Map<String, String> joins = new LinkedHashMap<>();
        List<Set<String>> uniqueKeys = uniqueKeys(table);
        // Each foreign key takes its parent row from its own digit of g, in a base of the parent's row count: two
        // foreign keys that make a composite key (a join table's) then give distinct pairs, not the same pair twice.
        long divisor = 1;
        for (ForeignKey key : foreignKeys(table)) {
            boolean nullable = key.columns().stream().allMatch(column -> columnNamed(columns, column).nullable);
            String parent = one("SELECT " + key.parent() + "::regclass::text");
            long parentRows;
            if (key.parent() == table) {
                if (nullable) {
                    key.columns().forEach(column -> columnNamed(columns, column).fixed("NULL"));
                    continue;
                }
                // A NOT NULL key to the table itself (a creator who is a user) can only point at the rows it has.
                parentRows = Long.parseLong(one("SELECT count(*) FROM " + name));
                if (parentRows == 0) {
                    throw new Unfillable(name + ": foreign key " + key.name() + " references the table itself and is NOT NULL, and the table has no row");
                }
            } else {
                // A foreign key that alone makes the row unique (one-to-one) needs a parent row for every row.
                boolean unique = uniqueKeys.stream().anyMatch(columnsOfKey -> key.columns().containsAll(columnsOfKey));
                Set<Long> onPath = Set.copyOf(path);
                try {
                    fill(key.parent(), unique ? wanted : PARENT_ROWS, path);
                } catch (Unfillable unfillable) {
                    path.retainAll(onPath);
                    // A nullable key breaks a cycle (left NULL unless its parent has rows, and the tables past it are filled
                    // when something needs them); a parent that cannot be filled may have rows to point at already.
                    if (!nullable && Long.parseLong(one("SELECT count(*) FROM " + parent)) == 0) {
                        throw unfillable;
                    }
                }
                parentRows = Long.parseLong(one("SELECT count(*) FROM " + parent));
                if (parentRows == 0) {
                    if (!nullable) {
                        throw new Unfillable(name + ": foreign key " + key.name() + " needs rows in " + parent);
                    }
                    key.columns().forEach(column -> columnNamed(columns, column).fixed("NULL"));
                    continue;
                }
            }
            String alias = "f" + joins.size();
            joins.put(alias, "JOIN (SELECT row_number() OVER () - 1 AS r, " + String.join(", ", key.parentColumns()) + " FROM "
                    + parent + ") " + alias + " ON " + alias + ".r = (g / " + divisor + ") % " + parentRows);
            divisor = Math.min(divisor * parentRows, Integer.MAX_VALUE);
            for (int i = 0; i < key.columns().size(); i++) {
                columnNamed(columns, key.columns().get(i)).fixed(alias + "." + key.parentColumns().get(i));
            }
        }
        for (Map.Entry<String, String> allowed : allowedValues(table).entrySet()) {
            ColumnInfo column = columnNamed(columns, allowed.getKey());
            if (column != null && column.fixed == null) {
                String array = allowed.getValue();
                column.candidates.add(0, "(" + array + ")[1 + g % cardinality(" + array + ")]");
            }
        }
        if (leaf) {
            partitionBound(table, columns);
        }
        try {
            insert(table, name, columns, joins, have + 1, wanted);
            added.merge(name, wanted - have, Integer::sum);
        } catch (NoPartition routing) {
            fillPartitions(table, wanted - have, path);
        }
        filled.put(table, wanted);
        for (long partition : partitions(table)) {
            filled.merge(partition, wanted, Math::max);
        }
        path.remove(table);
    }

    /**
     * The rows spread over the leaf partitions, each filled directly with its partition key set inside its bounds;
     * a partition that cannot be filled is left empty while another can.
     */
    private void fillPartitions(long table, int rows, Set<Long> path) throws SQLException, Unfillable {
        List<Long> leaves = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT relid::oid FROM pg_partition_tree(" + table + "::oid::regclass) WHERE isleaf")) {
            while (row.next()) {
                leaves.add(row.getLong(1));
            }
        }
        if (leaves.isEmpty()) {
            return; // without a partition it holds no rows in production either
        }
        Unfillable first = null;
        boolean any = false;
        for (long leaf : leaves) {
            try {
                fill(leaf, Math.max(1, rows / leaves.size()), path, true);
                any = true;
            } catch (Unfillable e) {
                path.remove(leaf);
                first = first == null ? e : first;
            }
        }
        if (!any) {
            throw first;
        }
    }

    private List<Long> partitions(long table) throws SQLException {
        List<Long> partitions = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT relid::oid FROM pg_partition_tree(" + table + "::oid::regclass) WHERE relid <> " + table + "::oid::regclass")) {
            while (row.next()) {
                partitions.add(row.getLong(1));
            }
        }
        return partitions;
    }

    /** The partition key's columns of a partition, in key order; empty for a key on an expression. */
    private final Map<Long, List<String>> partitionKeys = new HashMap<>();

    /**
     * A partition's key columns get a value inside its bound first: the lower bound of a range (or just below the
     * upper one, for MINVALUE), the first value of a list. A DEFAULT or hash partition keeps the usual values.
     */
    private void partitionBound(long table, List<ColumnInfo> columns) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT a.attname FROM pg_inherits h JOIN pg_partitioned_table p ON p.partrelid = h.inhparent
                CROSS JOIN LATERAL unnest(p.partattrs) WITH ORDINALITY u(n, i)
                JOIN pg_attribute a ON a.attrelid = h.inhparent AND a.attnum = u.n
                WHERE h.inhrelid = ? AND NOT EXISTS (SELECT FROM unnest(p.partattrs) z WHERE z = 0) ORDER BY u.i""")) {
            query.setLong(1, table);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    keys.add(rows.getString(1));
                }
            }
        }
        partitionKeys.put(table, keys);
        String bound = one("SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE oid = " + table);
        Matcher range = Pattern.compile("^FOR VALUES FROM \\((.*)\\) TO \\((.*)\\)$").matcher(bound == null ? "" : bound);
        Matcher list = Pattern.compile("^FOR VALUES IN \\((.*)\\)$").matcher(bound == null ? "" : bound);
        List<String> lower = range.matches() ? items(range.group(1)) : list.matches() ? items(list.group(1)).subList(0, 1) : List.of();
        List<String> upper = range.matches() ? items(range.group(2)) : List.of();
        for (int i = 0; i < keys.size() && i < lower.size(); i++) {
            ColumnInfo column = columnNamed(columns, keys.get(i));
            if (column == null || column.fixed != null) {
                continue;
            }
            if (!lower.get(i).equals("MINVALUE") && !lower.get(i).equals("MAXVALUE")) {
                column.candidates.add(0, lower.get(i));
            } else if (i < upper.size() && !upper.get(i).matches("MINVALUE|MAXVALUE")) {
                String below = column.type.startsWith("timestamp") ? " - interval '1 second'"
                        : column.type.matches("integer|bigint|smallint|numeric.*|date") ? " - 1" : null;
                if (below != null) {
                    column.candidates.add(0, "(" + upper.get(i) + ")::" + column.type + below);
                }
            }
        }
    }

    /** The items of a bound's list, split at the commas outside quotes. */
    private static List<String> items(String list) {
        List<String> items = new ArrayList<>();
        StringBuilder item = new StringBuilder();
        boolean quoted = false;
        for (char c : list.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                items.add(item.toString().strip());
                item.setLength(0);
            } else {
                item.append(c);
            }
        }
        items.add(item.toString().strip());
        return items;
    }

    /** Inserts the rows numbered {@code from} to {@code to}: each value derives from its number, so later rows stay distinct. */
    private void insert(long table, String name, List<ColumnInfo> columns, Map<String, String> joins, int from, int to)
            throws SQLException, Unfillable {
        advanceSequences(table, name);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            List<ColumnInfo> given = columns.stream().filter(column -> !column.usesDefault).toList();
            String sql = "INSERT INTO " + name + (given.isEmpty() ? " " : " (" + String.join(", ", given.stream().map(c -> c.quotedName).toList()) + ") ")
                    + (given.isEmpty() ? "SELECT FROM" : "SELECT " + String.join(", ", given.stream().map(ColumnInfo::expression).toList()) + " FROM")
                    + " generate_series(" + from + ", " + to + ") g " + String.join(" ", joins.values());
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
                statement.execute("ANALYZE " + name);
                return;
            } catch (PSQLException e) {
                ServerErrorMessage error = e.getServerErrorMessage();
                String constraint = error == null ? null : error.getConstraint();
                String column = error == null ? null : error.getColumn();
                List<ColumnInfo> culprits = new ArrayList<>();
                if (constraint != null) {
                    List<ColumnInfo> constrained = constraintColumns(table, constraint).stream().map(c -> columnNamed(columns, c)).filter(Objects::nonNull).toList();
                    // One default for every row cannot pass a unique key (a DEFAULT 0 UNIQUE column): the column gets
                    // generated values instead.
                    ColumnInfo defaulted = constrained.stream().filter(info -> info.usesDefault && info.plainDefault && !info.candidates.isEmpty())
                            .findFirst().orElse(null);
                    if (defaulted != null) {
                        defaulted.usesDefault = false;
                        continue;
                    }
                    for (ColumnInfo info : constrained) {
                        if (!info.usesDefault && info.fixed == null) {
                            culprits.add(info);
                        }
                    }
                } else if (column != null && columnNamed(columns, column) != null) {
                    culprits.add(columnNamed(columns, column));
                } else if ("23514".equals(e.getSQLState()) && e.getMessage().contains("no partition of relation")) {
                    throw new NoPartition(Verdicts.firstLine(e.getMessage()));
                } else if ("23514".equals(e.getSQLState())) {
                    // A row outside the partition's bound: its partition key is at fault.
                    for (String key : partitionKeys.getOrDefault(table, List.of())) {
                        ColumnInfo info = columnNamed(columns, key);
                        if (info != null && info.fixed == null) {
                            culprits.add(info);
                        }
                    }
                }
                ColumnInfo next = culprits.stream().filter(ColumnInfo::hasAnotherCandidate).findFirst().orElse(null);
                if (next != null) {
                    next.nextCandidate();
                    continue;
                }
                ColumnInfo nullable = culprits.stream().filter(info -> info.nullable && !"NULL".equals(info.expression())).findFirst().orElse(null);
                if (nullable != null) {
                    nullable.fixed("NULL");
                    continue;
                }
                throw new Unfillable(name + ": " + (constraint != null ? "constraint " + constraint + " rejects every value tried" : e.getMessage())
                        + " (" + Verdicts.firstLine(e.getMessage()) + ")");
            }
        }
        throw new Unfillable(name + ": no combination of generated values satisfied its constraints");
    }

    private static ColumnInfo columnNamed(List<ColumnInfo> columns, String name) {
        return columns.stream().filter(column -> column.name.equals(name)).findFirst().orElse(null);
    }

    /** A column, and the expressions in {@code g} (1 to rows) that may fill it, best first. */
    private static final class ColumnInfo {
        final String name;
        final String quotedName;
        final String type;
        final boolean nullable;
        /** A default that is neither an identity nor a generated column's: rows may be given other values. */
        final boolean plainDefault;
        boolean usesDefault;
        final List<String> candidates = new ArrayList<>();
        int candidate;
        String fixed;

        ColumnInfo(String name, String quotedName, String type, boolean nullable, boolean usesDefault, boolean plainDefault) {
            this.name = name;
            this.quotedName = quotedName;
            this.type = type;
            this.nullable = nullable;
            this.usesDefault = usesDefault;
            this.plainDefault = plainDefault;
        }

        void fixed(String expression) {
            fixed = expression;
        }

        boolean hasAnotherCandidate() {
            return fixed == null && candidate + 1 < candidates.size();
        }

        void nextCandidate() {
            candidate++;
        }

        String expression() {
            if (fixed != null) {
                return fixed.equals("NULL") ? "NULL::" + type : fixed;
            }
            return candidates.isEmpty() ? "NULL::" + type : "(" + candidates.get(candidate) + ")::" + type;
        }
    }

    private List<ColumnInfo> columns(long table) throws SQLException, Unfillable {
        List<ColumnInfo> columns = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT a.attname, quote_ident(a.attname), format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,
                       a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '',
                       coalesce(b.typname, t.typname), coalesce(b.typtype, t.typtype), coalesce(b.typcategory, t.typcategory),
                       CASE WHEN a.atttypmod > 4 AND coalesce(b.typname, t.typname) IN ('varchar', 'bpchar') THEN a.atttypmod - 4 END,
                       coalesce(b.oid, t.oid)::regtype::text, a.atthasdef AND a.attidentity = '' AND a.attgenerated = ''
                FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_type b ON t.typtype = 'd' AND b.oid = t.typbasetype
                WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""")) {
            query.setLong(1, table);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ColumnInfo column = new ColumnInfo(rows.getString(1), rows.getString(2), rows.getString(3), rows.getBoolean(4), rows.getBoolean(5),
                            rows.getBoolean(11));
                    int length = rows.getInt(9);
                    column.candidates.addAll(candidates(rows.getString(6), rows.getString(7).charAt(0), rows.getString(8).charAt(0),
                            rows.wasNull() ? 0 : length, rows.getString(10)));
                    columns.add(column);
                }
            }
        }
        return columns;
    }

    /** Values of a type, as expressions in {@code g}: distinct ones first, since keys and unique indexes need them. */
    private static List<String> candidates(String type, char kind, char category, int length, String regtype) {
        if (kind == 'e') {
            return List.of("(enum_range(NULL::" + regtype + "))[1 + g % cardinality(enum_range(NULL::" + regtype + "))]");
        }
        if (category == 'A') {
            return List.of("'{}'");
        }
        List<String> values = switch (type) {
            case "int2" -> List.of("g % 32767", "0", "1");
            case "int4", "int8", "numeric", "float4", "float8", "oid" -> List.of("g", "0", "1", "-g");
            case "text", "varchar", "bpchar", "citext", "name" ->
                    List.of("'k' || g || '@example.com'", "'k' || g", "'K' || g", "lpad(g::text, 8, '0')", "md5(g::text)", "'k'", "'K'", "'0'");
            case "bool" -> List.of("g % 2 = 0", "true", "false");
            case "date" -> List.of("date '2000-01-01' + (g % 3650)");
            case "timestamp", "timestamptz" -> List.of("timestamp '2000-01-01' + g * interval '1 second'");
            case "time", "timetz" -> List.of("time '00:00' + (g % 86400) * interval '1 second'");
            case "interval" -> List.of("g * interval '1 second'");
            case "uuid" -> List.of("md5(g::text)::uuid");
            case "json", "jsonb" -> List.of("'{}'", "'[]'", "'{\"k\": 1}'");
            case "bytea" -> List.of("decode(md5(g::text), 'hex')");
            case "inet", "cidr" -> List.of("'10.0.0.0'::inet + g");
            default -> List.of();
        };
        if (length > 0 && category == 'S') {
            return values.stream().map(value -> "left(" + value + ", " + length + ")").toList();
        }
        return values;
    }

    /**
     * After a new foreign key refused rows this filler made up ({@code refusal}, SQLSTATE 23503): those rows get the
     * key of a row of the referenced table, through its primary key or else a unique key of as many columns, and that
     * table is filled first if it is empty. In production the rows are real and the key holds on them. Returns whether
     * rows changed, so that the statement is worth running again; false for rows this filler did not make.
     */
    boolean giveParentKeys(SQLException refusal) throws SQLException {
        ServerErrorMessage error = refusal instanceof PSQLException psql ? psql.getServerErrorMessage() : null;
        Matcher detail = error == null || error.getDetail() == null ? null : KEY_NOT_PRESENT.matcher(error.getDetail());
        if (!"23503".equals(refusal.getSQLState()) || detail == null || !detail.matches() || error.getTable() == null) {
            return false;
        }
        String child = one("SELECT to_regclass(" + literal(quoted(error.getSchema()) + "." + quoted(error.getTable())) + ")::oid");
        String parent = one("SELECT to_regclass(" + literal(quoted(detail.group(2))) + ")::oid");
        if (child == null || parent == null || !filled.containsKey(Long.parseLong(child))) {
            return false;
        }
        List<String> columns = List.of(detail.group(1).split(", "));
        List<String> parentColumns = referencedKey(Long.parseLong(parent), columns.size());
        if (parentColumns == null) {
            return false;
        }
        String parentName = one("SELECT " + parent + "::regclass::text");
        if (one("SELECT EXISTS (SELECT FROM " + parentName + ")").equals("f")) {
            try {
                fill(Long.parseLong(parent), PARENT_ROWS, new HashSet<>());
            } catch (Unfillable e) {
                return false;
            }
        }
        List<String> quotedColumns = columns.stream().map(SyntheticRows::quoted).toList();
        StringBuilder matches = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            matches.append(i == 0 ? "" : " AND ").append("p.").append(parentColumns.get(i)).append(" = c.").append(quotedColumns.get(i));
        }
        try (Statement statement = connection.createStatement()) {
            return statement.executeUpdate("UPDATE " + one("SELECT " + child + "::regclass::text") + " c SET ("
                    + String.join(", ", quotedColumns) + ") = (SELECT " + String.join(", ", parentColumns) + " FROM " + parentName
                    + " LIMIT 1) WHERE " + quotedColumns.stream().map(column -> "c." + column + " IS NOT NULL AND ").collect(Collectors.joining())
                    + "NOT EXISTS (SELECT 1 FROM " + parentName + " p WHERE " + matches + ")") > 0;
        } catch (SQLException e) {
            return false; // a unique key on the columns, say: the trace reports the refusal as it was
        }
    }

    /**
     * After a new CHECK refused rows this filler made up ({@code refusal}, SQLSTATE 23514, in {@code failedSql}): the rows
     * that break it are deleted, where they are fewer than half the table's, since production's real rows are taken to
     * satisfy it. Where most rows break it, as a NOT NULL on a column just added does, the refusal stands: real rows
     * would break it too. Returns a note saying what was deleted, or null when nothing changed.
     */
    String deleteRowsBreakingCheck(SQLException refusal, String failedSql) throws SQLException {
        ServerErrorMessage error = refusal instanceof PSQLException psql ? psql.getServerErrorMessage() : null;
        if (!"23514".equals(refusal.getSQLState()) || error == null || error.getTable() == null || error.getConstraint() == null) {
            return null;
        }
        String table = one("SELECT to_regclass(" + literal(quoted(error.getSchema()) + "." + quoted(error.getTable())) + ")::oid");
        if (table == null || !filled.containsKey(Long.parseLong(table))) {
            return null;
        }
        String name = one("SELECT " + table + "::regclass::text");
        String check = checkExpression(failedSql, error.getConstraint());
        if (check == null) {
            check = one("SELECT (SELECT substring(pg_get_constraintdef(oid) FROM '^CHECK (.*)$') FROM pg_constraint WHERE conrelid = " + table
                    + " AND conname = " + literal(error.getConstraint()) + ")");
        }
        if (check == null) {
            return null;
        }
        try (Statement statement = connection.createStatement()) {
            long total = Long.parseLong(one("SELECT count(*) FROM " + name));
            long breaking = Long.parseLong(one("SELECT count(*) FROM " + name + " WHERE NOT (" + check + ")"));
            if (breaking == 0 || breaking * 2 > total) {
                return null;
            }
            statement.executeUpdate("DELETE FROM " + name + " WHERE NOT (" + check + ")");
            return String.format("%,d of the %,d rows the check made up for %s broke %s; real rows are taken to satisfy it, so they were"
                    + " deleted and the changeset traced on the rest", breaking, total, name, error.getConstraint());
        } catch (SQLException e) {
            return null; // a foreign key to those rows, say: the trace reports the refusal as it was
        }
    }

    private static final Pattern TYPE_CHANGE = Pattern.compile("(?is)ALTER\\s+TABLE\\s+(?:ONLY\\s+)?(?:IF\\s+EXISTS\\s+)?"
            + "((?:\"[^\"]+\"|[\\w$]+)(?:\\.(?:\"[^\"]+\"|[\\w$]+))?)\\s+(?:[^;]*?,\\s*)?ALTER\\s+(?:COLUMN\\s+)?(\"[^\"]+\"|[\\w$]+)\\s+(?:SET\\s+DATA\\s+)?TYPE\\b");

    /**
     * A type change that the fill's made-up values do not fit (a number out of the new range, a string too long), where
     * production's real rows may: the column of a table the fill filled is set to 0 or the empty string, and the changeset
     * traced again on those rows. Null when the refusal is another, or names no filled table's column; {@code sql} ends
     * with the refused statement.
     */
    String fitMadeUpValues(SQLException refusal, String sql) throws SQLException {
        if (!"22003".equals(refusal.getSQLState()) && !"22001".equals(refusal.getSQLState()) || sql == null) {
            return null;
        }
        Matcher change = TYPE_CHANGE.matcher(sql);
        String tableText = null;
        String columnText = null;
        while (change.find()) {
            tableText = change.group(1);
            columnText = change.group(2);
        }
        if (tableText == null) {
            return null;
        }
        String table = one("SELECT to_regclass(" + literal(tableText) + ")::oid");
        if (table == null || !filled.containsKey(Long.parseLong(table))) {
            return null;
        }
        String column = columnText.startsWith("\"") ? columnText.substring(1, columnText.length() - 1) : columnText.toLowerCase(java.util.Locale.ROOT);
        String category = one("SELECT (SELECT t.typcategory FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = " + table
                + " AND a.attname = " + literal(column) + ")");
        String value = "N".equals(category) ? "0" : "S".equals(category) ? "''" : null;
        if (value == null) {
            return null;
        }
        String name = one("SELECT " + table + "::regclass::text");
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE " + name + " SET " + quoted(column) + " = " + value + " WHERE " + quoted(column) + " IS NOT NULL");
        } catch (SQLException e) {
            return null; // a unique key or a CHECK refuses one value in every row: the trace reports the refusal as it was
        }
        return "the values the check made up for " + name + "." + column + " do not fit its new type (" + refusal.getMessage().lines().findFirst()
                .orElse("").strip() + "); real rows are taken to fit, so they were set to " + value + " and the changeset traced on them";
    }

    /** The expression of the CHECK named {@code constraint} that {@code sql} adds, inside its parentheses; null when it adds none. */
    static String checkExpression(String sql, String constraint) {
        if (sql == null) {
            return null;
        }
        Matcher start = Pattern.compile("(?i)CONSTRAINT\\s+(?:" + Pattern.quote(constraint) + "|" + Pattern.quote(quoted(constraint)) + ")\\s+CHECK\\s*\\(")
                .matcher(sql);
        if (!start.find()) {
            return null;
        }
        int depth = 1;
        boolean inString = false;
        for (int i = start.end(); i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\'') {
                inString = !inString;
            } else if (!inString && c == '(') {
                depth++;
            } else if (!inString && c == ')' && --depth == 0) {
                return sql.substring(start.end(), i);
            }
        }
        return null;
    }

    /** The table's primary key, else its first unique key on plain columns, when it has {@code size} columns; quoted. */
    private List<String> referencedKey(long table, int size) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT array(SELECT quote_ident(a.attname) FROM unnest(i.indkey) WITH ORDINALITY u(n, o)
                             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.n ORDER BY u.o)
                FROM pg_index i WHERE i.indrelid = ? AND i.indisunique AND i.indexprs IS NULL AND i.indpred IS NULL AND i.indnkeyatts = ?
                ORDER BY i.indisprimary DESC, i.indexrelid LIMIT 1""")) {
            query.setLong(1, table);
            query.setInt(2, size);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? List.of((String[]) rows.getArray(1).getArray()) : null;
            }
        }
    }

    private static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /**
     * Seed rows that a changeset inserted with explicit keys leave a serial's or identity's sequence behind them, where
     * the generated rows would collide; in production the sequence is past every row. Each sequence a column takes its
     * default from is moved past the column's largest value.
     */
    private void advanceSequences(long table, String name) throws SQLException {
        List<String[]> sequences = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT quote_ident(a.attname), coalesce(pg_get_serial_sequence(a.attrelid::regclass::text, a.attname),
                                                        substring(pg_get_expr(d.adbin, d.adrelid) from '^nextval\\(''(.+)''::regclass\\)$'))
                FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped AND format_type(a.atttypid, NULL) IN ('smallint', 'integer', 'bigint')""")) {
            query.setLong(1, table);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    if (rows.getString(2) != null) {
                        sequences.add(new String[] {rows.getString(1), rows.getString(2)});
                    }
                }
            }
        }
        try (Statement statement = connection.createStatement()) {
            for (String[] sequence : sequences) {
                // Only when a row has the value the sequence gives next or a later one: a new sequence starts where it would.
                statement.execute("SELECT setval(" + literal(sequence[1]) + ", m.max) FROM (SELECT max(" + sequence[0] + ") AS max FROM " + name
                        + ") m WHERE m.max >= (SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM " + sequence[1] + ")");
            }
        }
    }

    /** The column sets of the table's unique indexes (its primary key's too), those on plain columns only. */
    private List<Set<String>> uniqueKeys(long table) throws SQLException {
        List<Set<String>> keys = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT array(SELECT a.attname FROM unnest(i.indkey) n JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = n)
                FROM pg_index i WHERE i.indrelid = ? AND i.indisunique AND i.indexprs IS NULL AND i.indpred IS NULL""")) {
            query.setLong(1, table);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    keys.add(Set.of((String[]) rows.getArray(1).getArray()));
                }
            }
        }
        return keys;
    }

    private record ForeignKey(String name, long parent, List<String> columns, List<String> parentColumns) {
    }

    private List<ForeignKey> foreignKeys(long table) throws SQLException {
        List<ForeignKey> keys = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT k.conname, k.confrelid,
                       array(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(n, i) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.i),
                       array(SELECT quote_ident(a.attname) FROM unnest(k.confkey) WITH ORDINALITY u(n, i) JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.i)
                FROM pg_constraint k WHERE k.conrelid = ? AND k.contype = 'f' ORDER BY k.conname""")) {
            query.setLong(1, table);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    keys.add(new ForeignKey(rows.getString(1), rows.getLong(2), List.of((String[]) rows.getArray(3).getArray()),
                            List.of((String[]) rows.getArray(4).getArray())));
                }
            }
        }
        return keys;
    }

    /** Column to the array literal of a {@code CHECK (column IN (...))}, as PostgreSQL stores it ({@code = ANY (ARRAY[...])}). */
    private Map<String, String> allowedValues(long table) throws SQLException {
        Map<String, String> allowed = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = ? AND contype = 'c'")) {
            query.setLong(1, table);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    Matcher matcher = ALLOWED_VALUES.matcher(rows.getString(1));
                    if (matcher.matches()) {
                        allowed.put(matcher.group(1).replace("\"", ""), matcher.group(2));
                    }
                }
            }
        }
        return allowed;
    }

    private List<String> constraintColumns(long table, String constraint) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT a.attname FROM pg_constraint k JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)
                WHERE k.conrelid = ? AND k.conname = ?
                UNION
                SELECT a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                WHERE i.indrelid = ? AND c.relname = ?
                UNION
                SELECT a.attname FROM pg_attribute a JOIN pg_constraint k ON k.contypid = a.atttypid
                WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped AND k.conname = ?""")) {
            // The last part: a domain's CHECK, which names the domain's constraint, not the column.
            query.setLong(1, table);
            query.setString(2, constraint);
            query.setLong(3, table);
            query.setString(4, constraint);
            query.setLong(5, table);
            query.setString(6, constraint);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
        }
        if (names.isEmpty()) {
            // An expression index such as lower(email): its columns are only in its expression.
            try (PreparedStatement query = connection.prepareStatement("""
                    SELECT a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum > 0 AND NOT a.attisdropped
                    WHERE i.indrelid = ? AND c.relname = ? AND pg_get_indexdef(i.indexrelid) ~ ('\\m' || a.attname || '\\M')""")) {
                query.setLong(1, table);
                query.setString(2, constraint);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        names.add(rows.getString(1));
                    }
                }
            }
        }
        return names;
    }

    private String one(String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }
}
