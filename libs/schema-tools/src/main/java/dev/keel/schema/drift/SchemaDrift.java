package dev.keel.schema.drift;

import jakarta.persistence.SchemaValidationException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.ObjectQuotingStrategy;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.diff.DiffResult;
import liquibase.diff.DiffGeneratorFactory;
import liquibase.diff.ObjectDifferences;
import liquibase.diff.compare.CompareControl;
import liquibase.ext.hibernate.database.HibernateDatabase;
import liquibase.ext.hibernate.database.connection.HibernateConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.snapshot.DatabaseSnapshot;
import liquibase.snapshot.SnapshotControl;
import liquibase.snapshot.SnapshotGeneratorFactory;
import liquibase.structure.DatabaseObject;
import liquibase.structure.core.Catalog;
import liquibase.structure.core.Column;
import liquibase.structure.core.ForeignKey;
import liquibase.structure.core.Index;
import liquibase.structure.core.PrimaryKey;
import liquibase.structure.core.Relation;
import liquibase.structure.core.Schema;
import liquibase.structure.core.UniqueConstraint;
import org.hibernate.HibernateException;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.model.naming.Identifier;
import org.hibernate.boot.model.relational.Namespace;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.service.UnknownUnwrapTypeException;

/**
 * Compares what the JPA entities map (liquibase-hibernate7's model of them) with what the changelog
 * created in a real database, and keeps only the differences that matter: something an entity maps
 * that the database lacks, or a column whose type, nullability or length disagrees. Objects no entity
 * maps (an extra index, Liquibase's own tables) are reported as extras and never fail.
 */
public final class SchemaDrift {

    /** The outcome: failures break the build, extras are for information. */
    public record Report(List<String> failures, List<String> extras) {
    }

    /** The entity package of a project without JPA entities (MyBatis, jOOQ): nothing to compare, nothing to generate from. */
    public static final String NO_ENTITIES = "none";

    /**
     * A column that an entity maps otherwise than the database has it: its nullability ({@code "true"} or
     * {@code "false"}), its length (Keel's CHECK on a text column's length; {@code database} is null without one) or its
     * type (normalized). Generate writes the change for each; drift reports each.
     */
    public record ColumnDrift(String table, String column, Kind kind, String entity, String database) {

        public enum Kind { NULLABLE, LENGTH, TYPE }

        public String message() {
            String name = "column " + table + "." + column + ": ";
            return switch (kind) {
                case NULLABLE -> name + "the entity says nullable=" + entity + ", the database says nullable=" + database;
                case LENGTH -> name + "the entity limits it to " + entity + " characters, "
                        + (database == null ? "the database has no CHECK on its length" : "the database's CHECK to " + database);
                case TYPE -> name + "the entity maps type " + entity + ", the database has " + database;
            };
        }
    }

    /** A bound on a column's length in a CHECK's text, as pg_get_constraintdef writes it: the column quoted where it must be. */
    private static final Pattern MAX_LENGTH = Pattern.compile("char_length\\((\\w+|\"(?:[^\"]|\"\")+\")\\) <= (\\d+)");
    private static final Pattern VARCHAR = Pattern.compile("(?:varchar|character varying)\\((\\d+)\\)");

    /** Spring Boot's default naming, so that a field without a column name maps as it will at run time: sortOrder to sort_order. */
    private static final String SPRING_BOOT_NAMING = "&hibernate.physical_naming_strategy=org.hibernate.boot.model.naming.CamelCaseToUnderscoresNamingStrategy"
            + "&hibernate.implicit_naming_strategy=org.springframework.boot.hibernate.SpringImplicitNamingStrategy";

    private static final String PUBLIC = "public";

    private SchemaDrift() {
    }

    /** liquibase-hibernate7's model of the entities in a package, loaded through this thread's context class loader. */
    public static Database entities(String entityPackage) throws Exception {
        return entities(entityPackage, Thread.currentThread().getContextClassLoader());
    }

