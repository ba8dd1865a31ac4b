package dev.keel.schema.review;

import dev.keel.online.Finding;
import dev.keel.online.OnlineCheck;
import dev.keel.schema.AtomicFiles;
import dev.keel.schema.Git;
import dev.keel.schema.Project;
import dev.keel.schema.released.MainLine;
import dev.keel.schema.released.ReleasedChangesets;
import dev.keel.testdb.TestPostgres;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;

/**
 * {@code mvn keel:review}: a review of the branch's changesets that are not released yet, for a pull request. For
 * each changeset: the SQL it runs, as Liquibase's updateSQL renders it on a database at the main line's state; the
 * online check's findings with their safe rewrites; and once, the {@code db/schema.sql} diff against the main line. It
 * writes {@code target/keel-review/review.md} (for {@code $GITHUB_STEP_SUMMARY} or a comment) and {@code review.json},
 * and prints a GitHub workflow annotation ({@code ::error file=…,line=…::}) on each error's changeset.
 */
public final class Review {

    public static final String COMMAND = "mvn keel:review";

    private Review() {
    }

    /** One changeset under review. */
    public record Changeset(String name, String file, int line, String sql, List<Finding> findings) {
    }

    /** The whole review. */
    public record Report(List<Changeset> changesets, String schemaDiff, List<String> problems) {
    }

    public static void run() throws Exception {
        Project project = Project.current();
        Report report = review(project);
        Path folder = write(project, report);
        System.out.print(annotations(report));
        System.out.println("Wrote " + project.relative(folder.resolve("review.md")) + " and " + project.relative(folder.resolve("review.json"))
                + " (" + report.changesets().size() + " changeset(s) not released yet)");
    }

    /** Writes the three files to {@code target/keel-review} at the project's root; returns that folder. */
    static Path write(Project project, Report report) throws IOException {
        Path folder = project.root().resolve("target/keel-review");
        Files.createDirectories(folder);
        AtomicFiles.write(folder.resolve("review.md"), markdown(report));
        AtomicFiles.write(folder.resolve("review.json"), json(report));
        AtomicFiles.write(folder.resolve("annotations.txt"), annotations(report));
        return folder;
    }

    public static Report review(Project project) throws Exception {
        ReleasedChangesets.State state = ReleasedChangesets.read(project);
        List<String> unreleased = state.current().keySet().stream().filter(changeset -> !state.released(changeset)).toList();
        Map<String, String> sql = updateSql(project, state);
        OnlineCheck.Report online = OnlineCheck.trace(project.resources(), Project.MASTER, state::released, line -> { });
        List<Changeset> changesets = new ArrayList<>();
        for (String changeset : unreleased) {
            String file = changeset.substring(0, changeset.indexOf("::"));
            String id = changeset.split("::")[1];
            // The online check names a changeset file::id.
            changesets.add(new Changeset(changeset, project.relative(project.resources().resolve(file)), line(project.resources().resolve(file), id),
                    sql.getOrDefault(changeset, ""), online.findings().stream().filter(finding -> finding.changeSet().equals(file + "::" + id)).toList()));
        }
        Git.Result diff = state.mainLine() == null ? new Git.Result(1, "")
                : Git.run(project.root(), "diff", "--no-color", MainLine.base(project), "--", project.relative(project.snapshot()));
        return new Report(changesets, diff.output(), online.problems());
    }

    /** The SQL of each unreleased changeset, from updateSQL on a database that has every changeset before the first of them. */
    static Map<String, String> updateSql(Project project, ReleasedChangesets.State state) throws Exception {
        List<String> order = new ArrayList<>(state.current().keySet());
        int prefix = 0;
        while (prefix < order.size() && state.released(order.get(prefix))) {
            prefix++;
        }
        String database = TestPostgres.createEmptyDatabase();
        StringWriter output = new StringWriter();
        try (Connection connection = TestPostgres.migrationConnection(database);
             Liquibase liquibase = new Liquibase(Project.MASTER, new DirectoryResourceAccessor(project.resources()), new JdbcConnection(connection))) {
            if (prefix > 0) {
                liquibase.update(prefix, new Contexts(), new LabelExpression());
            }
            liquibase.update(new Contexts(), new LabelExpression(), output);
        } finally {
            TestPostgres.drop(database);
        }
        Map<String, String> sql = new LinkedHashMap<>();
        String current = null;
        StringBuilder block = new StringBuilder();
        for (String line : output.toString().lines().toList()) {
            if (line.startsWith("-- Changeset ")) {
                if (current != null) {
                    sql.put(current, block.toString().strip());
                }
                current = line.substring("-- Changeset ".length()).strip();
                block.setLength(0);
            } else if (current != null && !line.contains("DATABASECHANGELOG") && !line.contains("databasechangelog")) {
                block.append(line).append('\n');
            }
        }
        if (current != null) {
            sql.put(current, block.toString().strip());
        }
        return sql;
    }

