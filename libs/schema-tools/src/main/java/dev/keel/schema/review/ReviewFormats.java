package dev.keel.schema.review;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.keel.db.liquibase.ChangelogFormat;
import dev.keel.online.Finding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** The three forms of a {@link Review.Result}: Markdown for people, GitHub workflow annotations, JSON for other CI systems. */
final class ReviewFormats {

    /** The first line of the Markdown, by which CI finds its own comment on a pull request to update it. */
    static final String MARKER = "<!-- keel-review -->";

    private ReviewFormats() {
    }

    static String markdown(Review.Result result) {
        StringBuilder md = new StringBuilder(MARKER + "\n## Schema review\n\n");
        if (result.items().isEmpty()) {
            md.append("No changeset beyond the main line").append(base(result)).append(": nothing to review.\n");
        } else {
            long released = result.items().stream().filter(Review.Item::released).count();
            long added = result.items().size() - released;
            md.append(added == 0 ? "" : added + (added == 1 ? " changeset" : " changesets") + " not on the main line yet")
                    .append(added == 0 || released == 0 ? "" : ", and ")
                    .append(released == 0 ? "" : released + (released == 1 ? " released changeset" : " released changesets") + " this branch changes")
                    .append(base(result)).append(".\n\n| Changeset | Online check |\n|---|---|\n");
            for (int i = 0; i < result.items().size(); i++) {
                Review.Item item = result.items().get(i);
                md.append("| [`").append(item.changeSet()).append("`](#").append(anchor(heading(i, item))).append(") | ").append(verdict(item)).append(" |\n");
            }
            for (int i = 0; i < result.items().size(); i++) {
                Review.Item item = result.items().get(i);
                md.append("\n### ").append(heading(i, item)).append("\n\n`").append(item.file()).append("` line ").append(item.line())
                        .append(": **").append(verdict(item)).append("**\n");
                for (Finding finding : item.findings()) {
                    md.append("\n**").append(finding.isError() ? "ERROR" : "WARNING").append(" `").append(finding.ruleId()).append("`**: ")
                            .append(finding.reason()).append("\n\n- statement: `").append(oneLine(finding.statement()).replace("`", "'"))
                            .append("`\n- trace: ").append(finding.evidence()).append("\n\nSafe rewrite:\n\n```")
                            .append(ChangelogFormat.ofFile(item.file()).name().toLowerCase(Locale.ROOT)).append('\n')
                            .append(finding.rewrite().strip()).append("\n```\n");
                }
                for (Review.Suppressed allowed : item.suppressed()) {
                    Finding finding = allowed.finding();
                    md.append("\n**ALLOWED `").append(finding.ruleId()).append("`** — ").append(reason(allowed))
                            .append("\n\n- rule: ").append(finding.reason()).append(" (").append(finding.isError() ? "an error" : "a warning")
                            .append(" the changeset's comment allows with the reason above)\n- statement: `")
                            .append(oneLine(finding.statement()).replace("`", "'")).append("`\n- trace: ").append(finding.evidence()).append('\n');
                }
                for (String problem : item.problems()) {
                    md.append("\n**ERROR**: ").append(problem).append('\n');
                }
                if (item.notChecked() != null) {
                    md.append("\nNot checked: ").append(item.notChecked()).append(".\n");
                } else if (!item.sql().isBlank()) {
                    md.append("\nSQL, as `liquibase:updateSQL` renders it:\n\n```sql\n").append(item.sql()).append("\n```\n");
                } else if (item.problems().isEmpty()) {
                    md.append("\nNo SQL: `liquibase:updateSQL` renders none for this changeset on PostgreSQL.\n");
                }
            }
        }
        md.append("\n### `db/schema.sql` against the main line\n\n");
        md.append(result.snapshotDiff().isEmpty() ? "No change.\n" : "```diff\n" + result.snapshotDiff() + "```\n");
        result.notes().forEach(note -> md.append("\nNote: ").append(note).append('\n'));
        return md.toString();
    }

