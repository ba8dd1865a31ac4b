package dev.keel.schema.rebase;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The master changelog read line by line, so that a merge's result reads too: conflict markers are dropped with the
 * common ancestor's lines, keeping both sides, and an include that a line-wise merge left with two {@code file:} keys
 * becomes two includes. Other entries (includeAll, property, an inline changeSet) keep their text and position.
 * Includes are written one per line, {@code - include: {file: ..., relativeToChangelogFile: true}}, which git's
 * {@code merge=union} keeps valid.
 */
record MasterChangelog(List<String> header, List<Entry> entries) {

    private static final Pattern ENTRY = Pattern.compile("^(\\s*)-\\s+(\\S.*)$");
    private static final Pattern INCLUDE = Pattern.compile("^include:\\s*(\\{.*})?\\s*$");
    private static final Pattern ATTRIBUTE = Pattern.compile("^\\s*([A-Za-z]+):\\s*(.*?)\\s*$");

    /** An entry: an include of {@code file} with its other attributes, or verbatim text ({@code file} null). */
    record Entry(String file, Map<String, String> attributes, List<String> text) {

        boolean relative() {
            return "true".equalsIgnoreCase(attributes.get("relativeToChangelogFile"));
        }

        Entry withFile(String newFile) {
            return new Entry(newFile, attributes, text);
        }

        String render() {
            if (file == null) {
                return String.join("\n", text) + "\n";
            }
            StringBuilder line = new StringBuilder("  - include: {file: ").append(file);
            attributes.forEach((key, value) -> line.append(", ").append(key).append(": ").append(value));
            return line.append("}\n").toString();
        }
    }

    static boolean conflicted(String text) {
        return text.lines().anyMatch(MasterChangelog::marker);
    }

    static boolean marker(String line) {
        return line.startsWith("<<<<<<<") || line.startsWith("=======") || line.startsWith(">>>>>>>") || line.startsWith("|||||||");
    }

    static MasterChangelog parse(String text) {
        List<String> lines = new ArrayList<>();
        boolean base = false;
        for (String line : text.lines().toList()) {
            if (line.startsWith("|||||||")) {
                base = true;
            } else if (line.startsWith("=======")) {
                base = false;
            } else if (!marker(line) && !base) {
                lines.add(line);
            }
        }
        List<String> header = new ArrayList<>();
        int i = 0;
        while (i < lines.size() && !lines.get(i).startsWith("databaseChangeLog:")) {
            header.add(lines.get(i++));
        }
        if (i == lines.size()) {
            throw new IllegalStateException("no 'databaseChangeLog:' line");
        }
        i++;
        List<List<String>> blocks = new ArrayList<>();
        String indent = null;
        for (; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher entry = ENTRY.matcher(line);
            if (entry.matches() && (indent == null || entry.group(1).length() <= indent.length())) {
                indent = entry.group(1);
                blocks.add(new ArrayList<>(List.of(line)));
            } else if (!blocks.isEmpty()) {
                blocks.get(blocks.size() - 1).add(line);
            } else if (!line.isBlank()) {
                header.add(line);
            }
        }
        List<Entry> entries = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (List<String> block : blocks) {
            for (Entry entry : entries(block)) {
                if (entry.file() == null || seen.add(entry.file())) {
                    entries.add(entry);
                }
            }
        }
        return new MasterChangelog(header, entries);
    }

    private static List<Entry> entries(List<String> block) {
        Matcher first = ENTRY.matcher(block.get(0));
        first.matches();
        Matcher include = INCLUDE.matcher(first.group(2));
        if (!include.matches()) {
            return List.of(new Entry(null, Map.of(), trimmed(block)));
        }
        List<String> files = new ArrayList<>();
        Map<String, String> attributes = new LinkedHashMap<>();
        List<String> parts = new ArrayList<>();
        if (include.group(1) != null) {
            String inner = include.group(1);
            parts.addAll(List.of(inner.substring(1, inner.length() - 1).split(",")));
        }
        parts.addAll(block.subList(1, block.size()));
        for (String part : parts) {
            Matcher attribute = ATTRIBUTE.matcher(part);
            if (!attribute.matches()) {
                if (part.isBlank() || part.strip().startsWith("#")) {
                    continue;
                }
                return List.of(new Entry(null, Map.of(), trimmed(block)));
            }
            String value = unquoted(attribute.group(2));
            if (attribute.group(1).equals("file")) {
                files.add(value);
            } else {
                attributes.put(attribute.group(1), value);
            }
        }
        if (files.isEmpty()) {
            return List.of(new Entry(null, Map.of(), trimmed(block)));
        }
        return files.stream().map(file -> new Entry(file, attributes, List.of())).toList();
    }

    private static List<String> trimmed(List<String> block) {
        List<String> text = new ArrayList<>(block);
        while (!text.isEmpty() && text.get(text.size() - 1).isBlank()) {
            text.remove(text.size() - 1);
        }
        return text;
    }

    private static String unquoted(String value) {
        return value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))
                ? value.substring(1, value.length() - 1) : value;
    }

    String render() {
        StringBuilder text = new StringBuilder();
        header.forEach(line -> text.append(line).append('\n'));
        text.append("databaseChangeLog:\n");
        entries.forEach(entry -> text.append(entry.render()));
        return text.toString();
    }
}
