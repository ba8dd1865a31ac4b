package dev.keel.persistence.drift;

import dev.keel.db.settings.Settings;
import dev.keel.db.testing.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import liquibase.change.Change;
import liquibase.change.ColumnConfig;
import liquibase.change.core.AddForeignKeyConstraintChange;
import liquibase.change.core.AddPrimaryKeyChange;
import liquibase.change.core.AddUniqueConstraintChange;
import liquibase.change.core.CreateTableChange;
import liquibase.changelog.ChangeSet;
import liquibase.diff.DiffResult;
import liquibase.diff.output.DiffOutputControl;
import liquibase.diff.output.changelog.DiffToChangeLog;
import liquibase.serializer.core.yaml.YamlChangeLogSerializer;
import liquibase.structure.DatabaseObject;

/**
 * {@code mvn -pl libs/persistence -am test-compile exec:java -Dname=AddUserPhone}: writes one changeset with
 * what the entities map and the changelog does not create yet, computed against a throwaway shadow database
 * built from the changelog (the tests' strategy: TEST_DB_URL, Testcontainers, embedded), never a developer's.
 */
public final class GenerateChangeset {

    static final String COMMAND = "mvn -pl libs/persistence -am test-compile exec:java -Dname=<Name>";
    static final String USAGE = "Usage: " + COMMAND + ", where <Name> is an identifier such as AddUserPhone"
            + " (letters and digits, starting with a letter)";
    private static final String MASTER = "db/changelog/db.changelog-master.yaml";

    private GenerateChangeset() {
    }

    public static void main(String[] args) throws Exception {
        String name = System.getProperty("name");
        if (name == null || !name.matches("[A-Za-z][A-Za-z0-9]*")) {
            throw new IllegalArgumentException(USAGE);
        }
        Path resources = Settings.root().resolve("db/src/main/resources");
        try (Connection shadow = TestPostgres.server().connect(TestPostgres.createMigratedDatabase())) {
            Path written = generate(name, "dev.keel.persistence", shadow, resources, LocalDateTime.now(ZoneOffset.UTC));
            System.out.println(written == null
                    ? "The entities and the changelog agree; nothing was written."
                    : "Wrote " + Settings.root().relativize(written).toString().replace('\\', '/')
                            + " and included it in " + MASTER + ". Review it, then: mvn -pl db liquibase:update");
        }
    }

    /** Writes the changeset file and includes it in the master changelog; null when nothing differs. */
    static Path generate(String name, String entityPackage, Connection shadow, Path resources, LocalDateTime now) throws Exception {
        DiffResult diff = SchemaDrift.diff(entityPackage, shadow);
        DiffResult missingOnly = new DiffResult(diff.getReferenceSnapshot(), diff.getComparisonSnapshot(), diff.getCompareControl());
        for (DatabaseObject missing : diff.getMissingObjects()) {
            if (SchemaDrift.counts(missing)) {
                missingOnly.addMissingObject(missing);
            }
        }
        if (missingOnly.getMissingObjects().isEmpty()) {
            return null;
        }
        String id = now.format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss")) + "_" + snakeCase(name);
        String relative = "changes/" + id + ".yaml";
        ChangeSet changeSet = new ChangeSet(id, "keel", false, false, "db/changelog/" + relative, null, null, null);
        List<ChangeSet> generated = new DiffToChangeLog(missingOnly, new DiffOutputControl(false, false, false, null)).generateChangeSets();
        generated.forEach(each -> each.getChanges().forEach(change -> changeSet.addChange(namedByConvention(change))));

        ByteArrayOutputStream yaml = new ByteArrayOutputStream();
        new YamlChangeLogSerializer().write(List.of(changeSet), yaml);
        Path file = resources.resolve("db/changelog/" + relative);
        Files.writeString(file, "# Generated from the entities by GenerateChangeset; review it before you apply it.\n"
                + "# Liquibase derives the rollback of each change here (createTable, addColumn, add...Constraint).\n"
                + yaml.toString(StandardCharsets.UTF_8));
        Path master = resources.resolve(MASTER);
        Files.writeString(master, Files.readString(master) + "  - include:\n      file: " + relative + "\n      relativeToChangelogFile: true\n");
        return file;
    }

    /** Hibernate invents constraint names (FKdageusn...); Keel's are pk_<table>, uq_<table>__<columns>, fk_<table>__<column>. */
    static Change namedByConvention(Change change) {
        if (change instanceof AddForeignKeyConstraintChange fk) {
            fk.setConstraintName("fk_" + fk.getBaseTableName() + "__" + columns(fk.getBaseColumnNames()));
        } else if (change instanceof AddUniqueConstraintChange unique) {
            unique.setConstraintName("uq_" + unique.getTableName() + "__" + columns(unique.getColumnNames()));
        } else if (change instanceof AddPrimaryKeyChange pk) {
            pk.setConstraintName("pk_" + pk.getTableName());
        } else if (change instanceof CreateTableChange table) {
            for (ColumnConfig column : table.getColumns()) {
                if (column.getConstraints() != null && Boolean.TRUE.equals(column.getConstraints().isPrimaryKey())) {
                    column.getConstraints().setPrimaryKeyName("pk_" + table.getTableName());
                }
            }
        }
        return change;
    }

    private static String columns(String commaSeparated) {
        return commaSeparated.replace(" ", "").replace(",", "_");
    }

    /** AddUserPhone -> add_user_phone. */
    static String snakeCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
