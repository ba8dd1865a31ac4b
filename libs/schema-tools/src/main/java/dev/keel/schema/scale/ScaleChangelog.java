package dev.keel.schema.scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Writes a changelog of many small changesets that follow Keel's conventions, for measuring the checks at a
 * real project's size. They come in groups of five on one new table: createTable, addColumn (a nullable
 * foreign-key column), createIndex on it, addForeignKeyConstraint to the previous group's table, and a named
 * length CHECK as raw SQL with an explicit rollback. A changeset at a position in {@code residue} is replaced by
 * one that creates a table its rollback leaves behind, so a check can be shown to name it. With
 * {@code checksWithoutRollback} the CHECK changesets have no rollback, as released history often has not.
 */
public final class ScaleChangelog {

    /** The generated file's name, placed beside the master changelog's other changes. */
    public static final String FILE = "changes/99999999999999_scale.yaml";

    private ScaleChangelog() {
    }

    /** Writes {@code count} changesets to {@code file}; positions in {@code residue} count from 1. */
    public static void write(Path file, int count, Set<Integer> residue) throws IOException {
        write(file, count, residue, false);
    }

    /** As above; with {@code checksWithoutRollback}, one changeset in five has no rollback. */
    public static void write(Path file, int count, Set<Integer> residue, boolean checksWithoutRollback) throws IOException {
        StringBuilder yaml = new StringBuilder("databaseChangeLog:\n");
        for (int position = 1; position <= count; position++) {
            int group = (position - 1) / 5;
            String table = "scale_" + group;
            String id = "scale_%05d".formatted(position);
            String change = residue.contains(position) ? residue(id) : switch ((position - 1) % 5) {
                case 0 -> """
                        - createTable:
                            tableName: %1$s
                            columns:
                              - column: {name: id, type: bigint, autoIncrement: true, constraints: {primaryKey: true, primaryKeyName: pk_%1$s}}
                              - column: {name: name, type: text, constraints: {nullable: false}}
                              - column: {name: created_at, type: timestamptz, defaultValueComputed: now(), constraints: {nullable: false}}
                        """.formatted(table);
                case 1 -> """
                        - addColumn:
                            tableName: %s
                            columns:
                              - column: {name: parent_id, type: bigint}
                        """.formatted(table);
                case 2 -> """
                        - createIndex:
                            tableName: %1$s
                            indexName: ix_%1$s__parent_id
                            columns:
                              - column: {name: parent_id}
                        """.formatted(table);
                case 3 -> """
                        - addForeignKeyConstraint:
                            baseTableName: %1$s
                            baseColumnNames: parent_id
                            constraintName: fk_%1$s__parent_id
                            referencedTableName: %2$s
                            referencedColumnNames: id
                        """.formatted(table, group == 0 ? table : "scale_" + (group - 1));
                default -> checksWithoutRollback ? """
                        - sql: {sql: "ALTER TABLE %1$s ADD CONSTRAINT ck_%1$s__name_length CHECK (char_length(name) BETWEEN 1 AND 200)"}
                        """.formatted(table) : """
                        - sql: {sql: "ALTER TABLE %1$s ADD CONSTRAINT ck_%1$s__name_length CHECK (char_length(name) BETWEEN 1 AND 200)"}
                        rollback:
                          - sql: {sql: "ALTER TABLE %1$s DROP CONSTRAINT ck_%1$s__name_length"}
                        """.formatted(table);
            };
            yaml.append("  - changeSet:\n")
                    .append("      id: ").append(id).append('\n')
                    .append("      author: keel-scale\n")
                    .append("      changes:\n")
                    .append(change.indent(8).replace("        rollback:", "      rollback:"));
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
    }

    private static String residue(String id) {
        return """
                - sql: {sql: "CREATE TABLE residue_%1$s (id bigint)"}
                rollback:
                  - sql: {sql: "SELECT 1"}
                """.formatted(id);
    }

    /** Adds an include of {@link #FILE} at the end of a YAML or XML master changelog. */
    public static void include(Path master) throws IOException {
        String text = Files.readString(master);
        String name = master.getFileName().toString();
        if (name.endsWith(".xml")) {
            int end = text.lastIndexOf("</databaseChangeLog>");
            text = text.substring(0, end) + "    <include file=\"" + FILE + "\" relativeToChangelogFile=\"true\"/>\n" + text.substring(end);
        } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            text = text.stripTrailing() + "\n  - include:\n      file: " + FILE + "\n      relativeToChangelogFile: true\n";
        } else {
            throw new IllegalArgumentException(master + ": only a YAML or XML master changelog can take the generated include");
        }
        Files.writeString(master, text);
    }
}
