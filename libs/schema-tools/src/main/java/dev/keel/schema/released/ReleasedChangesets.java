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
import java.util.Set;
import liquibase.resource.DirectoryResourceAccessor;

/**
 * {@code db/released-changesets.txt}: each accepted changeset ({@code file::id::author}) with its Liquibase
 * checksum. An entry on the main line ({@link MainLine}) is <em>released</em>: its changeset may never change or
 * disappear, whatever a branch commits. Any other entry was only accepted on a branch, and accept refreshes it while
 * the changeset is revised.
 */
public final class ReleasedChangesets {

    private static final String HEADER = "# Accepted changesets and their Liquibase checksums; a line merged into the main branch is released."
            + " Written by accept: see README, \"Daily loop\".";

    private ReleasedChangesets() {
    }

    /**
     * What the changelog, the list and the main line's list say; {@code mainLine} is null outside a git work tree.
     * {@code earlier}: the checksums Keel wrote before it computed them as update does, where they differ
     * ({@link ChangelogChecksums.Checksums#earlier}); a released line that holds one is unchanged, and accept rewrites it.
     * {@code includedBy}: the file that includes each changeset's file, where known. {@code sameAtBase}: the released
     * changesets whose checksum differs from the main line's but not from the merge-base's changelog parsed with this
     * run's changelog parameters, so a parameter's value changed it, not an edit.
     */
    public record State(Map<String, String> current, Map<String, String> listed, Map<String, String> mainLine, Set<String> rerunnable,
                        Map<String, String> earlier, Map<String, String> includedBy, Map<String, String> outsideChecksum,
                        Map<String, String> outsideChecksumOnMainLine, Set<String> sameAtBase) {

        public State(Map<String, String> current, Map<String, String> listed, Map<String, String> mainLine, Set<String> rerunnable,
                     Map<String, String> earlier, Map<String, String> includedBy, Map<String, String> outsideChecksum,
                     Map<String, String> outsideChecksumOnMainLine) {
            this(current, listed, mainLine, rerunnable, earlier, includedBy, outsideChecksum, outsideChecksumOnMainLine, Set.of());
        }

        public State(Map<String, String> current, Map<String, String> listed, Map<String, String> mainLine, Set<String> rerunnable,
                     Map<String, String> earlier, Map<String, String> includedBy) {
            this(current, listed, mainLine, rerunnable, earlier, includedBy, Map.of(), Map.of());
        }

        public State(Map<String, String> current, Map<String, String> listed, Map<String, String> mainLine, Set<String> rerunnable,
                     Map<String, String> earlier) {
            this(current, listed, mainLine, rerunnable, earlier, Map.of());
        }

        public State(Map<String, String> current, Map<String, String> listed, Map<String, String> mainLine) {
            this(current, listed, mainLine, Set.of());
        }

        public State(Map<String, String> current, Map<String, String> listed, Map<String, String> mainLine, Set<String> rerunnable) {
            this(current, listed, mainLine, rerunnable, Map.of());
        }

        /** Whether the changeset's checksum now is {@code checksum}, or was it as Keel computed it before. */
        boolean unchanged(String changeset, String checksum) {
            String now = current.get(changeset);
            return now != null && (now.equals(checksum) || checksum.equals(earlier.get(changeset)));
        }

        public boolean released(String changeset) {
            return releasedList().containsKey(changeset);
        }

        /**
         * Whether the next update leaves the changeset as it is: released, and not a runOnChange or runAlways changeset
         * edited since, which that update runs again. The online check and the review trace every other one.
         */
        public boolean releasedAsIs(String changeset) {
            String now = current.get(changeset);
            return released(changeset) && !(rerunnable.contains(changeset) && now != null && !now.equals(releasedList().get(changeset)));
        }

        /** The released changesets with their released checksums. */
        public Map<String, String> releasedList() {
            return mainLine == null ? listed : mainLine;
        }
    }