    /**
     * The same, with the entity classes loaded through {@code classes}. It needs no database, so it can be built
     * meanwhile, on any thread.
     */
    public static Database entities(String entityPackage, ClassLoader classes) throws Exception {
        EntityModel entities = new EntityModel();
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(classes);
        try {
            // liquibase-hibernate7 scans the package through the Liquibase scope's class loader, Hibernate through this thread's.
            Scope.child(Scope.Attr.classLoader.name(), classes, () -> entities.setConnection(new JdbcConnection(new HibernateConnection(
                    "hibernate:spring:" + entityPackage + "?dialect=org.hibernate.dialect.PostgreSQLDialect" + SPRING_BOOT_NAMING,
                    new ClassLoaderResourceAccessor(classes)))));
        } finally {
            thread.setContextClassLoader(before);
        }
        return entities;
    }

    /** Liquibase's diff of the entities mapped to tables in public against {@link #snapshot} of the database's public schema. */
    public static DiffResult diff(Database entities, DatabaseSnapshot target) throws Exception {
        return diff(entities, target, PUBLIC);
    }

    /**
     * Liquibase's diff of the entities that map tables in {@code schema} against a snapshot of that schema. The
     * entities' model puts every table in one schema of its own, so each schema is compared in turn, and what is
     * missing or changed is kept only where the entities put its table in {@code schema}.
     */
    static DiffResult diff(Database entities, DatabaseSnapshot target, String schema) throws Exception {
        CompareControl control = new CompareControl();
        DatabaseSnapshot reference = SnapshotGeneratorFactory.getInstance()
                .createSnapshot(control.getSchemas(CompareControl.DatabaseRole.REFERENCE), entities, new SnapshotControl(entities));
        DiffResult all = DiffGeneratorFactory.getInstance().compare(reference, target, control);
        Map<String, String> schemas = otherSchemas(entities);
        DiffResult kept = new DiffResult(all.getReferenceSnapshot(), all.getComparisonSnapshot(), all.getCompareControl());
        all.getMissingObjects().stream().filter(missing -> schemas.getOrDefault(table(missing), PUBLIC).equals(schema)).forEach(kept::addMissingObject);
        all.getChangedObjects().forEach((changed, differences) -> {
            if (schemas.getOrDefault(table(changed), PUBLIC).equals(schema)) {
                kept.addChangedObject(changed, differences);
            }
        });
        all.getUnexpectedObjects().forEach(kept::addUnexpectedObject);
        return kept;
    }

    /** The schema of each table the entities put outside public ({@code @Table(schema = "billing")}), by table name. */
    public static Map<String, String> otherSchemas(Database entities) {
        Map<String, String> schemas = new HashMap<>();
        for (Namespace namespace : ((HibernateDatabase) entities).getMetadata().getDatabase().getNamespaces()) {
            Identifier schema = namespace.getPhysicalName().schema();
            if (schema != null && !schema.getText().equals(PUBLIC)) {
                namespace.getTables().forEach(table -> schemas.put(table.getName(), schema.getText()));
            }
        }
        return schemas;
    }

    /** The name of the table an object belongs to; null for one that belongs to none, such as a sequence. */
    private static String table(DatabaseObject object) {
        Relation relation = object instanceof Relation itself ? itself
                : object instanceof Column column ? column.getRelation()
                : object instanceof Index index ? index.getRelation()
                : object instanceof PrimaryKey key ? key.getTable()
                : object instanceof UniqueConstraint unique ? unique.getRelation()
                : object instanceof ForeignKey key ? key.getForeignKeyTable() : null;
        return relation == null ? null : relation.getName();
    }

    /** Liquibase's snapshot of the database's public schema, as its diff takes it. */
    public static DatabaseSnapshot snapshot(Connection connection) throws Exception {
        return snapshot(connection, PUBLIC);
    }

