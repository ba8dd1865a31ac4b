package dev.keel.schema.generate;

import dev.keel.online.InvalidIndexes;
import dev.keel.schema.ToolOutput;
import dev.keel.schema.drift.SchemaDrift.ColumnDrift;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import liquibase.change.AddColumnConfig;
import liquibase.change.Change;
import liquibase.change.ColumnConfig;
import liquibase.change.ConstraintsConfig;
import liquibase.change.core.AddColumnChange;
import liquibase.change.core.AddForeignKeyConstraintChange;
import liquibase.change.core.AddPrimaryKeyChange;
import liquibase.change.core.AddUniqueConstraintChange;
import liquibase.change.core.CreateIndexChange;
import liquibase.change.core.CreateSequenceChange;
import liquibase.change.core.CreateTableChange;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Turns the changes Liquibase derives from the entities into changesets that follow Keel's conventions:
 * <ul>
 *   <li>strings are {@code text} with a named CHECK on their length, times are {@code timestamptz}, ids {@code bigint} identity;</li>
 *   <li>every constraint is named ({@code pk_}, {@code uq_}, {@code fk_}, {@code ck_}, {@code ix_}) and every foreign key gets an index;</li>
 *   <li>on a table that already exists, nothing takes a long ACCESS EXCLUSIVE lock: a column is added nullable, its
 *       CHECKs and foreign keys are added {@code NOT VALID} and validated in a second changeset, where a required column
 *       becomes NOT NULL without a scan; its indexes are built {@code CONCURRENTLY} in a changeset of their own;</li>
 *   <li>a column whose nullability, length or type the entity changed is altered the same way: NOT NULL through a
 *       validated CHECK, a new length as its CHECK replaced {@code NOT VALID} and validated, a type by
 *       {@code ALTER COLUMN ... TYPE}, with a note to let the online check judge whether it rewrites the table.</li>
 * </ul>
 * Every changeset carries an explicit rollback.
 */
final class ConventionalChangesets {

    private static final Pattern VARCHAR = Pattern.compile("(?i)(?:varchar|character varying)\\((\\d+)(?: \\w+)?\\)");
    private static final Pattern TIMESTAMP = Pattern.compile("(?i)timestamp(?:\\(\\d\\))?( with(?:out)? time ?zone)?(?:\\(\\d\\))?");
    private static final Pattern SMALL_INTEGER = Pattern.compile("(?i)int|integer|int4|smallint|int2|serial");

    record Result(String yaml, int changeSets, List<String> notes) {
    }

    /** The keys of Liquibase's changes whose values are names, or comma-separated lists of names. */
    private static final Set<String> NAME_KEYS = Set.of("tableName", "name", "columnName", "columnNames", "constraintName", "indexName",
            "primaryKeyName", "baseTableName", "baseColumnNames", "referencedTableName", "referencedColumnNames", "sequenceName");
    private static final Pattern PLAIN_NAME = Pattern.compile("[a-z_][a-z0-9_$]*");

    private final String id;
    private final Set<String> existingTables;
    /** PostgreSQL's keywords that a name cannot be without quotes, as quote_ident() decides. */
    private final Set<String> keywords;
    private final List<Object> main = new ArrayList<>();
    private final List<Object> mainRollback = new ArrayList<>();
    private final List<Object> validate = new ArrayList<>();
    private final List<Object> validateRollback = new ArrayList<>();
    /** SET NOT NULL holds ACCESS EXCLUSIVE until the commit: these come after every VALIDATE, so none scans under it. */
    private final List<Object> setNotNull = new ArrayList<>();
    private final List<Object> setNotNullRollback = new ArrayList<>();
    private final List<String> concurrentIndexes = new ArrayList<>();
    private final List<String> concurrentIndexNames = new ArrayList<>();
    /** Constraints on existing tables that need an index built CONCURRENTLY first (a foreign key's, a unique one's). */
    private final List<Object> constraints = new ArrayList<>();
    private final List<Object> constraintsRollback = new ArrayList<>();
    private final List<String> concurrentIndexDrops = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    /** One changeset per column whose type changes, after the main one. */
    private final List<Object> typeChanges = new ArrayList<>();
    private final Map<String, Set<String>> indexedPrefixes = new LinkedHashMap<>();

