package dev.keel.schema.rebase;

import dev.keel.schema.AtomicFiles;
import dev.keel.schema.Git;
import dev.keel.schema.Project;
import dev.keel.schema.ToolOutput;
import dev.keel.schema.accept.Accept;
import dev.keel.schema.released.MainLine;
import dev.keel.schema.released.ReleasedChangesets;
import dev.keel.schema.snapshot.SnapshotFiles;
import dev.keel.testdb.ChangelogChecksums;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code mvn keel:rebase}: after the main branch has moved on (merged into this branch, or this branch merged into it),
 * puts the branch's changesets that are not released yet after every released one. It resolves a merge's conflicts in
 * the master changelog and {@code db/released-changesets.txt}, gives a moved changeset whose file name is dated before
 * a released one a new timestamp (file name and ids), rewrites the master's includes and the list, and refreshes
 * {@code db/schema.sql} and {@code db/schema.md}. A released changeset never moves. It refuses, writing nothing, when a
 * conflict lies inside a changeset's own file or a released changeset has changed. Everything is worked out on a copy
 * of the changelog first, so a refusal or a changelog that does not apply leaves the repository as it was; what it
 * does write, it writes as one set.
 */
public final class Rebase {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final String CHANGELOG_DIR = Project.MASTER.substring(0, Project.MASTER.lastIndexOf('/') + 1);

    private Rebase() {
    }

    /** {@code mvn keel:rebase}, through {@link dev.keel.schema.Tools}. */
    public static void run() throws Exception {
        rebase(Project.current(), LocalDateTime.now(ZoneOffset.UTC)).forEach(System.out::println);
    }

