package dev.keel.schema.released;

import dev.keel.schema.AtomicFiles;
import dev.keel.schema.Project;
import dev.keel.testdb.ChangelogChecksums;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import liquibase.resource.DirectoryResourceAccessor;

/**
 * {@code db/released-changesets.txt}: each accepted changeset ({@code file::id::author}) with its Liquibase
 * checksum. An entry that is committed is <em>released</em>: its changeset may never change or disappear. An
 * entry that is not committed yet was only accepted locally, and accept may refresh it while it is revised.
 */
public final class ReleasedChangesets {

    private static final String HEADER = "# Accepted changesets and their Liquibase checksums; a committed line is released."
            + " Written by accept: see README, \"Daily loop\".";

    private ReleasedChangesets() {
    }

    /** What the changelog, the list and the list's committed version say; {@code committed} is null when git cannot tell. */
    public record State(Map<String, String> current, Map<String, String> listed, Map<String, String> committed) {

        public boolean released(String changeset) {
            return committed == null ? listed.containsKey(changeset) : committed.containsKey(changeset);
        }
    }

    public static State read(Project project) {
        return new State(checksums(project.resources()), read(project.releasedList()), committed(project));
    }

    /** Every problem, one line each, naming the changeset and the one thing that fixes it; empty when all agree. */
    public static List<String> problems(State state) {
        List<String> problems = new ArrayList<>(releasedProblems(state));
        state.listed().forEach((changeset, checksum) -> {
            if (state.released(changeset)) {
                return;
            }
            String now = state.current().get(changeset);
            if (now == null) {
                problems.add(changeset + " was accepted but is no longer in the changelog; run " + Project.ACCEPT_COMMAND + " to drop it from the list");
            } else if (!now.equals(checksum)) {
                problems.add(changeset + " has changed since it was accepted; review it, then run: " + Project.ACCEPT_COMMAND);
            }
        });
        state.current().keySet().stream().filter(changeset -> !state.listed().containsKey(changeset) && !state.released(changeset)).forEach(changeset ->
                problems.add(changeset + " is new; review it, then run: " + Project.ACCEPT_COMMAND));
        return problems;
    }

    /** Problems that accept cannot fix: a released changeset that changed, disappeared, or lost its line. */
    public static List<String> releasedProblems(State state) {
        List<String> problems = new ArrayList<>();
        Map<String, String> released = state.committed() == null ? state.listed() : state.committed();
        released.forEach((changeset, checksum) -> {
            String now = state.current().get(changeset);
            if (now == null) {
                problems.add(changeset + " was released but is no longer in the changelog; restore it, and undo it with a new changeset instead");
            } else if (!now.equals(checksum)) {
                problems.add(changeset + " was released but has changed (checksum " + checksum + ", now " + now
                        + "); revert the edit and put the change in a new changeset");
            } else if (!checksum.equals(state.listed().get(changeset))) {
                problems.add(changeset + " was released, but its line in " + Project.RELEASED_LIST + " was removed or edited;"
                        + " restore it with: git checkout -- " + Project.RELEASED_LIST);
            }
        });
        return problems;
    }

    /**
     * The list accept writes: every released line as committed, then every other changeset of the changelog with
     * its current checksum, in changelog order. Throws, writing nothing, when a released changeset has changed.
     */
    public static List<String> accept(State state, Path listFile) {
        List<String> refused = releasedProblems(state);
        if (!refused.isEmpty()) {
            throw new IllegalStateException(String.join(System.lineSeparator(), refused));
        }
        List<String> lines = new ArrayList<>(List.of(HEADER));
        List<String> changes = new ArrayList<>();
        state.current().forEach((changeset, checksum) -> {
            lines.add(checksum + " " + changeset);
            String before = state.listed().get(changeset);
            if (before == null) {
                changes.add("accepted " + changeset);
            } else if (!before.equals(checksum)) {
                changes.add("re-accepted " + changeset + " (revised since it was last accepted)");
            }
        });
        state.listed().keySet().stream().filter(changeset -> !state.current().containsKey(changeset))
                .forEach(changeset -> changes.add("dropped " + changeset + " (no longer in the changelog, never released)"));
        AtomicFiles.write(listFile, lines.stream().map(line -> line + System.lineSeparator()).collect(java.util.stream.Collectors.joining()));
        return changes;
    }

    /** {@code file::id::author} to checksum, in changelog order, for every changeset whatever its context, label or dbms. */
    public static Map<String, String> checksums(Path resources) {
        try {
            return ChangelogChecksums.of(Project.MASTER, new DirectoryResourceAccessor(resources));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the changelog " + Project.MASTER + " under " + resources + ": " + e.getMessage(), e);
        }
    }

    /** Reads a list file; a line that is not {@code <checksum> <file::id::author>} is an error naming the line. */
    public static Map<String, String> read(Path listFile) {
        if (!Files.exists(listFile)) {
            return new LinkedHashMap<>();
        }
        try {
            return parse(Files.readAllLines(listFile, StandardCharsets.UTF_8), listFile.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> parse(List<String> lines, String source) {
        Map<String, String> listed = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String[] parts = text.split("\\s+");
            if (parts.length != 2 || !parts[0].matches("\\d+:[0-9a-f]{32}") || parts[1].split("::").length != 3) {
                throw new IllegalStateException(source + " line " + (i + 1) + ": expected '<checksum> <file>::<id>::<author>', such as"
                        + " '9:0123456789abcdef0123456789abcdef db/changelog/changes/x.yaml::x::keel', but found '" + text
                        + "'. Restore the file with git checkout, then run: " + Project.ACCEPT_COMMAND);
            }
            if (listed.put(parts[1], parts[0]) != null) {
                throw new IllegalStateException(source + " line " + (i + 1) + ": " + parts[1] + " is listed twice; keep one line");
            }
        }
        return listed;
    }

    /** The list as the last commit has it, from {@code git show HEAD:<list>}; empty before the first commit; null without git. */
    static Map<String, String> committed(Project project) {
        try {
            // To a file, so the timeout holds even when git never closes its output.
            Path output = Files.createTempFile("keel-git-show", ".txt");
            try {
                Process git = new ProcessBuilder("git", "show", "HEAD:" + Project.RELEASED_LIST).directory(project.root().toFile())
                        .redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(output.toFile()).start();
                if (!git.waitFor(30, TimeUnit.SECONDS)) {
                    git.destroyForcibly();
                    return null;
                }
                if (git.exitValue() != 0) {
                    return isGitWorkTree(project) ? new LinkedHashMap<>() : null;
                }
                return parse(Files.readAllLines(output, StandardCharsets.UTF_8), "HEAD:" + Project.RELEASED_LIST);
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static boolean isGitWorkTree(Project project) throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "rev-parse", "--is-inside-work-tree").directory(project.root().toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!git.waitFor(30, TimeUnit.SECONDS)) {
            git.destroyForcibly();
            return false;
        }
        return git.exitValue() == 0;
    }
}