    private ConventionalChangesets(String id, Set<String> existingTables, Set<String> keywords) {
        this.id = id;
        this.existingTables = existingTables;
        this.keywords = keywords;
    }

    static Result from(String id, List<Change> changes, List<ColumnDrift> changedColumns, Connection shadow) throws SQLException {
        ConventionalChangesets conventional = new ConventionalChangesets(id, existingTables(shadow), keywords(shadow));
        for (Change change : changes) {
            if (change instanceof CreateTableChange || change instanceof AddPrimaryKeyChange || change instanceof AddUniqueConstraintChange
                    || change instanceof CreateIndexChange) {
                conventional.noteIndexed(change);
            }
        }
        for (Change change : changes) {
            conventional.add(change);
        }
        for (ColumnDrift drift : changedColumns) {
            conventional.changeColumn(drift, shadow);
        }
        return conventional.result();
    }

    private void add(Change change) {
        if (change instanceof CreateTableChange table) {
            createTable(table);
        } else if (change instanceof AddColumnChange addColumn) {
            for (AddColumnConfig column : addColumn.getColumns()) {
                addColumn(addColumn.getTableName(), column);
            }
        } else if (change instanceof AddPrimaryKeyChange pk) {
            String name = "pk_" + pk.getTableName();
            main.add(change("addPrimaryKey", map("tableName", pk.getTableName(), "columnNames", pk.getColumnNames(), "constraintName", name)));
            mainRollback.add(0, change("dropPrimaryKey", map("tableName", pk.getTableName(), "constraintName", name)));
        } else if (change instanceof AddUniqueConstraintChange unique) {
            String table = unique.getTableName();
            String name = "uq_" + table + "__" + columns(unique.getColumnNames());
            if (existingTables.contains(table)) {
                // Building the index is the slow part; done CONCURRENTLY, attaching it as the constraint takes a moment.
                List<String> columns = names(unique.getColumnNames());
                index(table, columns, name, true);
                constraints.add(sql("ALTER TABLE " + q(table) + " ADD CONSTRAINT " + q(name) + " UNIQUE USING INDEX " + q(name) + ";"));
                // Dropping the constraint drops the index it took over, which the indexes changeset, still applied, built.
                constraintsRollback.add(0, sql("ALTER TABLE " + q(table) + " DROP CONSTRAINT " + q(name) + ";\nCREATE UNIQUE INDEX " + q(name)
                        + " ON " + q(table) + " (" + q(columns) + ");"));
            } else {
                main.add(change("addUniqueConstraint", map("tableName", table, "columnNames", unique.getColumnNames(), "constraintName", name)));
                mainRollback.add(0, change("dropUniqueConstraint", map("tableName", table, "constraintName", name)));
            }
        } else if (change instanceof AddForeignKeyConstraintChange fk) {
            foreignKey(fk);
        } else if (change instanceof CreateIndexChange index) {
            String name = "ix_" + index.getTableName() + "__" + columns(columnNames(index.getColumns()));
            index(index.getTableName(), columnNames(index.getColumns()), name, Boolean.TRUE.equals(index.isUnique()));
        } else if (change instanceof CreateSequenceChange sequence) {
            main.add(change("createSequence", map("sequenceName", sequence.getSequenceName(), "startValue", sequence.getStartValue(),
                    "incrementBy", sequence.getIncrementBy())));
            mainRollback.add(0, change("dropSequence", map("sequenceName", sequence.getSequenceName())));
        } else {
            throw new ToolOutput.Refused("generate does not write a " + change.getSerializedObjectName() + " change yet; write that"
                    + " change by hand in a new changeset (see README, \"Writing a changeset\"). Nothing was written.");
        }
    }

