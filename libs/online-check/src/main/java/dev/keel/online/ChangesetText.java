package dev.keel.online;

import dev.keel.db.liquibase.ChangelogFormat;
import dev.keel.testdb.ChangelogChecksums;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import liquibase.changelog.ChangeSet;

/**
 * Writes the safe rewrites' changesets in the format of the file whose changeset they replace, so that a team on
 * XML or formatted SQL pastes them as they are. Where a format has no comment a paste can keep (JSON) or where a
 * comment would join the previous changeset's SQL (formatted SQL), the advice goes into the changeset's comment,
 * which is not part of its checksum.
 */
final class ChangesetText {

    /**
     * One changeset of a rewrite.
     *
     * @param rollback its rollback statements; empty for Liquibase's {@code empty} rollback, null to write none
     */
    record Step(String id, boolean inTransaction, String comment, List<String> sqls, List<String> rollback) {
    }

    /**
     * What selects the changeset a rewrite replaces, which each of the rewrite's changesets keeps: its own context
     * expression, labels and dbms (null where it has none); and whether it has preconditions, which a rewrite does not
     * repeat but names.
     */
    record Carried(String context, String labels, String dbms, boolean preconditions) {

        static final Carried NONE = new Carried(null, null, null, false);

        static Carried of(ChangeSet changeSet) {
            return new Carried(ChangelogChecksums.context(changeSet), ChangelogChecksums.labels(changeSet), ChangelogChecksums.dbms(changeSet),
                    changeSet.getPreconditions() != null && !changeSet.getPreconditions().getNestedPreconditions().isEmpty());
        }

        /** Each attribute the changeset has, by its name in every format, in the order written. */
        java.util.Map<String, String> attributes() {
            java.util.Map<String, String> attributes = new java.util.LinkedHashMap<>();
            if (context != null) {
                attributes.put("context", context);
            }
            if (labels != null) {
                attributes.put("labels", labels);
            }
            if (dbms != null) {
                attributes.put("dbms", dbms);
            }
            return attributes;
        }

        /** The advice a rewrite of such a changeset begins with, or null. */
        String advice() {
            return preconditions ? "Copy the replaced changeset's preConditions into the first changeset below: they are not repeated here." : null;
        }
    }

    /** A YAML scalar left unquoted: not a number, boolean or null to YAML, and without characters YAML reads apart. */
    private static final Pattern PLAIN_YAML = Pattern.compile("(?!(?i:true|false|yes|no|on|off|y|n|null)$)(?:[A-Za-z_][A-Za-z0-9_ .@/-]*[A-Za-z0-9_]|[A-Za-z_])");

    private ChangesetText() {
    }

    /** The changesets, with {@code advice} (or null) as a comment before them. */
    static String changeSets(ChangelogFormat format, String author, String advice, List<Step> steps) {
        return changeSets(format, author, Carried.NONE, advice, steps);
    }

    /** The changesets, each with what {@code carried} keeps, and {@code advice} (or null) as a comment before them. */
    static String changeSets(ChangelogFormat format, String author, Carried carried, String advice, List<Step> steps) {
        if (carried.advice() != null) {
            advice = advice == null ? carried.advice() : carried.advice() + "\n" + advice;
        }
        List<Step> written = new ArrayList<>(steps);
        if (advice != null && (format == ChangelogFormat.JSON || format == ChangelogFormat.SQL)) {
            Step first = written.get(0);
            String comment = advice.strip().replaceAll("\\s*\n\\s*", " ") + (first.comment() == null ? "" : " " + first.comment());
            written.set(0, new Step(first.id(), first.inTransaction(), comment, first.sqls(), first.rollback()));
        }
        String text = switch (format) {
            case YAML -> written.stream().map(step -> yaml(author, carried, step)).collect(Collectors.joining());
            case XML -> written.stream().map(step -> xml(author, carried, step)).collect(Collectors.joining());
            case JSON -> written.stream().map(step -> json(author, carried, step)).collect(Collectors.joining(",\n", "", "\n"));
            case SQL -> written.stream().map(step -> sql(author, carried, step)).collect(Collectors.joining("\n"));
        };
        boolean commentBefore = advice != null && (format == ChangelogFormat.YAML || format == ChangelogFormat.XML);
        return commentBefore ? note(format, advice) + text : text;
    }

