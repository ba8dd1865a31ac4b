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
 * The schemas the changelog owns ({@code public} and any other it creates) as PostgreSQL's catalog describes them, rendered two ways: a SQL
 * description in the spirit of Rails' {@code structure.sql} ({@code db/schema.sql}) and a Markdown page with a
 * Mermaid ER diagram ({@code db/schema.md}). Everything is sorted and nothing depends on the server's version
 * (14 to 17), on object ids, or on who owns the objects, so the same changelog always gives the same bytes.
 * Grants appear only for the application role, written as {@value #APP_ROLE}, since its name is a setting.
 * The SQL builds the same schema again when run on an empty database, so objects come in the order they need one
 * another, as pg_dump orders them: types, sequences and functions first (with {@code check_function_bodies} off, so a
 * function may name a table that comes later), then tables, partitions attached, foreign keys, and what uses tables.
 */
public final class SchemaSnapshot {

    public static final String APP_ROLE = "${DB_APP_USERNAME}";

    private static final String NOT_LIQUIBASE = "c.relname NOT IN ('databasechangelog', 'databasechangeloglock')";

    /** SQL: the namespace {@code %s} is one of the database's own schemas, not PostgreSQL's. */
    private static final String OWN_SCHEMA = "%s IN (SELECT oid FROM pg_namespace WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%%')";

    /**
     * SQL: the name of the object {@code %2$s} in the schema {@code %1$s} as SQL writes it, quoted where needed and
     * qualified outside public. Its name as the ER page shows it leaves out the quotes.
     */
    private static final String QUALIFIED = "(CASE WHEN %1$s = 'public'::regnamespace THEN '' ELSE %1$s::regnamespace::text || '.' END"
            + " || quote_ident(%2$s))";
    private static final String DISPLAYED = "(CASE WHEN %1$s = 'public'::regnamespace THEN '' ELSE"
            + " (SELECT nspname FROM pg_namespace WHERE oid = %1$s) || '.' END || %2$s)";
    /** SQL: the order of objects {@code %2$s} in schemas {@code %1$s}: public's first, by name, then each other schema's, as on any server. */
    private static final String ORDERED = "%1$s <> 'public'::regnamespace, %1$s::regnamespace::text COLLATE \"C\", %2$s";

    /**
     * One table as the catalog has it. Each {@code identifier} is the name as SQL writes it: quoted for upper case or a
     * keyword. {@code partitionKey} is a partitioned table's {@code PARTITION BY} clause; {@code attach} is the statement
     * that makes a partition one of its parent's. Keys, indexes and triggers a partition inherits are its parent's; CHECK
     * constraints are its own too, as attaching it requires them.
     */
    public record Table(String name, String comment, List<Column> columns, List<Constraint> constraints, List<String> indexes,
                        List<String> grants, String identifier, String partitionKey, String attach) {
    }

    /**
     * @param identitySequence an identity's sequence options: {@code SEQUENCE NAME} where its name is not the one
     *                         PostgreSQL would choose (its table was renamed since), then those not left at their
     *                         defaults; else empty
     */
    public record Column(String name, String type, boolean notNull, String defaultValue, String identity, String comment, String identifier,
                         String generated, String identitySequence) {
    }

    /**
     * SQL: the options of the sequence {@code s} (a row of pg_sequence) that differ from what PostgreSQL chooses when
     * they are left out, each with a leading blank; with {@code startAndIncrement}, its start and increment too.
     */
    private static String sequenceOptions(boolean startAndIncrement) {
        String largest = "CASE s.seqtypid WHEN 'smallint'::regtype THEN 32767 WHEN 'integer'::regtype THEN 2147483647 ELSE 9223372036854775807 END";
        return (startAndIncrement ? """
                CASE WHEN s.seqstart <> CASE WHEN s.seqincrement > 0 THEN s.seqmin ELSE s.seqmax END THEN ' START WITH ' || s.seqstart ELSE '' END
                || CASE WHEN s.seqincrement <> 1 THEN ' INCREMENT BY ' || s.seqincrement ELSE '' END || """ : "") + """
                CASE WHEN s.seqmin <> CASE WHEN s.seqincrement > 0 THEN 1 ELSE -%1$s - 1 END THEN ' MINVALUE ' || s.seqmin ELSE '' END
                || CASE WHEN s.seqmax <> CASE WHEN s.seqincrement > 0 THEN %1$s ELSE -1 END THEN ' MAXVALUE ' || s.seqmax ELSE '' END
                || CASE WHEN s.seqcache <> 1 THEN ' CACHE ' || s.seqcache ELSE '' END || CASE WHEN s.seqcycle THEN ' CYCLE' ELSE '' END"""
                .formatted(largest);
    }

    /** kind is p, u, f, c or x; for a foreign key, references names the referenced table. */
    public record Constraint(String name, char kind, String definition, List<String> columns, String references, String identifier) {
    }

    /**
     * The whole schema: tables by name (qualified outside public), plus everything else, each as a sorted SQL statement:
     * what tables may need ({@code beforeTables}) and what may need tables ({@code afterTables}).
     */
    public record Schema(Map<String, Table> tables, List<String> beforeTables, List<String> afterTables) {
    }

    private SchemaSnapshot() {
    }

    public static Schema read(Connection connection, String appRole) throws SQLException {
        Map<String, Table> tables = new TreeMap<>();
        for (List<String> row : rows(connection, """
                SELECT %1$s, coalesce(obj_description(c.oid, 'pg_class'), ''), %2$s,
                       coalesce('PARTITION BY ' || pg_get_partkeydef(c.oid), ''),
                       coalesce((SELECT 'ALTER TABLE ' || %3$s || ' ATTACH PARTITION ' || %2$s || ' ' || pg_get_expr(c.relpartbound, c.oid)
                                   FROM pg_inherits h JOIN pg_class p ON p.oid = h.inhparent WHERE h.inhrelid = c.oid AND c.relispartition), ''),
                       c.oid::text
                  FROM pg_class c
                 WHERE %4$s AND c.relkind IN ('r', 'p') AND %5$s AND %6$s ORDER BY 1""".formatted(DISPLAYED.formatted("c.relnamespace", "c.relname"),
                QUALIFIED.formatted("c.relnamespace", "c.relname"), QUALIFIED.formatted("p.relnamespace", "p.relname"),
                OWN_SCHEMA.formatted("c.relnamespace"), NOT_LIQUIBASE, notInExtension("pg_class", "c.oid")))) {
            String table = row.get(5);
            tables.put(row.get(0), new Table(row.get(0), row.get(1), columns(connection, table), constraints(connection, table),
                    indexes(connection, table), grants(connection, table, appRole), row.get(2), row.get(3), row.get(4)));
        }
        return new Schema(tables, beforeTables(connection), afterTables(connection, appRole));
    }

    /** The SQL description, {@code db/schema.sql}. */
    public static String sql(Schema schema, String header) {
        StringBuilder out = new StringBuilder();
        header.lines().forEach(line -> out.append("-- ").append(line).append('\n'));
        if (!schema.beforeTables().isEmpty()) {
            out.append('\n');
            if (schema.beforeTables().stream().anyMatch(object -> object.startsWith("CREATE OR REPLACE"))) {
                out.append("SET check_function_bodies = false;\n");
            }
            schema.beforeTables().forEach(object -> out.append(object).append(";\n"));
        }
        List<String> foreignKeys = new ArrayList<>();
        for (Table table : schema.tables().values()) {
            out.append('\n');
            out.append("CREATE TABLE ").append(table.identifier()).append(" (\n");
            List<String> columns = new ArrayList<>();
            for (Column column : table.columns()) {
                StringBuilder line = new StringBuilder("    ").append(column.identifier()).append(' ').append(column.type());
                if (!column.identity().isEmpty()) {
                    line.append(" GENERATED ").append(column.identity()).append(" AS IDENTITY")
                            .append(column.identitySequence().isEmpty() ? "" : " (" + column.identitySequence() + ")");
                }
                if (!column.generated().isEmpty()) {
                    line.append(" GENERATED ALWAYS AS (").append(column.generated()).append(") STORED");
                }
                if (!column.defaultValue().isEmpty()) {
                    line.append(" DEFAULT ").append(column.defaultValue());
                }
                if (column.notNull()) {
                    line.append(" NOT NULL");
                }
                columns.add(line.toString());
            }
            out.append(String.join(",\n", columns)).append("\n)").append(table.partitionKey().isEmpty() ? "" : " " + table.partitionKey())
                    .append(";\n");
            for (Constraint constraint : table.constraints()) {
                String statement = "ALTER TABLE " + table.identifier() + " ADD CONSTRAINT " + constraint.identifier() + ' ' + constraint.definition() + ";\n";
                if (constraint.kind() == 'f') {
                    foreignKeys.add(statement);
                } else {
                    out.append(statement);
                }
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
        List<String> attached = schema.tables().values().stream().map(Table::attach).filter(attach -> !attach.isEmpty()).toList();
        if (!attached.isEmpty() || !foreignKeys.isEmpty()) {
            out.append('\n');
            attached.forEach(attach -> out.append(attach).append(";\n"));
            foreignKeys.forEach(out::append);
        }
        if (!schema.afterTables().isEmpty()) {
            out.append('\n');
            schema.afterTables().forEach(object -> out.append(object).append(";\n"));
        }
        return out.toString();
    }

    /** The Markdown page with a Mermaid ER diagram and each table's columns and constraints, {@code db/schema.md}. */
    public static String erPage(Schema schema, String title, String note) {
        StringBuilder out = new StringBuilder("# ").append(title).append("\n\n").append(note).append("\n\n```mermaid\nerDiagram\n");
        for (Table table : schema.tables().values()) {
            out.append("    ").append(mermaidName(table.name())).append(" {\n");
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
                    out.append("    ").append(mermaidName(fk.references())).append(required ? " ||" : " |o").append("--o{ ").append(mermaidName(table.name()))
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
                String defaultValue = !column.identity().isEmpty() ? "identity (" + column.identity().toLowerCase() + ")"
                        : !column.generated().isEmpty() ? "generated always as (" + column.generated() + ") stored" : column.defaultValue();
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
                       CASE WHEN a.attgenerated = '' THEN coalesce(pg_get_expr(d.adbin, d.adrelid), '') ELSE '' END,
                       CASE a.attidentity WHEN 'a' THEN 'ALWAYS' WHEN 'd' THEN 'BY DEFAULT' ELSE '' END,
                       coalesce(col_description(a.attrelid, a.attnum), ''), quote_ident(a.attname),
                       CASE WHEN a.attgenerated = 's' THEN pg_get_expr(d.adbin, d.adrelid) ELSE '' END,
                       coalesce((SELECT ltrim(CASE WHEN q.relname <> left((SELECT relname FROM pg_class WHERE oid = a.attrelid) || '_' || a.attname, 59)
                                                              || '_seq' THEN 'SEQUENCE NAME ' || %s ELSE '' END || %s)
                                   FROM pg_depend x JOIN pg_class q ON q.oid = x.objid AND q.relkind = 'S' JOIN pg_sequence s ON s.seqrelid = q.oid
                                  WHERE x.refobjid = a.attrelid AND x.refobjsubid = a.attnum AND x.deptype = 'i'), '')
                  FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                 WHERE a.attrelid = ?::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""".formatted(
                QUALIFIED.formatted("q.relnamespace", "q.relname"), sequenceOptions(true)), table)) {
            columns.add(new Column(row.get(0), row.get(1), Boolean.parseBoolean(row.get(2)), row.get(3), row.get(4), row.get(5), row.get(6),
                    row.get(7), row.get(8)));
        }
        return columns;
    }

    private static List<Constraint> constraints(Connection connection, String table) throws SQLException {
        List<Constraint> constraints = new ArrayList<>();
        for (List<String> row : rows(connection, """
                SELECT c.conname, c.contype::text, pg_get_constraintdef(c.oid),
                       (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(num, ord)
                          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num),
                       coalesce((SELECT %s FROM pg_class r WHERE r.oid = c.confrelid), ''), quote_ident(c.conname)
                  FROM pg_constraint c WHERE c.conrelid = ?::oid AND (c.conislocal OR c.contype = 'c')
                 ORDER BY c.conname""".formatted(DISPLAYED.formatted("r.relnamespace", "r.relname")), table)) {
            List<String> columns = row.get(3) == null ? List.of() : List.of(row.get(3).split(","));
            constraints.add(new Constraint(row.get(0), row.get(1).charAt(0), row.get(2), columns, row.get(4), row.get(5)));
        }
        return constraints;
    }

    /**
     * Indexes that no constraint owns (a constraint's own index is implied by the constraint) and that are not a
     * partition's part of its parent's index. A partitioned table's index is written without ONLY, so that attaching
     * a partition builds the partition's part as it was built before.
     */
    private static List<String> indexes(Connection connection, String table) throws SQLException {
        return column(connection, """
                SELECT replace(pg_get_indexdef(i.indexrelid), ' ON ONLY ', ' ON ') FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                 WHERE i.indrelid = ?::oid AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
                       AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)
                 ORDER BY c.relname""", table);
    }

    private static List<String> grants(Connection connection, String table, String appRole) throws SQLException {
        return column(connection, """
                SELECT 'GRANT ' || string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type) || ' ON TABLE ' || %s || ' TO %s'
                  FROM pg_class c, aclexplode(c.relacl) a
                 WHERE c.oid = ?::oid AND a.grantee = (SELECT oid FROM pg_roles WHERE rolname = '%s')
                 GROUP BY c.relnamespace, c.relname""".formatted(QUALIFIED.formatted("c.relnamespace", "c.relname"), APP_ROLE,
                appRole.replace("'", "''")), table);
    }

    /**
     * Schemas, extensions, types, domains, sequences, and functions whose arguments and result are no table's row type. An
     * extension's own objects are its: only its CREATE EXTENSION is written, without a version, which each server has its own of.
     */
    private static List<String> beforeTables(Connection connection) throws SQLException {
        List<String> objects = new ArrayList<>(column(connection, """
                SELECT 'CREATE SCHEMA IF NOT EXISTS ' || quote_ident(n.nspname) FROM pg_namespace n
                 WHERE n.nspname <> 'public' AND %s AND %s ORDER BY n.nspname""".formatted(OWN_SCHEMA.formatted("n.oid"),
                notInExtension("pg_namespace", "n.oid"))));
        objects.addAll(column(connection, """
                SELECT 'CREATE EXTENSION IF NOT EXISTS ' || quote_ident(x.extname) || ' WITH SCHEMA ' || quote_ident(n.nspname)
                  FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace WHERE x.extname <> 'plpgsql' ORDER BY x.extname"""));
        objects.addAll(column(connection, """
                SELECT 'CREATE TYPE ' || %s || ' AS ENUM (' || string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) || ')'
                  FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid WHERE %s AND %s
                 GROUP BY t.typnamespace, t.typname ORDER BY %s""".formatted(QUALIFIED.formatted("t.typnamespace", "t.typname"),
                OWN_SCHEMA.formatted("t.typnamespace"), notInExtension("pg_type", "t.oid"), ORDERED.formatted("t.typnamespace", "t.typname"))));
        objects.addAll(column(connection, """
                SELECT 'CREATE DOMAIN ' || %s || ' AS ' || format_type(t.typbasetype, t.typtypmod)
                       || coalesce(' DEFAULT ' || t.typdefault, '') || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END
                       || coalesce((SELECT string_agg(' CONSTRAINT ' || quote_ident(k.conname) || ' ' || pg_get_constraintdef(k.oid), '' ORDER BY k.conname)
                                      FROM pg_constraint k WHERE k.contypid = t.oid), '')
                  FROM pg_type t WHERE %s AND t.typtype = 'd' AND %s ORDER BY %s"""
                .formatted(QUALIFIED.formatted("t.typnamespace", "t.typname"), OWN_SCHEMA.formatted("t.typnamespace"), notInExtension("pg_type", "t.oid"),
                        ORDERED.formatted("t.typnamespace", "t.typname"))));
        objects.addAll(column(connection, """
                SELECT 'CREATE SEQUENCE ' || %s || ' AS ' || format_type(s.seqtypid, NULL) || ' START ' || s.seqstart
                       || ' INCREMENT ' || s.seqincrement || %s FROM pg_class c JOIN pg_sequence s ON s.seqrelid = c.oid
                 WHERE %s AND NOT EXISTS
                       (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('i', 'e'))
                 ORDER BY %s""".formatted(QUALIFIED.formatted("c.relnamespace", "c.relname"), sequenceOptions(false),
                OWN_SCHEMA.formatted("c.relnamespace"), ORDERED.formatted("c.relnamespace", "c.relname"))));
        objects.addAll(functions(connection, FunctionsNeeding.NOTHING));
        return objects;
    }

    /** Where a function goes: before the tables, which may need it in a default or a CHECK; after them; after the views. */
    private enum FunctionsNeeding { NOTHING, TABLES, VIEWS }

    /**
     * Functions and procedures by what they need: a relation's row type (or an array of one) that they take or return,
     * or a relation that their SQL-standard body ({@code BEGIN ATOMIC}, {@code RETURN}) reads.
     */
    private static List<String> functions(Connection connection, FunctionsNeeding needing) throws SQLException {
        String needs = """
                (EXISTS (SELECT 1 FROM unnest(p.types) a(type) JOIN pg_type t ON t.oid = a.type
                           JOIN pg_type row_type ON row_type.oid = coalesce(nullif(t.typelem, 0), t.oid)
                           JOIN pg_class r ON r.oid = row_type.typrelid WHERE r.relkind IN (%1$s))
                 OR EXISTS (SELECT 1 FROM pg_depend d JOIN pg_class r ON r.oid = d.refobjid
                             WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.refclassid = 'pg_class'::regclass
                               AND r.relkind IN (%1$s)))""";
        String views = needs.formatted("'v', 'm'");
        String tables = needs.formatted("'r', 'p', 'c', 'f'");
        String where = switch (needing) {
            case NOTHING -> "NOT " + tables + " AND NOT " + views;
            case TABLES -> tables + " AND NOT " + views;
            case VIEWS -> views;
        };
        // The schema's own functions first, as a materialized set: otherwise PostgreSQL may work out what each function
        // needs for all of pg_catalog's thousands too.
        return column(connection, """
                WITH p AS MATERIALIZED (
                    SELECT p.oid, p.pronamespace, p.proname, coalesce(p.proallargtypes, p.proargtypes::oid[]) || p.prorettype AS types
                      FROM pg_proc p WHERE %s AND p.prokind IN ('f', 'p') AND %s)
                SELECT rtrim(pg_get_functiondef(p.oid), chr(10)) FROM p
                 WHERE %s
                 ORDER BY %s, p.oid::regprocedure::text""".formatted(OWN_SCHEMA.formatted("p.pronamespace"),
                notInExtension("pg_proc", "p.oid"), where, ORDERED.formatted("p.pronamespace", "p.proname")));
    }

    /** SQL: the object ({@code catalog}, {@code oid}) is no extension's. */
    private static String notInExtension(String catalog, String oid) {
        return "NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = '" + catalog + "'::regclass AND x.objid = " + oid + " AND x.deptype = 'e')";
    }

    /**
     * Sequences' owning columns (a serial's), functions that need tables, views (each after the views it reads), functions
     * that need views, materialized views' indexes, triggers, and the application role's
     * grants on the schema, sequences and views.
     */
    private static List<String> afterTables(Connection connection, String appRole) throws SQLException {
        String role = "(SELECT oid FROM pg_roles WHERE rolname = '" + appRole.replace("'", "''") + "')";
        List<String> objects = new ArrayList<>(column(connection, """
                SELECT 'ALTER SEQUENCE ' || %s || ' OWNED BY ' || %s || '.' || quote_ident(a.attname)
                  FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' JOIN pg_class t ON t.oid = d.refobjid
                  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
                 WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a' AND %s
                 ORDER BY %s""".formatted(QUALIFIED.formatted("s.relnamespace", "s.relname"), QUALIFIED.formatted("t.relnamespace", "t.relname"),
                OWN_SCHEMA.formatted("s.relnamespace"), ORDERED.formatted("s.relnamespace", "s.relname"))));
        objects.addAll(functions(connection, FunctionsNeeding.TABLES));
        objects.addAll(column(connection, """
                WITH RECURSIVE reads AS (
                       SELECT DISTINCT r.ev_class AS view, d.refobjid AS read FROM pg_rewrite r
                         JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid AND d.refclassid = 'pg_class'::regclass
                         JOIN pg_class u ON u.oid = d.refobjid AND u.relkind IN ('v', 'm')
                        WHERE d.refobjid <> r.ev_class),
                     depth AS (
                       SELECT c.oid AS view, 0 AS n FROM pg_class c WHERE %1$s AND c.relkind IN ('v', 'm') AND %2$s
                        UNION ALL
                       SELECT reads.view, depth.n + 1 FROM reads JOIN depth ON reads.read = depth.view)
                SELECT CASE c.relkind WHEN 'm' THEN 'CREATE MATERIALIZED VIEW ' ELSE 'CREATE VIEW ' END || %3$s || ' AS'
                       || chr(10) || rtrim(pg_get_viewdef(c.oid), ';') || CASE c.relkind WHEN 'm' THEN chr(10) || '  WITH NO DATA' ELSE '' END
                  FROM pg_class c JOIN (SELECT view, max(n) AS n FROM depth GROUP BY view) d ON d.view = c.oid
                 ORDER BY d.n, %4$s""".formatted(OWN_SCHEMA.formatted("c.relnamespace"), notInExtension("pg_class", "c.oid"),
                QUALIFIED.formatted("c.relnamespace", "c.relname"), ORDERED.formatted("c.relnamespace", "c.relname"))));
        objects.addAll(functions(connection, FunctionsNeeding.VIEWS));
        objects.addAll(column(connection, """
                SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class m ON m.oid = i.indrelid AND m.relkind = 'm'
                  JOIN pg_class c ON c.oid = i.indexrelid
                 WHERE %s ORDER BY %s, c.relname""".formatted(OWN_SCHEMA.formatted("m.relnamespace"), ORDERED.formatted("m.relnamespace", "m.relname"))));
        objects.addAll(column(connection, """
                SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                 WHERE %s AND NOT t.tgisinternal AND t.tgparentid = 0 ORDER BY %s, t.tgname"""
                .formatted(OWN_SCHEMA.formatted("c.relnamespace"), ORDERED.formatted("c.relnamespace", "c.relname"))));
        objects.addAll(column(connection, """
                SELECT 'GRANT ' || string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type) || ' ON SCHEMA ' || quote_ident(n.nspname) || ' TO %s'
                  FROM pg_namespace n, aclexplode(n.nspacl) a WHERE %s AND a.grantee = %s
                 GROUP BY n.nspname ORDER BY n.nspname <> 'public', n.nspname""".formatted(APP_ROLE, OWN_SCHEMA.formatted("n.oid"), role)));
        objects.addAll(column(connection, """
                SELECT 'GRANT ' || string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type)
                       || CASE c.relkind WHEN 'S' THEN ' ON SEQUENCE ' ELSE ' ON TABLE ' END || %s || ' TO %s'
                  FROM pg_class c, aclexplode(c.relacl) a
                 WHERE %s AND c.relkind IN ('S', 'm', 'v') AND a.grantee = %s
                 GROUP BY c.relkind, c.relnamespace, c.relname ORDER BY c.relkind, %s""".formatted(QUALIFIED.formatted("c.relnamespace", "c.relname"),
                APP_ROLE, OWN_SCHEMA.formatted("c.relnamespace"), role, ORDERED.formatted("c.relnamespace", "c.relname"))));
        objects.addAll(column(connection, """
                SELECT 'ALTER DEFAULT PRIVILEGES IN SCHEMA ' || quote_ident(n.nspname) || ' GRANT ' || string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type)
                       || CASE d.defaclobjtype WHEN 'r' THEN ' ON TABLES' WHEN 'S' THEN ' ON SEQUENCES' WHEN 'f' THEN ' ON FUNCTIONS'
                               WHEN 'T' THEN ' ON TYPES' ELSE ' ON SCHEMAS' END || ' TO %s'
                  FROM pg_default_acl d JOIN pg_namespace n ON n.oid = d.defaclnamespace, aclexplode(d.defaclacl) a
                 WHERE a.grantee = %s
                 GROUP BY n.nspname, d.defaclobjtype ORDER BY n.nspname <> 'public', n.nspname, d.defaclobjtype""".formatted(APP_ROLE, role)));
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

    /** Mermaid wants one word for an entity. */
    private static String mermaidName(String table) {
        return table.replaceAll("[^A-Za-z0-9_-]", "_");
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
                statement.setString(i + 1, parameters[i]);
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
}