    static DatabaseSnapshot snapshot(Connection connection, String schema) throws Exception {
        Database target = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
        // Names come from the catalog as they are; Liquibase would otherwise fold an upper-case table's name when it reads
        // that table's keys, and miss them.
        target.setObjectQuotingStrategy(ObjectQuotingStrategy.QUOTE_ALL_OBJECTS);
        // The diff compares the entities' model with the database's default schema.
        target.setDefaultSchemaName(schema);
        return SnapshotGeneratorFactory.getInstance()
                .createSnapshot(new CompareControl().getSchemas(CompareControl.DatabaseRole.COMPARISON), target, new SnapshotControl(target));
    }

    /** Whether a missing object counts: catalogs and schemas are Liquibase's bookkeeping, not the entities'. */
    public static boolean counts(DatabaseObject missing) {
        return !(missing instanceof Catalog) && !(missing instanceof Schema);
    }

    public static Report compare(String entityPackage, Connection connection) throws Exception {
        if (NO_ENTITIES.equals(entityPackage)) {
            return new Report(List.of(), List.of());
        }
        Database entities = entities(entityPackage);
        List<String> failures = new ArrayList<>();
        List<String> extras = new ArrayList<>();
        failures(entities, connection, PUBLIC, extras).forEach(failures::add);
        for (String schema : new TreeSet<>(otherSchemas(entities).values())) {
            failures.addAll(failures(entities, connection, schema, extras));
        }
        if (failures.isEmpty()) {
            String refused = refusedByHibernate(entities, connection);
            if (refused != null) {
                // Hibernate compares JDBC types: a String on a char(n) column differs there though the diff sees one type.
                String mapping = refused.contains("wrong column type") ? ". It compares JDBC types, where a column's type name can"
                        + " agree: a String maps to varchar, so a char(n) column needs @JdbcTypeCode(SqlTypes.CHAR) on its field" : "";
                failures.add("the service would refuse to start: Hibernate's validation of the entities (ddl-auto: validate) says: " + refused
                        + mapping + ". Make the entity map the database as it is, or change the database with a changeset");
            }
        }
        failures.sort(null);
        extras.sort(null);
        return new Report(failures, extras);
    }

    /**
     * What Hibernate's own schema validation, the one the service's {@code ddl-auto: validate} runs, refuses in the
     * database: null when it passes. It runs on the entities liquibase-hibernate7 mapped, with the same naming, over
     * {@code connection}, through JPA's schema manager, which only reads the schema here.
     */
    static String refusedByHibernate(Database entities, Connection connection) throws Exception {
        ConnectionProvider onThisConnection = new ConnectionProvider() {
            @Override
            public Connection getConnection() {
                return connection;
            }

            @Override
            public void closeConnection(Connection ignored) {
                // The caller's connection: it closes it.
            }

            @Override
            public boolean supportsAggressiveRelease() {
                return false;
            }

            @Override
            public boolean isUnwrappableAs(Class<?> type) {
                return false;
            }

            @Override
            public <T> T unwrap(Class<T> type) {
                throw new UnknownUnwrapTypeException(type);
            }
        };
        StandardServiceRegistry registry = new StandardServiceRegistryBuilder()
                .applySetting(AvailableSettings.CONNECTION_PROVIDER, onThisConnection)
                .applySetting(AvailableSettings.PHYSICAL_NAMING_STRATEGY, "org.hibernate.boot.model.naming.CamelCaseToUnderscoresNamingStrategy")
                .applySetting(AvailableSettings.IMPLICIT_NAMING_STRATEGY, "org.springframework.boot.hibernate.SpringImplicitNamingStrategy")
                .build();
        try {
            MetadataSources sources = new MetadataSources(registry);
            ((HibernateDatabase) entities).getMetadata().getEntityBindings().forEach(entity -> sources.addAnnotatedClassName(entity.getClassName()));
            try (SessionFactory factory = sources.buildMetadata().buildSessionFactory()) {
                factory.getSchemaManager().validate();
                return null;
            }
        } catch (SchemaValidationException e) {
            return java.util.Arrays.stream(e.getFailures()).map(Throwable::getMessage).collect(java.util.stream.Collectors.joining("; "));
        } catch (HibernateException e) {
            return e.getMessage();
        } finally {
            StandardServiceRegistryBuilder.destroy(registry);
        }
    }

