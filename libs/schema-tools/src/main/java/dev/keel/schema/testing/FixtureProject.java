package dev.keel.schema.testing;

import dev.keel.schema.Project;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Keel repository of its own in a temporary folder: a master changelog with two small changesets, so the
 * guards' tests never depend on the sample domain or on the state of the working tree.
 */
public final class FixtureProject {

    public static final String FIRST = "db/changelog/changes/001_create_fixture_parents.yaml::001_create_fixture_parents::test";
    public static final String SECOND = "db/changelog/changes/002_create_fixture_children.yaml::002_create_fixture_children::test";
    public static final String THIRD = "db/changelog/changes/003_add_fixture_parents_code.yaml::003_add_fixture_parents_code::test";

    private FixtureProject() {
    }

    public static Project create(Path root) {
        Project project = new Project(root);
        write(project, "db/changelog/db.changelog-master.yaml", """
                databaseChangeLog:
                  - include:
                      file: changes/001_create_fixture_parents.yaml
                      relativeToChangelogFile: true
                  - include:
                      file: changes/002_create_fixture_children.yaml
                      relativeToChangelogFile: true
                """);
        write(project, "db/changelog/changes/001_create_fixture_parents.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 001_create_fixture_parents
                      author: test
                      changes:
                        - createTable:
                            tableName: fixture_parents
                            columns:
                              - column: {name: id, type: bigint, autoIncrement: true, constraints: {primaryKey: true, primaryKeyName: pk_fixture_parents}}
                              - column: {name: name, type: text, constraints: {nullable: false}}
                        - sql:
                            sql: ALTER TABLE fixture_parents ADD CONSTRAINT ck_fixture_parents__name_length CHECK (char_length(name) <= 100)
                      rollback:
                        - dropTable: {tableName: fixture_parents}
                """);
        write(project, "db/changelog/changes/002_create_fixture_children.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 002_create_fixture_children
                      author: test
                      changes:
                        - createTable:
                            tableName: fixture_children
                            columns:
                              - column: {name: id, type: bigint, autoIncrement: true, constraints: {primaryKey: true, primaryKeyName: pk_fixture_children}}
                              - column: {name: parent_id, type: bigint, constraints: {nullable: false, foreignKeyName: fk_fixture_children__parent_id, references: fixture_parents(id)}}
                """);
        return project;
    }

    /** Adds and includes a third changeset, which adds a column {@code code} of the given type; returns its file. */
    public static Path addThird(Project project, String type) {
        Path third = write(project, "db/changelog/changes/003_add_fixture_parents_code.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 003_add_fixture_parents_code
                      author: test
                      changes:
                        - addColumn: {tableName: fixture_parents, columns: [{column: {name: code, type: %s}}]}
                """.formatted(type));
        include(project, "003_add_fixture_parents_code.yaml");
        return third;
    }

    /** Writes a file below the project's Liquibase search path. */
    public static Path write(Project project, String resource, String text) {
        try {
            Path file = project.resources().resolve(resource);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends an include of {@code changes/<file>} to the master changelog. */
    public static void include(Project project, String file) {
        try {
            Files.writeString(project.master(), Files.readString(project.master())
                    + "  - include:\n      file: changes/" + file + "\n      relativeToChangelogFile: true\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new database with this project's changelog applied; returns its name. */
    public static String migratedDatabase(Project project) {
        String database = dev.keel.testdb.TestPostgres.createEmptyDatabase();
        try {
            dev.keel.testdb.TestPostgres.migrate(database, new liquibase.resource.DirectoryResourceAccessor(project.resources()));
        } catch (java.io.FileNotFoundException e) {
            throw new UncheckedIOException(e);
        }
        return database;
    }

    /** Runs git in the project's root, as a test's own repository; its output, and fails the test when git fails. */
    public static String git(Project project, String... arguments) {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("git", "-c", "user.email=test@example.com", "-c", "user.name=test"));
        command.addAll(java.util.List.of(arguments));
        try {
            Process git = new ProcessBuilder(command).directory(project.root().toFile()).redirectErrorStream(true).start();
            String output = new String(git.getInputStream().readAllBytes());
            if (git.waitFor() != 0) {
                throw new IllegalStateException(command + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