    /** What it did, one line each; {@code now} dates a changeset that moves. */
    public static List<String> rebase(Project project, LocalDateTime now) throws Exception {
        Map<String, String> released = MainLine.released(project);
        if (released == null) {
            throw new ToolOutput.Refused(Project.REBASE_COMMAND + " compares with the main branch, so it runs in a git work tree; "
                    + project.root() + " is none. Nothing was written.");
        }
        List<String> conflicts = conflictsInsideChangesets(project);
        if (!conflicts.isEmpty()) {
            throw new ToolOutput.Refused(String.join(", ", conflicts) + (conflicts.size() == 1 ? " has" : " have")
                    + " a merge conflict, and rebase resolves conflicts in the master changelog only. Resolve it by hand (a released"
                    + " changeset keeps the main branch's side; a list of includes keeps both sides), then run "
                    + Project.REBASE_COMMAND + " again. Nothing was written.");
        }
        String masterText = Files.readString(project.master(), StandardCharsets.UTF_8);
        MasterChangelog master;
        try {
            master = MasterChangelog.parse(masterText);
        } catch (IllegalStateException e) {
            throw new ToolOutput.Refused(project.relative(project.master()) + " cannot be read: " + e.getMessage() + ". Nothing was written.");
        }
        // In the build folder, not the temp directory: Ctrl-C ends the JVM without the finally block below, and the
        // next rebase (the tools take turns) clears what it left.
        Path work = project.root().resolve("target").resolve("keel-rebase");
        if (Files.exists(work)) {
            deleteTree(work);
        }
        Files.createDirectories(work);
        try {
            Project copy = new Project(work);
            copyTree(project.resources(), copy.resources());
            AtomicFiles.write(copy.master(), master.render());
            ChangelogChecksums.Checksums read = checksums(copy);
            Map<String, String> before = read.byChangeset();
            Map<String, String> listed = ReleasedChangesets.readMerged(project.releasedList());
            List<String> refused = ReleasedChangesets.releasedProblems(new ReleasedChangesets.State(before, listed, released, read.rerunnable(), read.earlier()));
            if (!refused.isEmpty()) {
                throw new ToolOutput.Refused(String.join(System.lineSeparator(), refused) + System.lineSeparator() + "Nothing was written.");
            }
            Plan plan = plan(master, before, released, now, read.physicalFiles());
            List<String> done = new ArrayList<>();
            Map<Path, String> writes = new LinkedHashMap<>();
            List<Path> deletes = new ArrayList<>();
            for (Rename rename : plan.renames()) {
                Path from = copy.resources().resolve(rename.from());
                String text = Files.readString(from, StandardCharsets.UTF_8);
                String renamed = Pattern.compile("(id:\\s*['\"]?|id=[\"']|--changeset\\s+[^:\\s]+:)" + rename.oldStamp() + "_")
                        .matcher(text).replaceAll("$1" + rename.newStamp() + "_");
                AtomicFiles.write(copy.resources().resolve(rename.to()), renamed);
                Files.delete(from);
                writes.put(project.resources().resolve(rename.to()), renamed);
                deletes.add(project.resources().resolve(rename.from()));
                done.add("moved " + rename.from() + " after the released changesets as " + rename.to());
            }
            String newMaster = plan.master().render();
            AtomicFiles.write(copy.master(), newMaster);
            ChangelogChecksums.Checksums afterRead = checksums(copy);
            Map<String, String> after = afterRead.byChangeset();

            Map<String, String> list = new LinkedHashMap<>();
            for (Map.Entry<String, String> changeset : after.entrySet()) {
                String key = changeset.getKey();
                String old = plan.oldKey(key, afterRead.physicalFiles().getOrDefault(key, key.substring(0, key.indexOf("::"))));
                if (released.containsKey(key)) {
                    list.put(key, released.get(key));
                } else if (before.get(old) != null && before.get(old).equals(listed.get(old))) {
                    list.put(key, changeset.getValue());
                } else {
                    done.add(key + " is not accepted yet; review it, then run: " + Project.ACCEPT_COMMAND);
                }
            }
            List<String> unmoved = ReleasedChangesets.orderProblems(new ReleasedChangesets.State(after, list, released)).stream()
                    .map(problem -> problem.replace("; run: " + Project.REBASE_COMMAND, "")).toList();
            if (!unmoved.isEmpty()) {
                throw new ToolOutput.Refused(String.join(System.lineSeparator(), unmoved) + System.lineSeparator()
                        + "Rebase moves the files the master changelog includes one by one, and cannot move these. A changeset inside a"
                        + " file that another changelog includes (a team's own XML, say): move it into a file of its own, included at"
                        + " the end of the master changelog. A file that an includeAll folder picks up: rename it, in its name and its"
                        + " ids, to a timestamp after the latest released changeset. Either is a new changeset to Liquibase: then run "
                        + Project.ACCEPT_COMMAND + ", and " + Project.REBASE_COMMAND + " again."
                        + " Nothing was written.");
            }
            SnapshotFiles snapshot = Accept.build(copy);

            if (!newMaster.equals(masterText)) {
                writes.put(project.master(), newMaster);
                done.add(0, MasterChangelog.conflicted(masterText) ? "resolved the merge in " + project.relative(project.master())
                        : "rewrote the includes of " + project.relative(project.master()));
            }
            String listBefore = Files.exists(project.releasedList()) ? Files.readString(project.releasedList()) : "";
            String listText = ReleasedChangesets.text(list);
            boolean listChanged = !listText.equals(listBefore);
            if (listChanged) {
                writes.put(project.releasedList(), listText);
            }
            List<String> stale = snapshot.differences(project);
            if (!stale.isEmpty()) {
                writes.putAll(snapshot.files(project));
            }
            // One set: a Ctrl-C never leaves a moved changeset that the master or the list does not name yet.
            AtomicFiles.write(writes, deletes);
            boolean merging = Git.run(project.root(), "rev-parse", "-q", "--verify", "MERGE_HEAD").ok();
            if (writes.isEmpty() && deletes.isEmpty() && !listChanged && stale.isEmpty() && !merging) {
                done.add(0, "Nothing to rebase: the changesets not released yet already come after every released one.");
                return done;
            }
            List<String> wrote = new ArrayList<>();
            if (listChanged) {
                wrote.add("wrote " + project.relative(project.releasedList()));
            }
            if (!stale.isEmpty()) {
                wrote.add("refreshed " + project.relative(project.snapshot()) + " and " + project.relative(project.erPage()));
            }
            if (!wrote.isEmpty()) {
                done.add(String.join("; ", wrote));
            }
            if (merging) {
                Git.run(project.root(), "add", "-A", "--", project.relative(project.resources().resolve(CHANGELOG_DIR)),
                        Project.RELEASED_LIST, project.relative(project.snapshot()), project.relative(project.erPage()));
                done.add("marked them resolved for the merge's commit");
            }
            done.add("Review the changes (git diff), then run: mvn verify");
            return done;
        } finally {
            deleteTree(work);
        }
    }

    /** A changeset file that moves: paths relative to the Liquibase search path. */
    record Rename(String from, String to, String oldStamp, String newStamp) {
    }

    /** The new order of the master's entries and the files to rename. */
    record Plan(MasterChangelog master, List<Rename> renames) {

        /** The changeset's name before the renames; {@code file} is the file it is written in now. */
        String oldKey(String key, String file) {
            for (Rename rename : renames) {
                if (file.equals(rename.to())) {
                    return key.replaceAll("(?<![0-9])" + rename.newStamp() + "_", rename.oldStamp() + "_");
                }
            }
            return key;
        }
    }