    private void createTable(CreateTableChange table) {
        String name = table.getTableName();
        List<Object> columns = new ArrayList<>();
        List<Check> checks = new ArrayList<>();
        for (ColumnConfig column : table.getColumns()) {
            ConstraintsConfig constraints = column.getConstraints();
            boolean primaryKey = constraints != null && Boolean.TRUE.equals(constraints.isPrimaryKey());
            boolean identity = Boolean.TRUE.equals(column.isAutoIncrement());
            Map<String, Object> definition = map("name", column.getName(), "type", type(name, column.getName(), column.getType(), primaryKey || identity, checks));
            if (identity) {
                definition.put("autoIncrement", true);
            }
            Map<String, Object> rules = new LinkedHashMap<>();
            if (primaryKey) {
                rules.put("primaryKey", true);
                rules.put("primaryKeyName", "pk_" + name);
            }
            if (primaryKey || constraints != null && Boolean.FALSE.equals(constraints.isNullable())) {
                rules.put("nullable", false);
            }
            if (!rules.isEmpty()) {
                definition.put("constraints", rules);
            }
            columns.add(map("column", definition));
        }
        main.add(change("createTable", map("tableName", name, "columns", columns)));
        if (!checks.isEmpty()) {
            main.add(sql("ALTER TABLE " + q(name) + "\n  " + String.join(",\n  ", checks.stream().map(check -> "ADD CONSTRAINT " + check.sql()).toList()) + ";"));
        }
        mainRollback.add(0, change("dropTable", map("tableName", name)));
    }

    private void addColumn(String table, AddColumnConfig column) {
        List<Check> checks = new ArrayList<>();
        String type = type(table, column.getName(), column.getType(), false, checks);
        boolean required = column.getConstraints() != null && Boolean.FALSE.equals(column.getConstraints().isNullable());
        if (!existingTables.contains(table)) {
            Map<String, Object> definition = map("name", column.getName(), "type", type);
            if (required) {
                definition.put("constraints", map("nullable", false));
            }
            main.add(change("addColumn", map("tableName", table, "columns", List.of(map("column", definition)))));
            checks.forEach(check -> main.add(sql("ALTER TABLE " + q(table) + " ADD CONSTRAINT " + check.sql() + ";")));
            mainRollback.add(0, change("dropColumn", map("tableName", table, "columnName", column.getName())));
            return;
        }
        // An existing table may be large and busy: add the column nullable (a catalog-only change) and its rules NOT VALID.
        main.add(change("addColumn", map("tableName", table, "columns", List.of(map("column", map("name", column.getName(), "type", type))))));
        // Dropping the column drops its CHECKs too.
        mainRollback.add(0, change("dropColumn", map("tableName", table, "columnName", column.getName())));
        checks.forEach(check -> checkNotValid(table, check, main, null));
        if (required) {
            setNotNull(table, column.getName(), false);
        }
    }

    /**
     * A CHECK on an existing table: added NOT VALID to {@code changes}, a brief lock without a scan, and validated in the
     * validate changeset. It is dropped first in {@code rollback}, unless that is null: nothing else there drops it
     * (dropping its column does).
     */
    private void checkNotValid(String table, Check check, List<Object> changes, List<Object> rollback) {
        String name = q(check.name());
        changes.add(sql("ALTER TABLE " + q(table) + " ADD CONSTRAINT " + check.sql() + " NOT VALID;"));
        if (rollback != null) {
            rollback.add(0, sql("ALTER TABLE " + q(table) + " DROP CONSTRAINT " + name + ";"));
        }
        validate.add(sql("ALTER TABLE " + q(table) + " VALIDATE CONSTRAINT " + name + ";"));
        validateRollback.add(0, sql("ALTER TABLE " + q(table) + " DROP CONSTRAINT " + name + ";\nALTER TABLE " + q(table) + " ADD CONSTRAINT "
                + check.sql() + " NOT VALID;"));
    }