    public static State read(Project project) {
        ChangelogChecksums.Checksums checksums = changelog(project.resources());
        Map<String, String> mainLine = MainLine.released(project);
        if (mainLine == null) {
            return new State(checksums.byChangeset(), read(project.releasedList()), null, checksums.rerunnable(), checksums.earlier(),
                    checksums.includedBy(), checksums.outside(), Map.of());
        }
        MainLine.AtBase base = MainLine.atBase(project);
        Set<String> sameAtBase = new java.util.HashSet<>();
        checksums.byChangeset().forEach((changeset, now) -> {
            if (mainLine.containsKey(changeset) && !now.equals(mainLine.get(changeset)) && base.sameAsNow(changeset, now)) {
                sameAtBase.add(changeset);
            }
        });
        return new State(checksums.byChangeset(), read(project.releasedList()), mainLine, checksums.rerunnable(), checksums.earlier(),
                checksums.includedBy(), checksums.outside(), base.outside(), sameAtBase);
    }

    /** Every problem, one line each, naming the changeset and the one thing that fixes it; empty when all agree. */
    public static List<String> problems(State state) {
        List<String> problems = new ArrayList<>(releasedProblems(state));
        state.releasedList().forEach((changeset, checksum) -> {
            if (checksum.equals(state.current().get(changeset)) && !checksum.equals(state.listed().get(changeset))) {
                problems.add(changeset + " was released, but its line in " + Project.RELEASED_LIST + " was removed or edited;"
                        + " restore it with: " + Project.ACCEPT_COMMAND);
            }
        });
        state.releasedList().forEach((changeset, checksum) -> {
            String now = state.current().get(changeset);
            if (state.rerunnable().contains(changeset) && now != null && !now.equals(checksum) && !now.equals(state.listed().get(changeset))) {
                problems.add(changeset + " runs again when it changes, and has changed since it was accepted; review it, then run: "
                        + Project.ACCEPT_COMMAND);
            }
        });
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
        problems.addAll(orderProblems(state));
        return problems;
    }

    /**
     * Changesets not released yet that would run before a released one: placed before it in the changelog, or dated
     * before it by the {@code yyyyMMddHHmmss} their file names start with. A database that applied the released one
     * would run them out of order; the rebase command moves them after every released changeset.
     */
    public static List<String> orderProblems(State state) {
        List<String> problems = new ArrayList<>();
        List<String> order = new ArrayList<>(state.current().keySet());
        int lastReleased = -1;
        String latest = null;
        for (int i = 0; i < order.size(); i++) {
            String changeset = order.get(i);
            if (state.released(changeset)) {
                lastReleased = i;
                if (timestamp(changeset) != null && (latest == null || timestamp(changeset).compareTo(timestamp(latest)) > 0)) {
                    latest = changeset;
                }
            }
        }
        for (int i = 0; i < order.size(); i++) {
            String changeset = order.get(i);
            if (state.released(changeset)) {
                continue;
            }
            if (i < lastReleased) {
                problems.add(changeset + " is not released yet but comes before the released " + order.get(lastReleased)
                        + " in the changelog; " + reorder(state, changeset));
            } else if (latest != null && timestamp(changeset) != null && timestamp(changeset).compareTo(timestamp(latest)) <= 0) {
                problems.add(changeset + " is not released yet but is dated before the released " + latest + "; " + reorder(state, changeset));
            }
        }
        return problems;
    }

