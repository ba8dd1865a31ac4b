package dev.keel.schema.review;

import dev.keel.db.liquibase.UpdateSelection;
import dev.keel.online.Finding;
import dev.keel.online.OnlineCheck;
import dev.keel.schema.AtomicFiles;
import dev.keel.schema.Git;
import dev.keel.schema.Project;
import dev.keel.schema.released.MainLine;
import dev.keel.schema.released.ReleasedChangesets;
import dev.keel.testdb.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;

/**
 * {@code mvn keel:review}: what a reviewer of a schema pull request needs, for every changeset not on the main line yet:
 * the SQL it runs (as Liquibase's updateSQL renders it), the online check's verdict with the safe rewrite, and the
 * {@code db/schema.sql} diff against the main line. Written as Markdown, GitHub annotations and JSON under
 * {@code target/keel-review/}; the Markdown is printed too, and the annotations when run inside GitHub Actions.
 */
public final class Review {

    public static final String COMMAND = "mvn keel:review";
    static final String FOLDER = "target/keel-review";
    private static final Pattern CHANGESET_HEADER = Pattern.compile("(?m)^-- Changeset (.+?)\\s*$");

    /**
     * One changeset under review: where it is, the SQL it runs, and what the online check found, with the findings its
     * comment allows ({@code keel-allow <rule>: <reason>}) apart, for the reviewer to judge their reasons.
     * {@code notChecked} says why the online check could not trace it, or is null; {@code released} marks a released
     * changeset the branch edits or removes, whose problems say how.
     */
    record Item(String changeSet, String file, int line, String sql, List<Finding> findings, List<Suppressed> suppressed, List<String> problems,
                String notChecked, boolean released) {
    }

    /** A finding that the changeset's comment allows, and the reason it gives. */
    record Suppressed(Finding finding, String reason) {
    }

    /** The whole review. {@code base} is the main-line commit compared against, null outside git. */
    record Result(String base, List<Item> items, String snapshotDiff, List<String> notes) {
    }

    private Review() {
    }

    public static void run() throws Exception {
        Project project = Project.current();
        Result result = review(project, System.out::println);
        Path folder = write(project, result);
        System.out.print(ReviewFormats.markdown(result));
        if ("true".equals(System.getenv("GITHUB_ACTIONS"))) {
            System.out.print(ReviewFormats.annotations(result));
        }
        System.out.println("Review written to " + project.relative(folder) + "/ (review.md, annotations.txt, review.json)");
    }

    /** Reviews the project's changesets that the main line does not have yet. */
    static Result review(Project project, Consumer<String> progress) throws Exception {
        ReleasedChangesets.State state = ReleasedChangesets.read(project);
        List<String> pending = state.current().keySet().stream().filter(changeSet -> !state.releasedAsIs(changeSet)).toList();
        String base = MainLine.base(project);
        List<String> notes = new ArrayList<>();
        List<String> unaccepted = pending.stream().filter(changeSet -> !state.current().get(changeSet).equals(state.listed().get(changeSet))).toList();
        if (!unaccepted.isEmpty()) {
            notes.add(unaccepted.get(0) + (unaccepted.size() > 1 ? " and " + (unaccepted.size() - 1) + " more" : "") + " not accepted yet: "
                    + project.relative(project.snapshot()) + " and its diff above are as of the last accept; run " + Project.ACCEPT_COMMAND
                    + " and commit what it writes");
        }
        List<Item> items = new ArrayList<>();
        // Where each changeset is written, which a logicalFilePath hides from its name.
        Map<String, String> written = ReleasedChangesets.physicalFiles(project.resources());
        // A released changeset edited or removed on the branch is the riskiest change a pull request can carry.
        for (String problem : ReleasedChangesets.releasedProblems(state)) {
            // The problem starts with the changeset's name, which may hold blanks of its own.
            String changeSet = state.releasedList().keySet().stream().filter(key -> problem.startsWith(key + " "))
                    .max(java.util.Comparator.comparingInt(String::length)).orElseThrow();
            Path file = project.resources().resolve(written.getOrDefault(changeSet, changeSet.substring(0, changeSet.indexOf("::"))));
            items.add(new Item(changeSet, project.relative(file), lineOf(file, changeSet), "", List.of(), List.of(),
                    List.of(problem.substring(changeSet.length() + 1)), null, true));
        }
        state.releasedList().forEach((changeSet, checksum) -> {
            String now = state.current().get(changeSet);
            if (now != null && !now.equals(checksum) && state.rerunnable().contains(changeSet)) {
                notes.add(changeSet + " was released and has changed; it runs on change (or always), so the next update runs it again");
            }
        });
        if (pending.isEmpty()) {
            return new Result(base, items, snapshotDiff(project, base, notes), notes);
        }
        Map<String, String> sql = renderedSql(project);
        OnlineCheck.Report report = OnlineCheck.trace(project.resources(), Project.MASTER, state::releasedAsIs, progress);
        notes.addAll(report.notes());
        for (String changeSet : pending) {
            String resource = changeSet.substring(0, changeSet.indexOf("::"));
            // The check names a changeset file::id in its findings and problems, or file::id::author where two share file::id.
            String shortName = changeSet.substring(0, changeSet.lastIndexOf("::"));
            String named = Stream.concat(report.findings().stream(), report.suppressed().stream())
                    .anyMatch(finding -> finding.changeSet().equals(changeSet))
                    || report.problems().stream().anyMatch(problem -> problem.startsWith(changeSet + ": ")) ? changeSet : shortName;
            Path file = project.resources().resolve(written.getOrDefault(changeSet, resource));
            items.add(new Item(changeSet, project.relative(file), lineOf(file, changeSet), sql.getOrDefault(changeSet, ""),
                    report.findings().stream().filter(finding -> finding.changeSet().equals(named)).toList(),
                    report.suppressed().stream().filter(finding -> finding.changeSet().equals(named))
                            .map(finding -> new Suppressed(finding, report.reason(finding))).toList(),
                    report.problems().stream().filter(problem -> problem.startsWith(named + ": "))
                            .map(problem -> problem.substring(named.length() + 2)).toList(),
                    report.leftOut().contains(changeSet) ? UpdateSelection.fromSettings().describe() + " leaves it out of the update: it has no SQL"
                            + " here and was not traced (see the note below)" : null, false));
        }
        return new Result(base, items, snapshotDiff(project, base, notes), notes);
    }