    /** NOT NULL on a column of an existing table: a validated CHECK first, so that SET NOT NULL needs no scan. */
    private void setNotNull(String table, String column, boolean dropOnRollback) {
        Check notNull = check("ck_" + table + "__" + column + "_not_null", "CHECK (" + q(column) + " IS NOT NULL)");
        checkNotValid(table, notNull, main, dropOnRollback ? mainRollback : null);
        setNotNull.add(sql("ALTER TABLE " + q(table) + " ALTER COLUMN " + q(column) + " SET NOT NULL;\nALTER TABLE " + q(table)
                + " DROP CONSTRAINT " + q(notNull.name()) + ";"));
        // NOT VALID: the rollback of _validate drops the CHECK and adds it back NOT VALID next, so it scans nothing here.
        setNotNullRollback.add(0, sql("ALTER TABLE " + q(table) + " ADD CONSTRAINT " + notNull.sql() + " NOT VALID;\nALTER TABLE " + q(table)
                + " ALTER COLUMN " + q(column) + " DROP NOT NULL;"));
        notes.add(table + "." + column + " is required: on a database whose " + table + " has rows, give them a value before "
                + id + "_validate runs (in a changeset between the two, or with a default), or that changeset stops and changes nothing");
    }

    /** A column of an existing table whose nullability, length or type the entity changed. */
    private void changeColumn(ColumnDrift drift, Connection shadow) throws SQLException {
        String table = drift.table();
        String column = drift.column();
        switch (drift.kind()) {
            case NULLABLE -> {
                if (Boolean.parseBoolean(drift.entity())) {
                    main.add(sql("ALTER TABLE " + q(table) + " ALTER COLUMN " + q(column) + " DROP NOT NULL;"));
                    mainRollback.add(0, sql("ALTER TABLE " + q(table) + " ALTER COLUMN " + q(column) + " SET NOT NULL;"));
                } else {
                    setNotNull(table, column, true);
                }
            }
            case LENGTH -> {
                if (drift.database() == null) {
                    checkNotValid(table, lengthCheck(table, column, drift.entity()), main, mainRollback);
                    return;
                }
                // Each CHECK that bounds the length keeps its name and the rest of its rule; only the bound changes.
                Pattern bound = Pattern.compile("char_length\\(" + Pattern.quote(q(column)) + "\\) <= \\d+");
                for (List<String> check : rows(shadow, "SELECT quote_ident(conname), pg_get_constraintdef(oid) FROM pg_constraint"
                        + " WHERE contype = 'c' AND conrelid = ?::regclass ORDER BY conname", table)) {
                    String name = check.get(0);
                    String before = check.get(1);
                    if (!bound.matcher(before).find()) {
                        continue;
                    }
                    String after = bound.matcher(before).replaceAll(Matcher.quoteReplacement("char_length(" + q(column) + ") <= " + drift.entity()));
                    String replace = "ALTER TABLE " + q(table) + " DROP CONSTRAINT " + name + ", ADD CONSTRAINT " + name + " ";
                    main.add(sql(replace + after + " NOT VALID;"));
                    mainRollback.add(0, sql(replace + before + ";"));
                    validate.add(sql("ALTER TABLE " + q(table) + " VALIDATE CONSTRAINT " + name + ";"));
                    validateRollback.add(0, sql(replace + after + " NOT VALID;"));
                }
            }
            case TYPE -> {
                List<Check> checks = new ArrayList<>();
                // A varchar stays a varchar of the new length (a longer one is a catalog-only change); other types follow the convention.
                String type = VARCHAR.matcher(drift.entity()).matches() && VARCHAR.matcher(drift.database()).matches() ? drift.entity()
                        : type(table, column, drift.entity(), false, checks);
                // A changeset of its own, so that the online check's rewrite of it, where it rewrites the table, replaces it alone.
                List<Object> change = new ArrayList<>(List.of(sql(alterType(table, column, type))));
                List<Object> rollback = new ArrayList<>(List.of(sql(alterType(table, column, drift.database()))));
                checks.forEach(check -> checkNotValid(table, check, change, rollback));
                typeChanges.add(changeSet(id + "_" + table + "_" + column + "_type", "Changes the type of " + table + "." + column
                        + " as the entity maps it; mvn keel:online-check says whether this rewrites the table.", change, rollback, true));
                notes.add(table + "." + column + " changes type from " + drift.database() + " to " + type + ": run mvn keel:online-check,"
                        + " which says whether that rewrites the table and, if so, gives the expand-and-contract changesets to use instead");
            }
        }
    }