    /** What the entities that map tables in {@code schema} and the database disagree on; what no entity maps goes to {@code extras}. */
    public static List<String> failures(Database entities, Connection connection, String schema, List<String> extras) throws Exception {
        DiffResult diff = diff(entities, snapshot(connection, schema), schema);
        List<String> failures = new ArrayList<>();
        for (DatabaseObject missing : diff.getMissingObjects()) {
            if (counts(missing)) {
                failures.add("missing " + describe(missing, schema) + ": an entity maps it, but the changelog does not create it");
            }
        }
        for (DatabaseObject unexpected : diff.getUnexpectedObjects()) {
            if (!isLiquibaseOwn(unexpected) && !(unexpected instanceof Column column && column.getName().contains("("))) {
                extras.add(describe(unexpected, schema));
            }
        }
        changedColumns(diff, maxLengthsFromChecks(connection), schema).forEach(drift -> failures.add(drift.message()));
        return failures;
    }

    /** The columns of {@code diff}, of tables in public, whose nullability, length or type differ, given the database's length CHECKs. */
    public static List<ColumnDrift> changedColumns(DiffResult diff, Map<String, Integer> maxLengths) {
        return changedColumns(diff, maxLengths, PUBLIC);
    }

    private static List<ColumnDrift> changedColumns(DiffResult diff, Map<String, Integer> maxLengths, String schema) {
        List<ColumnDrift> drifts = new ArrayList<>();
        for (Map.Entry<DatabaseObject, ObjectDifferences> changed : diff.getChangedObjects().entrySet()) {
            if (changed.getKey() instanceof Column column) {
                drifts.addAll(columnDrifts(column, changed.getValue(), maxLengths, schema));
            }
        }
        return drifts;
    }

    private static List<ColumnDrift> columnDrifts(Column column, ObjectDifferences differences, Map<String, Integer> maxLengths, String schema) {
        String table = (schema.equals(PUBLIC) ? "" : schema + ".") + column.getRelation().getName();
        List<ColumnDrift> drifts = new ArrayList<>();
        if (differences.isDifferent("nullable")) {
            var nullable = differences.getDifference("nullable");
            drifts.add(new ColumnDrift(table, column.getName(), ColumnDrift.Kind.NULLABLE, String.valueOf(nullable.getReferenceValue()),
                    String.valueOf(nullable.getComparedValue())));
        }
        if (!differences.isDifferent("type")) {
            return drifts;
        }
        var type = differences.getDifference("type");
        String entityType = normalize(String.valueOf(type.getReferenceValue()));
        String databaseType = normalize(String.valueOf(type.getComparedValue()));
        Matcher varchar = VARCHAR.matcher(entityType);
        if (entityType.equals(databaseType)) {
            return drifts;
        }
        if (varchar.matches() && databaseType.equals("text")) {
            // Keel stores strings as text with a CHECK on their length; that CHECK is the column's length.
            Integer checked = maxLengths.get(table + "." + column.getName());
            if (checked == null || checked != Integer.parseInt(varchar.group(1))) {
                drifts.add(new ColumnDrift(table, column.getName(), ColumnDrift.Kind.LENGTH, varchar.group(1), checked == null ? null : checked.toString()));
            }
            return drifts;
        }
        drifts.add(new ColumnDrift(table, column.getName(), ColumnDrift.Kind.TYPE, entityType, databaseType));
        return drifts;
    }

    private static final Pattern FLOAT = Pattern.compile("float(?:\\((\\d+)\\))?");
    private static final Pattern DATED = Pattern.compile("(timestamp|time)(?:\\((\\d)\\))?(?: without time ?zone)?(?:\\((\\d)\\))?");