    /**
     * The date and time a file name's 14 leading digits give; null when they are no such thing, as JHipster's
     * {@code 00000000000000_initial_schema.xml}, which only sorts first.
     */
    private static LocalDateTime dated(String stamp) {
        try {
            return LocalDateTime.parse(stamp, STAMP);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** @param written the file each changeset is written in, where a {@code logicalFilePath} gives it another name */
    static Plan plan(MasterChangelog master, Map<String, String> current, Map<String, String> released, LocalDateTime now,
                     Map<String, String> written) {
        Map<String, List<String>> byFile = new LinkedHashMap<>();
        current.keySet().forEach(key -> byFile.computeIfAbsent(written.getOrDefault(key, key.substring(0, key.indexOf("::"))),
                file -> new ArrayList<>()).add(key));
        List<MasterChangelog.Entry> stay = new ArrayList<>();
        List<MasterChangelog.Entry> move = new ArrayList<>();
        for (MasterChangelog.Entry entry : master.entries()) {
            List<String> changesets = entry.file() == null ? List.of() : byFile.getOrDefault(path(entry), List.of());
            long unreleased = changesets.stream().filter(key -> !released.containsKey(key)).count();
            if (unreleased > 0 && unreleased < changesets.size()) {
                throw new ToolOutput.Refused(path(entry) + " holds released and unreleased changesets; move the unreleased ones into a file"
                        + " of their own, then run " + Project.REBASE_COMMAND + " again. Nothing was written.");
            }
            (unreleased > 0 ? move : stay).add(entry);
        }
        LocalDateTime latest = released.keySet().stream().map(ReleasedChangesets::timestamp).filter(java.util.Objects::nonNull)
                .map(Rebase::dated).filter(java.util.Objects::nonNull).max(Comparator.naturalOrder()).orElse(null);
        List<Rename> renames = new ArrayList<>();
        List<MasterChangelog.Entry> entries = new ArrayList<>(stay);
        for (MasterChangelog.Entry entry : move) {
            String path = path(entry);
            String name = path.substring(path.lastIndexOf('/') + 1);
            String stamp = name.length() > 14 && name.substring(0, 14).chars().allMatch(Character::isDigit) ? name.substring(0, 14) : null;
            LocalDateTime dated = stamp == null ? null : dated(stamp);
            if (dated == null) {
                entries.add(entry);
                continue;
            }
            if (latest != null && !dated.isAfter(latest)) {
                LocalDateTime next = now.withNano(0).isAfter(latest) ? now.withNano(0) : latest.plusSeconds(1);
                String newStamp = next.format(STAMP);
                String newName = newStamp + name.substring(14);
                renames.add(new Rename(path, path.substring(0, path.length() - name.length()) + newName, stamp, newStamp));
                String file = entry.file();
                entries.add(entry.withFile(file.substring(0, file.length() - name.length()) + newName));
                latest = next;
            } else {
                entries.add(entry);
                latest = latest == null || dated.isAfter(latest) ? dated : latest;
            }
        }
        return new Plan(new MasterChangelog(master.header(), entries), renames);
    }

    /** An include's file relative to the Liquibase search path, as a changeset's identity names it. */
    private static String path(MasterChangelog.Entry entry) {
        String file = entry.file().replace('\\', '/');
        String path = entry.relative() ? CHANGELOG_DIR + file : file;
        return java.nio.file.Path.of(path).normalize().toString().replace('\\', '/');
    }

    private static ChangelogChecksums.Checksums checksums(Project copy) {
        try {
            return ReleasedChangesets.changelog(copy.resources());
        } catch (IllegalStateException e) {
            throw new ToolOutput.Refused(e.getMessage() + System.lineSeparator() + "Nothing was written.");
        }
    }

    /** Changeset files (anything under the search path but the master) that git reports unmerged or that hold conflict markers. */
    static List<String> conflictsInsideChangesets(Project project) throws IOException {
        List<String> conflicts = new ArrayList<>();
        Git.Result unmerged = Git.run(project.root(), "diff", "--name-only", "--diff-filter=U", "--relative");
        String resources = project.relative(project.resources()) + "/";
        String master = project.relative(project.master());
        for (String file : unmerged.output().lines().toList()) {
            if (file.startsWith(resources) && !file.equals(master)) {
                conflicts.add(file);
            }
        }
        try (Stream<Path> files = Files.walk(project.resources())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = project.relative(file);
                if (!name.equals(master) && !conflicts.contains(name) && hasMarkers(file)) {
                    conflicts.add(name);
                }
            }
        }
        return conflicts;
    }

    private static boolean hasMarkers(Path file) {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.anyMatch(line -> line.startsWith("<<<<<<< ") || line.startsWith(">>>>>>> "));
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
