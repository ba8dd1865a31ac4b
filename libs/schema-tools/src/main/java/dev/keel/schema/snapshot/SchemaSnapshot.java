package dev.keel.schema.snapshot;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The schema of the {@code public} schema as PostgreSQL's catalog describes it, rendered two ways: a SQL
 * description in the spirit of Rails' {@code structure.sql} ({@code db/schema.sql}) and a Markdown page with a
 * Mermaid ER diagram ({@code db/schema.md}). Everything is sorted and nothing depends on the server's version
 * (14 to 17), on object ids, or on who owns the objects, so the same changelog always gives the same bytes.
 * Grants appear only for the application role, written as {@value #APP_ROLE}, since its name is a setting.
 */
public final class SchemaSnapshot {

    public static final String APP_ROLE = "${DB_APP_USERNAME}";

    private static final String NOT_LIQUIBASE = "c.relname NOT IN ('databasechangelog', 'databasechangeloglock')";

    /** One table as the catalog has it. Each {@code identifier} is the name as SQL writes it: quoted for upper case or a keyword. */
    public record Table(String name, String comment, List<Column> columns, List<Constraint> constraints, List<String> indexes,
                        List<String> grants, String identifier) {
    }

    public record Column(String name, String type, boolean notNull, String defaultValue, String identity, String comment, String identifier) {
    }

    /** kind is p, u, f, c or x; for a foreign key, references names the referenced table. */
    public record Constraint(String name, char kind, String definition, List<String> columns, String references, String identifier) {
    }

    /** The whole schema: tables by name, plus whatever else lives in public, each as a sorted SQL statement. */
    public record Schema(Map<String, Table> tables, List<String> otherObjects) {
    }

    private SchemaSnapshot() {
    }

    public static Schema read(Connection connection, String appRole) throws SQLException {
        Map<String, Table> tables = new TreeMap<>();
        for (List<String> row : rows(connection, """
                SELECT c.relname, coalesce(obj_description(c.oid, 'pg_class'), ''), quote_ident(c.relname) FROM pg_class c
                 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND %s ORDER BY 1""".formatted(NOT_LIQUIBASE))) {
            String table = row.get(0);
            tables.put(table, new Table(table, row.get(1), columns(connection, table), constraints(connection, table),
                    indexes(connection, table), grants(connection, table, appRole), row.get(2)));
        }
        return new Schema(tables, otherObjects(connection, appRole));
    }

    /** The SQL description, {@code db/schema.sql}. */
    public static String sql(Schema schema, String header) {
        StringBuilder out = new StringBuilder();
        header.lines().forEach(line -> out.append("-- ").append(line).append('\n'));
        // Types and sequences first, as columns use them; the rest (views, functions, triggers, grants) after the tables.
        List<String> first = schema.otherObjects().stream().filter(SchemaSnapshot::comesBeforeTables).toList();
        List<String> last = schema.otherObjects().stream().filter(object -> !comesBeforeTables(object)).toList();
        if (!first.isEmpty()) {
            out.append('\n');
            first.forEach(object -> out.append(object).append(";\n"));
        }
        for (Table table : schema.tables().values()) {
            out.append('\n');
            out.append("CREATE TABLE ").append(table.identifier()).append(" (\n");
            List<String> columns = new ArrayList<>();
            for (Column column : table.columns()) {
                StringBuilder line = new StringBuilder("    ").append(column.identifier()).append(' ').append(column.type());
                if (!column.identity().isEmpty()) {
                    line.append(" GENERATED ").append(column.identity()).append(" AS IDENTITY");
                }
                if (!column.defaultValue().isEmpty()) {
                    line.append(" DEFAULT ").append(column.defaultValue());
                }
                if (column.notNull()) {
                    line.append(" NOT NULL");
                }
                columns.add(line.toString());
            }
            out.append(String.join(",\n", columns)).append("\n);\n");
            for (Constraint constraint : table.constraints()) {
                out.append("ALTER TABLE ").append(table.identifier()).append(" ADD CONSTRAINT ").append(constraint.identifier()).append(' ')
                        .append(constraint.definition()).append(";\n");
            }
            table.indexes().forEach(index -> out.append(index).append(";\n"));
            if (!table.comment().isEmpty()) {
                out.append("COMMENT ON TABLE ").append(table.identifier()).append(" IS ").append(literal(table.comment())).append(";\n");
            }
            for (Column column : table.columns()) {
                if (!column.comment().isEmpty()) {
                    out.append("COMMENT ON COLUMN ").append(table.identifier()).append('.').append(column.identifier()).append(" IS ")
                            .append(literal(column.comment())).append(";\n");
                }
            }
            table.grants().forEach(grant -> out.append(grant).append(";\n"));
        }
        if (!last.isEmpty()) {
            out.append('\n');
            last.forEach(object -> out.append(object).append(";\n"));
        }
        return out.toString();
    }

    private static boolean comesBeforeTables(String object) {
        return object.startsWith("CREATE TYPE ") || object.startsWith("CREATE SEQUENCE ");
    }

    /** The Markdown page with a Mermaid ER diagram and each table's columns and constraints, {@code db/schema.md}. */
    public static String erPage(Schema schema, String title, String note) {
        StringBuilder out = new StringBuilder("# ").append(title).append("\n\n").append(note).append("\n\n```mermaid\nerDiagram\n");
        for (Table table : schema.tables().values()) {
            out.append("    ").append(table.name()).append(" {\n");
            for (Column column : table.columns()) {
                out.append("        ").append(mermaidType(column.type())).append(' ').append(column.name());
                String keys = keys(table, column.name());
                if (!keys.isEmpty()) {
                    out.append(' ').append(keys);
                }
                out.append('\n');
            }
            out.append("    }\n");
        }
        for (Table table : schema.tables().values()) {
            for (Constraint fk : table.constraints()) {
                if (fk.kind() == 'f') {
                    boolean required = fk.columns().stream().allMatch(name -> table.columns().stream()
                            .anyMatch(column -> column.name().equals(name) && column.notNull()));
                    out.append("    ").append(fk.references()).append(required ? " ||" : " |o").append("--o{ ").append(table.name())
                            .append(" : \"").append(fk.name()).append("\"\n");
                }
            }
        }
        out.append("```\n");
        for (Table table : schema.tables().values()) {
            out.append("\n## ").append(table.name()).append("\n\n");
            if (!table.comment().isEmpty()) {
                out.append(table.comment().replace('\n', ' ')).append("\n\n");
            }
            out.append("| Column | Type | Null | Default |\n|---|---|---|---|\n");
            for (Column column : table.columns()) {
                String defaultValue = column.identity().isEmpty() ? column.defaultValue() : "identity (" + column.identity().toLowerCase() + ")";
                out.append("| `").append(column.name()).append("` | ").append(column.type()).append(" | ")
                        .append(column.notNull() ? "not null" : "null").append(" | ")
                        .append(defaultValue.isEmpty() ? "" : "`" + cell(defaultValue) + "`").append(" |\n");
            }
            if (!table.constraints().isEmpty() || !table.indexes().isEmpty()) {
                out.append("\n| Constraint or index | Definition |\n|---|---|\n");
                table.constraints().forEach(constraint -> out.append("| `").append(constraint.name()).append("` | `")
                        .append(cell(constraint.definition())).append("` |\n"));
                table.indexes().forEach(index -> out.append("| `").append(index.split(" ")[index.startsWith("CREATE UNIQUE") ? 3 : 2])
                        .append("` | `").append(cell(index)).append("` |\n"));
            }
        }
        return out.toString();
    }

    private static List<Column> columns(Connection connection, String table) throws SQLException {
        List<Column> columns = new ArrayList<>();
        for (List<String> row : rows(connection, """
                SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull::text,
                       coalesce(pg_get_expr(d.adbin, d.adrelid), ''),
                       CASE a.attidentity WHEN 'a' THEN 'ALWAYS' WHEN 'd' THEN 'BY DEFAULT' ELSE '' END,
                       coalesce(col_description(a.attrelid, a.attnum), ''), quote_ident(a.attname)
                  FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                 WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""", table)) {
            columns.add(new Column(row.get(0), row.get(1), Boolean.parseBoolean(row.get(2)), row.get(3), row.get(4), row.get(5), row.get(6)));
        }
        return columns;
    }

    private static List<Constraint> constraints(Connection connection, String table) throws SQLException {
        List<Constraint> constraints = new ArrayList<>();
        for (List<String> row : rows(connection, """
                SELECT c.conname, c.contype::text, pg_get_constraintdef(c.oid),
                       (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(num, ord)
                          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num),
                       coalesce(c.confrelid::regclass::text, ''), quote_ident(c.conname)
                  FROM pg_constraint c WHERE c.conrelid = ?::regclass ORDER BY c.conname""", table)) {
            List<String> columns = row.get(3) == null ? List.of() : List.of(row.get(3).split(","));
            constraints.add(new Constraint(row.get(0), row.get(1).charAt(0), row.get(2), columns, row.get(4), row.get(5)));
        }
        return constraints;
    }

    /** Indexes that no constraint owns; a constraint's own index is implied by the constraint. */
    private static List<String> indexes(Connection connection, String table) throws SQLException {
        return column(connection, """
                SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                 WHERE i.indrelid = ?::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
                 ORDER BY c.relname""", table);
    }

    private static List<String> grants(Connection connection, String table, String appRole) throws SQLException {
        return column(connection, """
                SELECT 'GRANT ' || string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type) || ' ON TABLE ' || quote_ident(c.relname) || ' TO %s'
                  FROM pg_class c, aclexplode(c.relacl) a
                 WHERE c.oid = ?::regclass AND a.grantee = (SELECT oid FROM pg_roles WHERE rolname = '%s')
                 GROUP BY c.relname""".formatted(APP_ROLE, appRole.replace("'", "''")), table);
    }

    /** Views, sequences, types, functions, triggers, and the application role's grants on the schema, sequences and views. */
    private static List<String> otherObjects(Connection connection, String appRole) throws SQLException {
        String role = "(SELECT oid FROM pg_roles WHERE rolname = '" + appRole.replace("'", "''") + "')";
        List<String> objects = new ArrayList<>();
        objects.addAll(column(connection, """
                SELECT 'CREATE VIEW ' || quote_ident(c.relname) || ' AS' || chr(10) || rtrim(pg_get_viewdef(c.oid), ';') FROM pg_class c
                 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('v', 'm') ORDER BY c.relname"""));
        objects.addAll(column(connection, """
                SELECT 'CREATE SEQUENCE ' || quote_ident(c.relname) || ' AS ' || format_type(s.seqtypid, NULL) || ' START ' || s.seqstart
                       || ' INCREMENT ' || s.seqincrement FROM pg_class c JOIN pg_sequence s ON s.seqrelid = c.oid
                 WHERE c.relnamespace = 'public'::regnamespace AND NOT EXISTS
                       (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
                 ORDER BY c.relname"""));
        objects.addAll(column(connection, """
                SELECT 'CREATE TYPE ' || quote_ident(t.typname) || ' AS ENUM (' || string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) || ')'
                  FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid WHERE t.typnamespace = 'public'::regnamespace
                 GROUP BY t.typname ORDER BY t.typname"""));
        objects.addAll(column(connection, """
                SELECT rtrim(pg_get_functiondef(p.oid), chr(10)) FROM pg_proc p
                 WHERE p.pronamespace = 'public'::regnamespace AND p.prokind IN ('f', 'p') ORDER BY p.proname, p.oid::regprocedure::text"""));
        objects.addAll(column(connection, """
                SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                 WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal ORDER BY c.relname, t.tgname"""));
        objects.addAll(column(connection, """
                SELECT 'GRANT ' || string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type) || ' ON SCHEMA public TO %s'
                  FROM pg_namespace n, aclexplode(n.nspacl) a WHERE n.nspname = 'public' AND a.grantee = %s""".formatted(APP_ROLE, role)));
        objects.addAll(column(connection, """
                SELECT 'GRANT ' || string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type)
                       || CASE c.relkind WHEN 'S' THEN ' ON SEQUENCE ' ELSE ' ON TABLE ' END || quote_ident(c.relname) || ' TO %s'
                  FROM pg_class c, aclexplode(c.relacl) a
                 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('S', 'm', 'v') AND a.grantee = %s
                 GROUP BY c.relkind, c.relname ORDER BY c.relkind, c.relname""".formatted(APP_ROLE, role)));
        objects.addAll(column(connection, """
                SELECT 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ' || string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type)
                       || CASE d.defaclobjtype WHEN 'r' THEN ' ON TABLES' WHEN 'S' THEN ' ON SEQUENCES' WHEN 'f' THEN ' ON FUNCTIONS'
                               WHEN 'T' THEN ' ON TYPES' ELSE ' ON SCHEMAS' END || ' TO %s'
                  FROM pg_default_acl d, aclexplode(d.defaclacl) a
                 WHERE d.defaclnamespace = 'public'::regnamespace AND a.grantee = %s
                 GROUP BY d.defaclobjtype ORDER BY d.defaclobjtype""".formatted(APP_ROLE, role)));
        return objects;
    }

    private static String keys(Table table, String column) {
        List<String> keys = new ArrayList<>();
        for (char kind : new char[] {'p', 'f', 'u'}) {
            boolean has = table.constraints().stream().anyMatch(c -> c.kind() == kind && c.columns().contains(column));
            if (has) {
                keys.add(kind == 'p' ? "PK" : kind == 'f' ? "FK" : "UK");
            }
        }
        return String.join(", ", keys);
    }

    /** Mermaid wants one word for a type. */
    private static String mermaidType(String type) {
        return type.replace("timestamp with time zone", "timestamptz").replace("timestamp without time zone", "timestamp")
                .replace("character varying", "varchar").replace("double precision", "double")
                .replaceAll("[^A-Za-z0-9_\\[\\]]+", "_").replaceAll("_+$", "");
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("`", "'").replace('\n', ' ');
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static List<String> column(Connection connection, String sql, String... parameters) throws SQLException {
        // An aggregate over no rows (no grant on the schema, say) is one NULL row: nothing to write.
        return rows(connection, sql, parameters).stream().map(row -> row.get(0)).filter(java.util.Objects::nonNull).toList();
    }

    private static List<List<String>> rows(Connection connection, String sql, String... parameters) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, quoteIdent(parameters[i]));
            }
            try (ResultSet result = statement.executeQuery()) {
                int width = result.getMetaData().getColumnCount();
                while (result.next()) {
                    List<String> row = new ArrayList<>(width);
                    for (int c = 1; c <= width; c++) {
                        row.add(result.getString(c));
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    /** Table names reach ?::regclass, which parses identifiers: quote them so odd names survive. */
    private static String quoteIdent(String name) {
        return "public.\"" + name.replace("\"", "\"\"") + "\"";
    }
}