    /** Spellings of one PostgreSQL type become one. */
    static String normalize(String type) {
        // Liquibase's snapshot gives some integers their display width, int2(5): it is no part of the type.
        String t = type.toLowerCase(Locale.ROOT).strip().replace(" byte)", ")").replace(" char)", ")")
                .replaceAll("^(int2|int4|int8|smallint|integer|int|bigint)\\(\\d+\\)$", "$1");
        if (t.equals("int8")) {
            return "bigint";
        }
        if (t.equals("int4") || t.equals("int")) {
            return "integer";
        }
        if (t.startsWith("timestamp with time") || t.startsWith("timestamptz") || t.matches("timestamp(\\(\\d\\))? with time ?zone(\\(\\d\\))?")) {
            return "timestamptz";
        }
        if (t.startsWith("character varying")) {
            return t.replace("character varying", "varchar");
        }
        // char(n), character(n) and bpchar(n) are one type: PostgreSQL's catalog calls it bpchar.
        if (t.matches("(char|character|bpchar)(\\(\\d+\\))?")) {
            return t.replaceFirst("^(character|bpchar|char)", "char") + (t.contains("(") ? "" : "(1)");
        }
        // Six digits is PostgreSQL's default precision for timestamp and time, so timestamp(6) is timestamp.
        Matcher dated = DATED.matcher(t);
        if (dated.matches()) {
            String precision = dated.group(2) != null ? dated.group(2) : dated.group(3);
            return precision == null || precision.equals("6") ? dated.group(1) : dated.group(1) + "(" + precision + ")";
        }
        // float(p) is real up to 24 binary digits and double precision from 25, as PostgreSQL stores it; Hibernate writes float(53) for a double.
        Matcher floating = FLOAT.matcher(t);
        if (floating.matches()) {
            return floating.group(1) != null && Integer.parseInt(floating.group(1)) <= 24 ? "real" : "double precision";
        }
        return switch (t) {
            case "bool" -> "boolean";
            case "int2" -> "smallint";
            // A serial is an integer whose default takes the next value of a sequence it owns; Liquibase's snapshot names it so.
            case "serial", "serial4" -> "integer";
            case "bigserial", "serial8" -> "bigint";
            case "smallserial", "serial2" -> "smallint";
            case "float8" -> "double precision";
            case "float4" -> "real";
            default -> t;
        };
    }

    private static boolean isLiquibaseOwn(DatabaseObject object) {
        String text = object.toString().toLowerCase(Locale.ROOT);
        return text.contains("databasechangelog");
    }

    /** The object as Liquibase describes it, with its table's schema instead of the entities' model's own. */
    private static String describe(DatabaseObject object, String schema) {
        return object.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " "
                + object.toString().replace(HibernateDatabase.DEFAULT_SCHEMA + ".", schema.equals(PUBLIC) ? "" : schema + ".");
    }

    /**
     * table.column to the longest value its CHECK constraints allow: the smallest bound, where several bound it. A table
     * outside public is named with its schema, billing.invoices.
     */
    public static Map<String, Integer> maxLengthsFromChecks(Connection connection) throws SQLException {
        Map<String, Integer> lengths = new HashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT CASE WHEN c.relnamespace = 'public'::regnamespace THEN '' ELSE n.nspname || '.' END"
                     + " || c.relname, pg_get_constraintdef(k.oid) FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid"
                     + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE k.contype = 'c'")) {
            while (rows.next()) {
                Matcher matcher = MAX_LENGTH.matcher(rows.getString(2));
                while (matcher.find()) {
                    String column = matcher.group(1).startsWith("\"") ? matcher.group(1).substring(1, matcher.group(1).length() - 1).replace("\"\"", "\"")
                            : matcher.group(1);
                    lengths.merge(rows.getString(1) + "." + column, Integer.parseInt(matcher.group(2)), Math::min);
                }
            }
        }
        return lengths;
    }
}