    /** The line of a changeset's id in its file (YAML, JSON, XML or formatted SQL); 1 when it cannot be found. */
    static int line(Path file, String id) throws IOException {
        Pattern declaration = Pattern.compile(".*(\\bid[\"']?\\s*[:=]\\s*[\"']?" + Pattern.quote(id) + "[\"']?\\s*[,}>/]?\\s*$|--changeset\\s+[^:\\s]+:"
                + Pattern.quote(id) + "\\b|\\bid=[\"']" + Pattern.quote(id) + "[\"']).*");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (declaration.matcher(lines.get(i)).matches()) {
                return i + 1;
            }
        }
        return 1;
    }

    public static String markdown(Report report) {
        StringBuilder md = new StringBuilder("# Schema review\n\n");
        long errors = report.changesets().stream().flatMap(c -> c.findings().stream()).filter(Finding::isError).count();
        md.append(report.changesets().size()).append(" changeset(s) not released yet; the online check found ").append(errors).append(" error(s).\n");
        for (Changeset changeset : report.changesets()) {
            md.append("\n## `").append(changeset.name()).append("`\n\n")
                    .append("`").append(changeset.file()).append("` line ").append(changeset.line()).append("\n\n");
            if (changeset.findings().isEmpty()) {
                md.append("**Online check:** safe.\n");
            }
            for (Finding finding : changeset.findings()) {
                md.append("**Online check: ").append(finding.isError() ? "ERROR" : "WARNING").append(" `").append(finding.ruleId()).append("`** ")
                        .append(finding.reason()).append("\n\n")
                        .append("Statement:\n\n```sql\n").append(finding.statement().strip()).append("\n```\n\n")
                        .append("Safe rewrite:\n\n```\n").append(finding.rewrite().strip()).append("\n```\n\n");
            }
            md.append("\nSQL (`updateSQL`):\n\n```sql\n").append(changeset.sql()).append("\n```\n");
        }
        report.problems().forEach(problem -> md.append("\n**Problem:** ").append(problem).append('\n'));
        md.append("\n## `db/schema.sql` against the main line\n\n");
        md.append(report.schemaDiff().isBlank() ? "No change.\n" : "```diff\n" + report.schemaDiff().strip() + "\n```\n");
        return md.toString();
    }

    /** One {@code ::error} (or {@code ::warning}) line per finding, on its changeset's file and line. */
    public static String annotations(Report report) {
        StringBuilder lines = new StringBuilder();
        for (Changeset changeset : report.changesets()) {
            for (Finding finding : changeset.findings()) {
                lines.append("::").append(finding.isError() ? "error" : "warning").append(" file=").append(property(changeset.file()))
                        .append(",line=").append(changeset.line()).append(",title=").append(property(finding.ruleId())).append("::")
                        .append(data(changeset.name() + ": " + finding.reason() + "\nSafe rewrite:\n" + finding.rewrite().strip())).append('\n');
            }
        }
        return lines.toString();
    }

    public static String json(Report report) {
        StringBuilder json = new StringBuilder("{\n  \"changesets\": [");
        for (int i = 0; i < report.changesets().size(); i++) {
            Changeset changeset = report.changesets().get(i);
            json.append(i == 0 ? "\n" : ",\n").append("    {\"changeset\": ").append(string(changeset.name()))
                    .append(", \"file\": ").append(string(changeset.file())).append(", \"line\": ").append(changeset.line())
                    .append(", \"sql\": ").append(string(changeset.sql())).append(", \"findings\": [");
            for (int j = 0; j < changeset.findings().size(); j++) {
                Finding finding = changeset.findings().get(j);
                json.append(j == 0 ? "" : ", ").append("{\"rule\": ").append(string(finding.ruleId()))
                        .append(", \"severity\": ").append(string(finding.isError() ? "error" : "warning"))
                        .append(", \"reason\": ").append(string(finding.reason()))
                        .append(", \"statement\": ").append(string(finding.statement().strip()))
                        .append(", \"rewrite\": ").append(string(finding.rewrite().strip())).append('}');
            }
            json.append("]}");
        }
        json.append(report.changesets().isEmpty() ? "],\n" : "\n  ],\n");
        json.append("  \"problems\": [");
        for (int i = 0; i < report.problems().size(); i++) {
            json.append(i == 0 ? "" : ", ").append(string(report.problems().get(i)));
        }
        json.append("],\n  \"schemaDiff\": ").append(string(report.schemaDiff())).append("\n}\n");
        return json.toString();
    }

    private static String string(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }

    private static String data(String text) {
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static String property(String text) {
        return data(text).replace(":", "%3A").replace(",", "%2C");
    }
}