    /** Advice that is not a changeset, as the format's comment. */
    static String note(ChangelogFormat format, String text) {
        List<String> lines = text.strip().lines().toList();
        return switch (format) {
            case YAML -> lines.stream().map(line -> "# " + line + "\n").collect(Collectors.joining());
            case SQL -> lines.stream().map(line -> "-- " + line + "\n").collect(Collectors.joining());
            case XML -> "<!-- " + String.join("\n     ", lines).replaceAll("-(?=-)", "- ") + " -->\n";
            case JSON -> String.join("\n", lines) + "\n";
        };
    }

    /** A column as the format declares it in a table's definition. */
    static String column(ChangelogFormat format, String name, String type) {
        return switch (format) {
            case YAML -> "- column: {name: " + yamlScalar(name) + ", type: " + yamlScalar(type) + "}\n";
            case XML -> "<column name=\"" + xmlEscape(name) + "\" type=\"" + xmlEscape(type) + "\"/>\n";
            case JSON -> "{\"column\": {\"name\": " + jsonString(name) + ", \"type\": " + jsonString(type) + "}}\n";
            case SQL -> name + " " + type + "\n";
        };
    }

    /** One sql change, as a fragment of a changeset's changes (formatted SQL: the statement itself). */
    static String change(ChangelogFormat format, String sql) {
        return switch (format) {
            case YAML -> "- sql:\n    sql: " + yamlScalar(sql) + "\n";
            case XML -> "<sql>" + xmlText(sql) + "</sql>\n";
            case JSON -> "{\"sql\": {\"sql\": " + jsonString(sql) + "}}\n";
            case SQL -> sql + ";\n";
        };
    }

    private static String yaml(String author, Carried carried, Step step) {
        StringBuilder yaml = new StringBuilder("- changeSet:\n    id: " + yamlScalar(step.id()) + "\n    author: " + yamlScalar(author) + "\n");
        carried.attributes().forEach((name, value) -> yaml.append("    ").append(name).append(": ").append(jsonString(value)).append('\n'));
        if (step.comment() != null) {
            yaml.append("    comment: ").append(jsonString(step.comment())).append('\n');
        }
        if (!step.inTransaction()) {
            yaml.append("    runInTransaction: false\n");
        }
        yaml.append("    changes:\n");
        step.sqls().forEach(sql -> yaml.append(yamlSql(sql)));
        if (step.rollback() != null) {
            yaml.append("    rollback:\n");
            if (step.rollback().isEmpty()) {
                yaml.append("      - empty: {}\n");
            }
            step.rollback().forEach(sql -> yaml.append(yamlSql(sql)));
        }
        return yaml.toString();
    }

    private static String yamlSql(String sql) {
        StringBuilder yaml = new StringBuilder("      - sql:\n");
        if (sql.contains("$$")) {
            yaml.append("          splitStatements: false\n");
        }
        yaml.append("          sql: |\n");
        sql.lines().forEach(line -> yaml.append("            ").append(line).append('\n'));
        return yaml.toString();
    }

    private static String xml(String author, Carried carried, Step step) {
        StringBuilder xml = new StringBuilder("<changeSet id=\"" + xmlEscape(step.id()) + "\" author=\"" + xmlEscape(author) + "\""
                + carried.attributes().entrySet().stream().map(a -> " " + a.getKey() + "=\"" + xmlEscape(a.getValue()) + "\"").collect(Collectors.joining())
                + (step.inTransaction() ? "" : " runInTransaction=\"false\"") + ">\n");
        if (step.comment() != null) {
            xml.append("    <comment>").append(xmlText(step.comment())).append("</comment>\n");
        }
        step.sqls().forEach(sql -> xml.append(xmlSql(sql, "    ")));
        if (step.rollback() != null) {
            xml.append("    <rollback>\n");
            if (step.rollback().isEmpty()) {
                xml.append("        <empty/>\n");
            }
            step.rollback().forEach(sql -> xml.append(xmlSql(sql, "        ")));
            xml.append("    </rollback>\n");
        }
        return xml.append("</changeSet>\n").toString();
    }