    /** Any type casts to a string by assignment; to others, a cast PostgreSQL does only when told to may be needed. */
    private String alterType(String table, String column, String type) {
        boolean string = type.equals("text") || VARCHAR.matcher(type).matches();
        return "ALTER TABLE " + q(table) + " ALTER COLUMN " + q(column) + " TYPE " + type + (string ? "" : " USING " + q(column) + "::" + type) + ";";
    }

    private Check lengthCheck(String table, String column, String length) {
        return check("ck_" + table + "__" + column + "_length", "CHECK (char_length(" + q(column) + ") <= " + length + ")");
    }

    /** A named CHECK constraint; {@code sql} is its name and definition, as ADD CONSTRAINT takes them. */
    private record Check(String name, String sql) {
    }

    private Check check(String name, String definition) {
        return new Check(name, q(name) + " " + definition);
    }

    /** A name as SQL must write it: quoted unless it is in lower case and no keyword, as PostgreSQL's quote_ident() decides. */
    private String q(String name) {
        return PLAIN_NAME.matcher(name).matches() && !keywords.contains(name) ? name : "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private String q(List<String> names) {
        return names.stream().map(this::q).collect(Collectors.joining(", "));
    }

    private void foreignKey(AddForeignKeyConstraintChange fk) {
        String table = fk.getBaseTableName();
        String name = "fk_" + table + "__" + columns(fk.getBaseColumnNames());
        if (existingTables.contains(table)) {
            String definition = "FOREIGN KEY (" + q(names(fk.getBaseColumnNames())) + ") REFERENCES " + q(fk.getReferencedTableName())
                    + " (" + q(names(fk.getReferencedColumnNames())) + ")" + onDelete(fk);
            constraints.add(sql("ALTER TABLE " + q(table) + " ADD CONSTRAINT " + q(name) + " " + definition + " NOT VALID;"));
            constraintsRollback.add(0, sql("ALTER TABLE " + q(table) + " DROP CONSTRAINT " + q(name) + ";"));
            validate.add(sql("ALTER TABLE " + q(table) + " VALIDATE CONSTRAINT " + q(name) + ";"));
            validateRollback.add(0, sql("ALTER TABLE " + q(table) + " DROP CONSTRAINT " + q(name) + ";\nALTER TABLE " + q(table) + " ADD CONSTRAINT "
                    + q(name) + " " + definition + " NOT VALID;"));
        } else {
            Map<String, Object> definition = map("constraintName", name, "baseTableName", table, "baseColumnNames", fk.getBaseColumnNames(),
                    "referencedTableName", fk.getReferencedTableName(), "referencedColumnNames", fk.getReferencedColumnNames());
            if (fk.getOnDelete() != null) {
                definition.put("onDelete", fk.getOnDelete());
            }
            main.add(change("addForeignKeyConstraint", definition));
            mainRollback.add(0, change("dropForeignKeyConstraint", map("baseTableName", table, "constraintName", name)));
        }
        List<String> columns = names(fk.getBaseColumnNames());
        if (!indexedPrefixes.getOrDefault(table, Set.of()).contains(String.join(",", columns))) {
            index(table, columns, "ix_" + table + "__" + String.join("_", columns), false);
        }
    }

    private void index(String table, List<String> columns, String name, boolean unique) {
        indexedPrefixes.computeIfAbsent(table, t -> new LinkedHashSet<>()).add(String.join(",", columns));
        String create = "CREATE " + (unique ? "UNIQUE " : "") + "INDEX";
        if (existingTables.contains(table)) {
            concurrentIndexNames.add(q(name));
            concurrentIndexes.add(create + " CONCURRENTLY IF NOT EXISTS " + q(name) + " ON " + q(table) + " (" + q(columns) + ");");
            concurrentIndexDrops.add(0, "DROP INDEX CONCURRENTLY IF EXISTS " + q(name) + ";");
        } else {
            List<Object> indexColumns = columns.stream().<Object>map(column -> map("column", map("name", column))).toList();
            Map<String, Object> definition = map("tableName", table, "indexName", name, "columns", indexColumns);
            if (unique) {
                definition.put("unique", true);
            }
            main.add(change("createIndex", definition));
            mainRollback.add(0, change("dropIndex", map("tableName", table, "indexName", name)));
        }
    }