    /**
     * Rebase moves the files the master changelog includes, each with no released changeset. A changeset in a file that
     * holds released ones has to leave it; a file that another changelog includes only its include has to leave.
     */
    private static String reorder(State state, String changeset) {
        String includedBy = state.includedBy().get(changeset);
        String file = changeset.substring(0, changeset.indexOf("::"));
        boolean sharesWithReleased = state.current().keySet().stream().anyMatch(other -> other.startsWith(file + "::") && state.released(other));
        if (sharesWithReleased) {
            return "rebase cannot move it out of " + file + ", which holds released changesets: move it into a file of its own, included at"
                    + " the end of " + Project.MASTER + ", then run: " + Project.ACCEPT_COMMAND;
        }
        if (includedBy == null || includedBy.equals(Project.MASTER)) {
            return "run: " + Project.REBASE_COMMAND;
        }
        return "rebase cannot move it out of a file that " + includedBy + " includes: move the include of " + file + " from " + includedBy
                + " to the end of " + Project.MASTER + ", then run: " + Project.ACCEPT_COMMAND;
    }

    private static final java.util.regex.Pattern TIMESTAMP = java.util.regex.Pattern.compile("(?:.*/)?(\\d{14})[^/]*::.*");

    /** The {@code yyyyMMddHHmmss} a changeset's file name starts with, or null. */
    public static String timestamp(String changeset) {
        java.util.regex.Matcher matcher = TIMESTAMP.matcher(changeset);
        return matcher.matches() ? matcher.group(1) : null;
    }

    /**
     * Problems that accept cannot fix: a released changeset that changed or disappeared. A {@code runOnChange} or
     * {@code runAlways} changeset is made to be edited: the next update runs it again.
     */
    public static List<String> releasedProblems(State state) {
        List<String> problems = new ArrayList<>();
        state.releasedList().forEach((changeset, checksum) -> {
            String now = state.current().get(changeset);
            if (now == null) {
                problems.add(changeset + " was released but is no longer in the changelog; restore it, and undo it with a new changeset instead"
                        + " (replacing Keel's sample with your own changelog: docs/changesets.md, \"Starting from your own changelog\")");
            } else if (!state.unchanged(changeset, checksum) && !state.rerunnable().contains(changeset) && state.sameAtBase().contains(changeset)) {
                problems.add(changeset + " was released and its files are as the main line has them, but its checksum changed (" + checksum
                        + " on the main line, now " + now + "): a changelog parameter (${...}) it uses has another value here, a -D on this"
                        + " command, say, and Liquibase computes the checksum after substituting it. Give the parameter the value it was"
                        + " released with, in a property of the master changelog");
            } else if (!state.unchanged(changeset, checksum) && !state.rerunnable().contains(changeset)) {
                problems.add(changeset + " was released but has changed (checksum " + checksum + " on the main line, now " + now
                        + "); revert the edit and put the change in a new changeset");
            } else if (!state.rerunnable().contains(changeset) && state.outsideChecksumOnMainLine().containsKey(changeset)
                    && !state.outsideChecksumOnMainLine().get(changeset).equals(state.outsideChecksum().getOrDefault(changeset, ""))) {
                problems.add(changeset + " was released but its " + outsideEdit(state.outsideChecksumOnMainLine().get(changeset),
                        state.outsideChecksum().getOrDefault(changeset, "")) + " changed since the main line, which its checksum leaves out: a"
                        + " database that applied it keeps what it did, a new one gets the new form. Revert the edit and put the change in a new"
                        + " changeset");
            }
        });
        return problems;
    }

    /** The attributes outside the checksum that differ, as {@code dbms (was postgresql, now mssql)}, by their names. */
    private static String outsideEdit(String before, String now) {
        Map<String, String> was = attributes(before);
        Map<String, String> is = attributes(now);
        java.util.Set<String> names = new java.util.TreeSet<>(was.keySet());
        names.addAll(is.keySet());
        return names.stream().filter(name -> !java.util.Objects.equals(was.get(name), is.get(name)))
                .map(name -> name + " (was " + was.getOrDefault(name, "none") + ", now " + is.getOrDefault(name, "none") + ")")
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private static Map<String, String> attributes(String lines) {
        Map<String, String> attributes = new java.util.LinkedHashMap<>();
        lines.lines().forEach(line -> attributes.put(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 1).strip()));
        return attributes;
    }