    /** Writes review.md, annotations.txt and review.json under {@value #FOLDER}; returns that folder. */
    static Path write(Project project, Result result) throws IOException {
        Path folder = project.root().resolve(FOLDER);
        Files.createDirectories(folder);
        AtomicFiles.write(folder.resolve("review.md"), ReviewFormats.markdown(result));
        AtomicFiles.write(folder.resolve("annotations.txt"), ReviewFormats.annotations(result));
        AtomicFiles.write(folder.resolve("review.json"), ReviewFormats.json(result));
        return folder;
    }

    /** The SQL of every changeset, from updateSQL on an empty database, keyed by file::id::author. */
    private static Map<String, String> renderedSql(Project project) throws Exception {
        String database = TestPostgres.createEmptyDatabase();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Connection connection = TestPostgres.server().connect(database)) {
            Database target = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            DirectoryResourceAccessor accessor = new DirectoryResourceAccessor(project.resources());
            UpdateSelection selection = UpdateSelection.fromSettings();
            TestPostgres.quietly(() -> Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), accessor), () ->
                    new CommandScope("updateSql").addArgumentValue("database", target).addArgumentValue("changelogFile", Project.MASTER)
                            .addArgumentValue("contexts", selection.contexts()).addArgumentValue("labelFilter", selection.labels())
                            .setOutput(out).execute()));
        } finally {
            TestPostgres.drop(database);
        }
        return byChangeSet(out.toString(StandardCharsets.UTF_8));
    }

    /** A statement of Liquibase's own on its history and lock tables, after any comment lines it writes above it. */
    private static final Pattern BOOKKEEPING = Pattern.compile(
            "(?is)(\\s*--[^\\n]*\\n)*\\s*(INSERT\\s+INTO|UPDATE|DELETE\\s+FROM|CREATE\\s+TABLE|LOCK\\s+TABLE)\\s+(\\S+\\.)?\"?databasechangelog(lock)?\\b");

    /** updateSQL's output split at its {@code -- Changeset file::id::author} lines, keyed by those names. */
    static Map<String, String> byChangeSet(String text) {
        Map<String, String> sql = new LinkedHashMap<>();
        Matcher header = CHANGESET_HEADER.matcher(text);
        String current = null;
        int from = 0;
        while (header.find()) {
            if (current != null) {
                sql.put(current, statements(text.substring(from, header.start())));
            }
            current = header.group(1);
            from = header.end();
        }
        if (current != null) {
            sql.put(current, statements(text.substring(from)));
        }
        return sql;
    }

    /** A changeset's part of updateSQL without Liquibase's own bookkeeping (its history and lock tables). */
    private static String statements(String part) {
        StringBuilder kept = new StringBuilder();
        // Liquibase writes a change it cannot render (loadData with prepared statements) as a bare WARNING line.
        Matcher warning = Pattern.compile("(?m)^WARNING: .*$").matcher(part);
        java.util.Set<String> warnings = new java.util.LinkedHashSet<>();
        while (warning.find()) {
            warnings.add(warning.group().strip());
        }
        warnings.forEach(line -> kept.append("-- ").append(line).append('\n'));
        part = warning.replaceAll("");
        for (String statement : part.split("(?<=;)\\R")) {
            // Only blank lines go: a line split off a $$ body keeps its indentation, and one that names the history stays.
            String trimmed = statement.replaceFirst("^(\\h*\\R)+", "").stripTrailing();
            if (!trimmed.isBlank() && !BOOKKEEPING.matcher(trimmed).lookingAt()) {
                kept.append(trimmed).append('\n');
            }
        }
        return kept.toString().strip();
    }

    /**
     * The line of the changeset's id in its file (YAML, XML, JSON or formatted SQL), else 1. Where several changesets
     * share the id, the one whose author is declared within three lines of it, or on its {@code --changeset} line.
     */
    /** The id of {@code file::id::author}, which may hold {@code ::} of its own. */
    static String idOf(String changeSet) {
        return changeSet.substring(changeSet.indexOf("::") + 2, changeSet.lastIndexOf("::"));
    }

    static int lineOf(Path file, String changeSet) {
        String id = idOf(changeSet);
        String author = changeSet.substring(changeSet.lastIndexOf("::") + 2);
        Pattern declared = Pattern.compile("(\\bid\\s*[:=]\\s*[\"']?|--\\s*changeset\\s+[^:]+:)" + Pattern.quote(id) + "([\"'\\s,]|$)",
                Pattern.CASE_INSENSITIVE);
        Pattern sqlDeclared = Pattern.compile("--\\s*changeset\\s+" + Pattern.quote(author) + ":" + Pattern.quote(id) + "(\\s|$)",
                Pattern.CASE_INSENSITIVE);
        Pattern anyId = Pattern.compile("(\\bid\\s*[:=]|--\\s*changeset\\s)", Pattern.CASE_INSENSITIVE);
        Pattern authored = Pattern.compile("\\bauthor\\s*[:=]\\s*[\"']?" + Pattern.quote(author) + "([\"'\\s,]|$)", Pattern.CASE_INSENSITIVE);
        try {
            List<String> lines = Files.readAllLines(file);
            int first = 0;
            for (int i = 0; i < lines.size(); i++) {
                if (sqlDeclared.matcher(lines.get(i)).find()) {
                    return i + 1;
                }
                if (declared.matcher(lines.get(i)).find()) {
                    first = first == 0 ? i + 1 : first;
                    if (authoredNear(lines, i, authored, anyId)) {
                        return i + 1;
                    }
                }
            }
            return first == 0 ? 1 : first;
        } catch (IOException e) {
            // the annotation points at the file's first line instead
            return 1;
        }
    }

    /** The author on the id's own line, or within three lines of it before another changeset's id. */
    private static boolean authoredNear(List<String> lines, int at, Pattern authored, Pattern anyId) {
        if (authored.matcher(lines.get(at)).find()) {
            return true;
        }
        for (int step : new int[] {1, -1}) {
            for (int near = at + step; near >= 0 && near < lines.size() && Math.abs(near - at) <= 3; near += step) {
                if (anyId.matcher(lines.get(near)).find()) {
                    break;
                }
                if (authored.matcher(lines.get(near)).find()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code db/schema.sql} as the main line has it against the working tree's, as a unified diff; empty when equal. */
    private static String snapshotDiff(Project project, String base, List<String> notes) throws IOException {
        String path = project.relative(project.snapshot());
        if (base == null) {
            notes.add("not in a git work tree, so " + path + " is not compared with the main line");
            return "";
        }
        Git.Result before = Git.run(project.root(), "show", base + ":./" + path);
        List<String> old = before.ok() ? before.output().lines().toList() : List.of();
        List<String> now = Files.exists(project.snapshot()) ? Files.readAllLines(project.snapshot()) : List.of();
        return ReviewFormats.unifiedDiff(path, old, now);
    }
}