    /** The column type by Keel's convention; a length becomes a named CHECK, added to {@code checks}. */
    private String type(String table, String column, String entityType, boolean key, List<Check> checks) {
        String type = entityType.strip();
        Matcher varchar = VARCHAR.matcher(type);
        if (varchar.matches()) {
            checks.add(lengthCheck(table, column, varchar.group(1)));
            return "text";
        }
        Matcher timestamp = TIMESTAMP.matcher(type);
        if (timestamp.matches()) {
            if (timestamp.group(1) == null || timestamp.group(1).toLowerCase(Locale.ROOT).contains("without")) {
                notes.add(table + "." + column + " is mapped without a time zone; Keel stores times as timestamptz, so map it as"
                        + " java.time.Instant or OffsetDateTime, or the drift check will report it");
            }
            return "timestamptz";
        }
        if (key && SMALL_INTEGER.matcher(type).matches()) {
            notes.add(table + "." + column + " is a key of type " + type + "; Keel's keys are bigint, so map it as Long");
            return "bigint";
        }
        return type.toLowerCase(Locale.ROOT);
    }

    private void noteIndexed(Change change) {
        if (change instanceof CreateTableChange table) {
            List<String> pk = table.getColumns().stream().filter(column -> column.getConstraints() != null
                    && Boolean.TRUE.equals(column.getConstraints().isPrimaryKey())).map(ColumnConfig::getName).toList();
            addPrefixes(table.getTableName(), pk);
        } else if (change instanceof AddPrimaryKeyChange pk) {
            addPrefixes(pk.getTableName(), names(pk.getColumnNames()));
        } else if (change instanceof AddUniqueConstraintChange unique) {
            addPrefixes(unique.getTableName(), names(unique.getColumnNames()));
        } else if (change instanceof CreateIndexChange index) {
            addPrefixes(index.getTableName(), columnNames(index.getColumns()));
        }
    }

    /** An index on (a, b) serves a foreign key on (a) too. */
    private void addPrefixes(String table, List<String> columns) {
        for (int i = 1; i <= columns.size(); i++) {
            indexedPrefixes.computeIfAbsent(table, t -> new LinkedHashSet<>()).add(String.join(",", columns.subList(0, i)));
        }
    }