    /**
     * The list accept writes: every changeset of the changelog with its current checksum (a released one's is its
     * released checksum), in changelog order. Throws, writing nothing, when a released changeset has changed.
     */
    public static List<String> accept(State state, Path listFile) {
        List<String> changes = acceptedChanges(state);
        write(listFile, state.current());
        return changes;
    }

    /** What accepting the changelog as it is changes in the list, one line each; throws when a released changeset has changed. */
    public static List<String> acceptedChanges(State state) {
        List<String> refused = releasedProblems(state);
        if (!refused.isEmpty()) {
            throw new IllegalStateException(String.join(System.lineSeparator(), refused));
        }
        List<String> changes = new ArrayList<>();
        state.current().forEach((changeset, checksum) -> {
            String before = state.listed().get(changeset);
            if (before == null) {
                changes.add("accepted " + changeset);
            } else if (before.equals(state.earlier().get(changeset))) {
                changes.add("re-accepted " + changeset + " (unchanged: its checksum now counts its changes for PostgreSQL (dbms), as update's does)");
            } else if (!before.equals(checksum)) {
                changes.add("re-accepted " + changeset + " (revised since it was last accepted)");
            }
        });
        state.listed().keySet().stream().filter(changeset -> !state.current().containsKey(changeset))
                .forEach(changeset -> changes.add("dropped " + changeset + " (no longer in the changelog, never released)"));
        return changes;
    }

    /** Writes the list. */
    public static void write(Path listFile, Map<String, String> checksums) {
        AtomicFiles.write(listFile, text(checksums));
    }

    /** The list's text: its header, then one line per changeset with its checksum, in the map's order. */
    public static String text(Map<String, String> checksums) {
        List<String> lines = new ArrayList<>(List.of(HEADER));
        checksums.forEach((changeset, checksum) -> lines.add(checksum + " " + changeset));
        return lines.stream().map(line -> line + System.lineSeparator()).collect(java.util.stream.Collectors.joining());
    }

    /**
     * Reads a list that a merge may have left with conflict markers or, merged line by line, with a changeset listed by
     * both sides: every well-formed line counts, the first of a changeset's lines wins.
     */
    public static Map<String, String> readMerged(Path listFile) throws IOException {
        Map<String, String> listed = new LinkedHashMap<>();
        if (!Files.exists(listFile)) {
            return listed;
        }
        for (String line : Files.readAllLines(listFile, StandardCharsets.UTF_8)) {
            String[] parts = checksumAndChangeset(line.stripLeading());
            if (parts != null) {
                listed.putIfAbsent(parts[1], parts[0]);
            }
        }
        return listed;
    }

    /** {@code file::id::author} to checksum, in changelog order, for every changeset whatever its context, label or dbms. */
    public static Map<String, String> checksums(Path resources) {
        return changelog(resources).byChangeset();
    }

    /** {@code file::id::author} to the file it is written in, relative to {@code resources}. */
    public static Map<String, String> physicalFiles(Path resources) {
        return changelog(resources).physicalFiles();
    }

    /** The changelog under {@code resources} as the released check reads it: checksums, rerunnable changesets, files. */
    public static ChangelogChecksums.Checksums changelog(Path resources) {
        try {
            return ChangelogChecksums.read(Project.MASTER, new DirectoryResourceAccessor(resources));
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
            // Only leading blanks go: an author may end in one, as Liquibase reads it from the changelog.
            String text = lines.get(i).stripLeading();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String[] parts = checksumAndChangeset(text);
            if (parts == null) {
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

    /**
     * A line's checksum and {@code file::id::author}, or null when it is not such a line. Only the first blank
     * separates them: an author such as "Jane Doe", or a file name, may hold blanks of its own.
     */
    private static String[] checksumAndChangeset(String line) {
        String[] parts = line.split("\\s+", 2);
        return parts.length == 2 && parts[0].matches("\\d+:[0-9a-f]{32}") && parts[1].split("::", -1).length >= 3 ? parts : null;
    }
}