    /**
     * {@code ::error file=…,line=…,title=…::…} for each error, {@code ::warning} for each warning, {@code ::notice} for
     * each finding the changeset's comment allows, with its reason; on the changeset's line.
     */
    static String annotations(Review.Result result) {
        StringBuilder lines = new StringBuilder();
        for (Review.Item item : result.items()) {
            for (Finding finding : item.findings()) {
                lines.append(annotation(finding.isError() ? "error" : "warning", item, finding.ruleId(),
                        finding.reason() + " (" + oneLine(finding.statement()) + "). The review's summary and mvn keel:online-check give the safe rewrite."));
            }
            for (Review.Suppressed allowed : item.suppressed()) {
                lines.append(annotation("notice", item, allowed.finding().ruleId() + " (allowed)",
                        "allowed by the changeset's comment: " + reason(allowed) + " (" + oneLine(allowed.finding().statement()) + ")"));
            }
            for (String problem : item.problems()) {
                lines.append(annotation("error", item, "schema review", problem));
            }
        }
        return lines.toString();
    }

    static String json(Review.Result result) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("mainLineBase", result.base());
        List<Map<String, Object>> changeSets = new ArrayList<>();
        for (Review.Item item : result.items()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("changeSet", item.changeSet());
            entry.put("file", item.file());
            entry.put("line", item.line());
            entry.put("sql", item.sql());
            entry.put("released", item.released());
            List<Map<String, Object>> findings = new ArrayList<>();
            for (Finding finding : item.findings()) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("rule", finding.ruleId());
                one.put("severity", finding.isError() ? "error" : "warning");
                one.put("reason", finding.reason());
                one.put("statement", finding.statement());
                one.put("trace", finding.evidence());
                one.put("rewrite", finding.rewrite());
                findings.add(one);
            }
            entry.put("findings", findings);
            List<Map<String, Object>> suppressed = new ArrayList<>();
            for (Review.Suppressed allowed : item.suppressed()) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("rule", allowed.finding().ruleId());
                one.put("severity", allowed.finding().isError() ? "error" : "warning");
                one.put("reason", reason(allowed));
                one.put("statement", allowed.finding().statement());
                one.put("trace", allowed.finding().evidence());
                suppressed.add(one);
            }
            entry.put("suppressed", suppressed);
            entry.put("problems", item.problems());
            entry.put("notChecked", item.notChecked());
            changeSets.add(entry);
        }
        root.put("changeSets", changeSets);
        root.put("snapshotDiff", result.snapshotDiff());
        root.put("notes", result.notes());
        return JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    }

    static String unifiedDiff(String path, List<String> before, List<String> after) {
        if (before.equals(after)) {
            return "";
        }
        List<String> diff = UnifiedDiffUtils.generateUnifiedDiff("main line/" + path, "this branch/" + path, before,
                DiffUtils.diff(before, after), 3);
        return String.join("\n", diff) + "\n";
    }

    private static String annotation(String level, Review.Item item, String title, String message) {
        return "::" + level + " file=" + property(item.file()) + ",line=" + item.line() + ",title=" + property(title) + "::" + data(message) + "\n";
    }

    /** GitHub's escaping of a workflow command's message. */
    private static String data(String text) {
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    /** GitHub's escaping of a workflow command's property value. */
    private static String property(String text) {
        return data(text).replace(":", "%3A").replace(",", "%2C");
    }

    /** Online-safe only when the check found nothing, allowed or not: an allowed finding is the reviewer's to judge. */
    private static String verdict(Review.Item item) {
        long errors = item.findings().stream().filter(Finding::isError).count() + item.problems().size();
        long warnings = item.findings().size() - item.findings().stream().filter(Finding::isError).count();
        int allowed = item.suppressed().size();
        if (item.notChecked() != null && errors == 0) {
            return "not checked";
        }
        return errors == 0 && warnings == 0 && allowed == 0 ? "online-safe"
                : errors + " error(s), " + warnings + " warning(s)" + (allowed == 0 ? "" : ", " + allowed + " allowed");
    }

    /** The reason a changeset's comment gives for allowing a finding, on one line. */
    private static String reason(Review.Suppressed allowed) {
        return allowed.reason() == null ? "" : allowed.reason().strip().replaceAll("\\s+", " ");
    }

    /** Numbered, so that changesets of different files that share an id get headings of their own. */
    private static String heading(int index, Review.Item item) {
        return (index + 1) + ". " + Review.idOf(item.changeSet());
    }

    /** The anchor GitHub gives a heading: lower case, without punctuation, a hyphen for each blank. */
    static String anchor(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    private static String base(Review.Result result) {
        return result.base() == null ? "" : " (compared with " + result.base().substring(0, Math.min(12, result.base().length())) + ")";
    }

    private static String oneLine(String sql) {
        String line = sql.strip().replaceAll("\\s+", " ");
        return line.length() > 200 ? line.substring(0, 200) + " ..." : line;
    }
}