    private Result result() {
        List<Object> changeSets = new ArrayList<>();
        if (!main.isEmpty()) {
            changeSets.add(changeSet(id, "Generated from the entities; review it before you apply it.", main, mainRollback, true));
        }
        changeSets.addAll(typeChanges);
        if (!concurrentIndexes.isEmpty()) {
            changeSets.add(changeSet(id + "_indexes", "Builds indexes on existing tables without blocking writes (CONCURRENTLY cannot run"
                    + " in a transaction); an INVALID index a failed build left behind is dropped first, so a retry builds it again.",
                    List.of(change("sql", map("splitStatements", false, "sql", InvalidIndexes.dropIfInvalid(concurrentIndexNames))),
                            sql(String.join("\n", concurrentIndexes))), List.of(sql(String.join("\n", concurrentIndexDrops))), false));
        }
        if (!constraints.isEmpty()) {
            changeSets.add(changeSet(id + "_constraints", "Adds the constraints on existing tables once their indexes exist: foreign keys NOT VALID"
                    + " and unique constraints USING INDEX, each a brief lock without a scan.", constraints, constraintsRollback, true));
        }
        if (!validate.isEmpty()) {
            List<Object> validateAll = new ArrayList<>(validate);
            validateAll.addAll(setNotNull);
            List<Object> validateAllRollback = new ArrayList<>(setNotNullRollback);
            validateAllRollback.addAll(validateRollback);
            changeSets.add(changeSet(id + "_validate", "Validates what the changesets above added NOT VALID: this scans the table under a lock"
                    + " that does not block reads or writes.", validateAll, validateAllRollback, true));
        }
        if (namesNeedQuoting(changeSets)) {
            // Liquibase would fold an upper-case name to lower case, unquoted; this keeps every name as the entities spell it.
            for (Object changeSet : changeSets) {
                @SuppressWarnings("unchecked")
                Map<String, Object> body = (Map<String, Object>) ((Map<String, Object>) changeSet).get("changeSet");
                Map<String, Object> quoted = map("id", body.remove("id"), "author", body.remove("author"), "objectQuotingStrategy", "QUOTE_ALL_OBJECTS");
                quoted.putAll(body);
                ((Map<String, Object>) changeSet).put("changeSet", quoted);
            }
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setWidth(1000);
        String yaml = "# Generated from the entities by generate (README, \"Daily loop\"). Review it, then apply it.\n"
                + new Yaml(options).dump(map("databaseChangeLog", changeSets));
        return new Result(yaml, changeSets.size(), notes);
    }

    private static Map<String, Object> changeSet(String id, String comment, List<Object> changes, List<Object> rollback, boolean inTransaction) {
        Map<String, Object> changeSet = map("id", id, "author", "keel", "comment", comment);
        if (!inTransaction) {
            changeSet.put("runInTransaction", false);
        }
        changeSet.put("changes", changes);
        changeSet.put("rollback", rollback);
        return map("changeSet", changeSet);
    }

    private static Map<String, Object> sql(String statement) {
        return change("sql", map("sql", statement));
    }

    private static Map<String, Object> change(String type, Map<String, Object> body) {
        return map(type, body);
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                map.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return map;
    }

    private static String onDelete(AddForeignKeyConstraintChange fk) {
        return fk.getOnDelete() == null ? "" : " ON DELETE " + fk.getOnDelete().toUpperCase(Locale.ROOT).replace('_', ' ');
    }

    private static List<String> columnNames(List<? extends ColumnConfig> columns) {
        return columns.stream().map(ColumnConfig::getName).toList();
    }

    private static String columns(String commaSeparated) {
        return String.join("_", names(commaSeparated));
    }

    private static List<String> names(String commaSeparated) {
        return Stream.of(commaSeparated.split(",")).map(String::strip).toList();
    }

    private static String columns(List<String> columns) {
        return String.join("_", columns);
    }

    private static List<List<String>> rows(Connection shadow, String sql, String table) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (PreparedStatement query = shadow.prepareStatement(sql)) {
            query.setString(1, "public.\"" + table.replace("\"", "\"\"") + "\"");
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    rows.add(List.of(result.getString(1), result.getString(2)));
                }
            }
        }
        return rows;
    }

    private static Set<String> keywords(Connection shadow) throws SQLException {
        Set<String> keywords = new LinkedHashSet<>();
        try (PreparedStatement query = shadow.prepareStatement("SELECT word FROM pg_get_keywords() WHERE catcode <> 'U'");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                keywords.add(rows.getString(1));
            }
        }
        return keywords;
    }

    /** Whether a name in Liquibase's changes below {@code node} needs quotes, which Liquibase gives mixed case and keywords only. */
    private boolean namesNeedQuoting(Object node) {
        if (node instanceof Map<?, ?> map) {
            return map.entrySet().stream().anyMatch(entry -> NAME_KEYS.contains(entry.getKey()) && entry.getValue() instanceof String names
                    ? names(names).stream().anyMatch(name -> !q(name).equals(name)) : namesNeedQuoting(entry.getValue()));
        }
        return node instanceof List<?> list && list.stream().anyMatch(this::namesNeedQuoting);
    }

    private static Set<String> existingTables(Connection shadow) throws SQLException {
        Set<String> tables = new LinkedHashSet<>();
        try (PreparedStatement query = shadow.prepareStatement("SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace"
                + " AND relkind IN ('r', 'p')"); ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        return tables;
    }
}