    private static String xmlSql(String sql, String indent) {
        String open = indent + "<sql" + (sql.contains("$$") ? " splitStatements=\"false\"" : "") + ">";
        if (!sql.contains("\n")) {
            return open + xmlText(sql) + "</sql>\n";
        }
        // Not indented: a line break inside a string literal is part of it.
        return open + "\n" + xmlText(sql) + "\n" + indent + "</sql>\n";
    }

    private static String json(String author, Carried carried, Step step) {
        StringBuilder json = new StringBuilder("{\n  \"changeSet\": {\n    \"id\": " + jsonString(step.id()) + ",\n    \"author\": " + jsonString(author));
        carried.attributes().forEach((name, value) -> json.append(",\n    \"").append(name).append("\": ").append(jsonString(value)));
        if (step.comment() != null) {
            json.append(",\n    \"comment\": ").append(jsonString(step.comment()));
        }
        if (!step.inTransaction()) {
            json.append(",\n    \"runInTransaction\": false");
        }
        json.append(",\n    \"changes\": [\n").append(step.sqls().stream().map(ChangesetText::jsonSql).collect(Collectors.joining(",\n"))).append("\n    ]");
        if (step.rollback() != null) {
            json.append(",\n    \"rollback\": [\n")
                    .append(step.rollback().isEmpty() ? "      {\"empty\": {}}" : step.rollback().stream().map(ChangesetText::jsonSql).collect(Collectors.joining(",\n")))
                    .append("\n    ]");
        }
        return json.append("\n  }\n}").toString();
    }

    private static String jsonSql(String sql) {
        return "      {\"sql\": {" + (sql.contains("$$") ? "\"splitStatements\": false, " : "") + "\"sql\": " + jsonString(sql) + "}}";
    }

    /**
     * Formatted SQL splits a changeset's SQL at each {@code ;}, also inside a {@code $$} block: a changeset with such a
     * block is not split, or, with other statements beside it, is split at lines holding only {@code /}.
     */
    private static String sql(String author, Carried carried, Step step) {
        StringBuilder sql = new StringBuilder("--changeset " + (author.contains(":") ? "\"" + author + "\"" : author) + ":"
                + (step.id().matches(".*\\s.*") ? "\"" + step.id() + "\"" : step.id()));
        // Quoted where it has a blank, which would end it.
        carried.attributes().forEach((name, value) -> sql.append(' ').append(name).append(':').append(value.matches(".*\\s.*") ? "\"" + value + "\"" : value));
        if (!step.inTransaction()) {
            sql.append(" runInTransaction:false");
        }
        boolean dollars = dollars(step.sqls());
        // Liquibase reads splitStatements: inside rollbackSplitStatements: too, so a rollback is split at "/" lines instead.
        boolean rollbackDollars = step.rollback() != null && dollars(step.rollback());
        if (dollars) {
            sql.append(step.sqls().size() == 1 ? " splitStatements:false" : " endDelimiter:/");
        }
        if (rollbackDollars) {
            sql.append(" rollbackEndDelimiter:/");
        }
        sql.append('\n');
        if (step.comment() != null) {
            sql.append("--comment: ").append(step.comment().replace('\n', ' ')).append('\n');
        }
        sql.append(dollars && step.sqls().size() == 1 ? step.sqls().get(0).strip() + "\n" : statements(step.sqls(), dollars));
        if (step.rollback() != null) {
            String rollback = step.rollback().isEmpty() ? "empty\n" : statements(step.rollback(), rollbackDollars);
            rollback.lines().forEach(line -> sql.append("--rollback ").append(line).append('\n'));
        }
        return sql.toString();
    }

    private static boolean dollars(List<String> statements) {
        return statements.stream().anyMatch(statement -> statement.contains("$$"));
    }

    private static String statements(List<String> statements, boolean slashes) {
        return statements.stream().map(statement -> statement.strip().replaceAll(";$", "") + (slashes ? "\n/\n" : ";\n")).collect(Collectors.joining());
    }

    private static String yamlScalar(String value) {
        return PLAIN_YAML.matcher(value).matches() ? value : jsonString(value);
    }

    /** A JSON string, which is also a YAML double-quoted scalar. */
    private static String jsonString(String value) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }

    private static String xmlText(String text) {
        return text.contains("<") || text.contains("&") || text.contains("]]>") ? "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>" : text;
    }

    private static String xmlEscape(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
