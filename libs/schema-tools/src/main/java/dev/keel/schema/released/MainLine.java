package dev.keel.schema.released;

import dev.keel.db.settings.Settings;
import dev.keel.schema.Git;
import dev.keel.schema.Project;
import dev.keel.schema.ToolOutput;
import dev.keel.testdb.ChangelogChecksums;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import liquibase.resource.DirectoryResourceAccessor;

/**
 * The main line: a changeset is released once it is merged into the main branch, so the released list is
 * {@code db/released-changesets.txt} as the merge-base of {@code HEAD} and the main branch has it (and, while a merge
 * is under way, the merge-base of {@code MERGE_HEAD} too). The main branch is {@code KEEL_MAIN_BRANCH} or
 * {@code -Dkeel.mainBranch}, else {@code origin/main}, else {@code main}.
 */
public final class MainLine {

    public static final String PROPERTY = "keel.mainBranch";
    public static final String VARIABLE = "KEEL_MAIN_BRANCH";
    static final List<String> DEFAULTS = List.of("origin/main", "main");

    private MainLine() {
    }

    /** The main line cannot be read; the message says what to fetch or set. */
    public static final class Unknown extends ToolOutput.Refused {

        Unknown(String message) {
            super(message);
        }
    }

    /** The released list; null when the project is not in a git work tree (then every listed changeset counts as released). */
    public static Map<String, String> released(Project project) {
        return released(project, configuredFor(project, configured()));
    }

    /** The released list against the main branch {@code configured}, or the default when it is null. */
    static Map<String, String> released(Project project, String configured) {
        Git.Result workTree = Git.run(project.root(), "rev-parse", "--is-inside-work-tree");
        if (workTree.exit() == -1 && Files.exists(project.root().resolve(".git"))) {
            throw new Unknown("Cannot tell which changesets are released: git did not run in " + project.root()
                    + ". Install git (or put it on the PATH), then run the command again");
        }
        if (!workTree.ok()) {
            return null;
        }
        if (!Git.run(project.root(), "rev-parse", "-q", "--verify", "HEAD^{commit}").ok()) {
            return new LinkedHashMap<>();
        }
        String main = branch(project, configured);
        Map<String, String> released = new LinkedHashMap<>(listAt(project, mergeBase(project, "HEAD", main)));
        if (Git.run(project.root(), "rev-parse", "-q", "--verify", "MERGE_HEAD^{commit}").ok()) {
            listAt(project, mergeBase(project, "MERGE_HEAD", main)).forEach(released::putIfAbsent);
        }
        return released;
    }

    /**
     * The commit this branch left the main line at (the merge-base of {@code HEAD} and the main branch); null outside a
     * git work tree or before the first commit.
     */
    public static String base(Project project) {
        if (!Git.run(project.root(), "rev-parse", "--is-inside-work-tree").ok()
                || !Git.run(project.root(), "rev-parse", "-q", "--verify", "HEAD^{commit}").ok()) {
            return null;
        }
        return mergeBase(project, "HEAD", branch(project, configuredFor(project, configured())));
    }

    /** The main branch this clone compares against, as git names it. */
    static String branch(Project project, String configured) {
        if (configured != null) {
            if (!exists(project, configured)) {
                throw new Unknown(VARIABLE + " (-D" + PROPERTY + ") names the main branch '" + configured + "', which this clone does not have;"
                        + " fetch it (" + fetchCommand(project, configured) + ") or name the main line's branch");
            }
            return configured;
        }
        for (String candidate : DEFAULTS) {
            if (exists(project, candidate)) {
                return candidate;
            }
        }
        throw new Unknown("Cannot tell which changesets are released: this clone has neither origin/main nor main. Run: "
                + fetchCommand(project, "origin/main") + " (or set " + VARIABLE + ", e.g. -D" + PROPERTY + "=origin/master, to the main line's branch)");
    }

    /**
     * The configured main branch when {@code project} is the repository the setting belongs to, the one whose root
     * holds its {@code .env}; null for any other repository, such as a test's fixture, which keeps git's defaults.
     */
    static String configuredFor(Project project, String configured) {
        return project.root().toAbsolutePath().normalize().equals(Settings.root()) ? configured : null;
    }

    static String configured() {
        String value = System.getenv(VARIABLE);
        if (value == null || value.isBlank()) {
            value = System.getProperty(PROPERTY);
        }
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static boolean exists(Project project, String ref) {
        return Git.run(project.root(), "rev-parse", "-q", "--verify", ref + "^{commit}").ok();
    }

    private static String mergeBase(Project project, String head, String main) {
        Git.Result base = Git.run(project.root(), "merge-base", head, main);
        if (base.ok()) {
            return base.output().strip();
        }
        if (shallow(project)) {
            throw new Unknown("Cannot tell which changesets are released: this shallow clone lacks the merge-base of " + head + " and " + main
                    + ". Run: git fetch --unshallow " + remoteAndBranch(main) + " (in GitHub Actions: actions/checkout with fetch-depth: 0)");
        }
        throw new Unknown("Cannot tell which changesets are released: " + head + " and " + main + " share no history. Set " + VARIABLE
                + " (-D" + PROPERTY + ") to the branch this one was made from");
    }

    /**
     * The changelog as the merge-base with the main line has it, parsed with this run's changelog parameters: its
     * checksums and what Liquibase's checksum leaves out of each changeset ({@link ChangelogChecksums#outsideChecksum}).
     * {@code unchanged} when the changelog's folder is as it was there (nothing to parse); {@code unknown} outside a git
     * work tree, without a merge-base, or when git cannot write it out or Liquibase cannot read it.
     */
    static AtBase atBase(Project project) {
        String base = base(project);
        String folder = folder(project);
        if (base == null || folder.isEmpty()) {
            return AtBase.UNKNOWN;
        }
        if (Git.run(project.root(), "diff", "--quiet", base, "--", folder).ok()) {
            return AtBase.UNCHANGED;
        }
        Path copy = null;
        try {
            copy = Files.createTempDirectory("keel-main-line");
            Path zip = copy.resolve("changelog.zip");
            if (!Git.run(project.root(), "archive", "--format=zip", "-o", zip.toString(), base, "--", folder).ok()) {
                return AtBase.UNKNOWN;
            }
            try (ZipFile entries = new ZipFile(zip.toFile())) {
                for (ZipEntry entry : java.util.Collections.list(entries.entries())) {
                    Path file = copy.resolve("tree").resolve(entry.getName()).normalize();
                    if (!entry.isDirectory() && file.startsWith(copy.resolve("tree"))) {
                        Files.createDirectories(file.getParent());
                        try (InputStream in = entries.getInputStream(entry)) {
                            Files.copy(in, file);
                        }
                    }
                }
            }
            return new AtBase(false, ChangelogChecksums.read(Project.MASTER, new DirectoryResourceAccessor(copy.resolve("tree").resolve(folder))));
        } catch (Exception unreadable) {
            return AtBase.UNKNOWN;
        } finally {
            if (copy != null) {
                deleteTree(copy);
            }
        }
    }

    /** See {@link #atBase}: {@code checksums} is null where the folder is unchanged or the base is unknown. */
    record AtBase(boolean unchanged, ChangelogChecksums.Checksums checksums) {
        static final AtBase UNCHANGED = new AtBase(true, null);
        static final AtBase UNKNOWN = new AtBase(false, null);

        /** What the checksum leaves out of each changeset at the base; empty where there is nothing to compare. */
        Map<String, String> outside() {
            return checksums == null ? Map.of() : checksums.outside();
        }

        /**
         * Whether the changeset, with this run's parameters, had the checksum {@code now} at the base: any difference
         * from the main line's recorded checksum then comes from a parameter's value, not from an edit of its files.
         */
        boolean sameAsNow(String changeset, String now) {
            return unchanged || checksums != null && now.equals(checksums.byChangeset().get(changeset));
        }
    }

    private static String folder(Project project) {
        return project.root().relativize(project.resources()).toString().replace('\\', '/');
    }

    private static void deleteTree(Path folder) {
        try (var paths = Files.walk(folder)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder; the system clears it
        }
    }

    /** The list at {@code commit}; empty when the commit has none, a refusal when git cannot say. */
    private static Map<String, String> listAt(Project project, String commit) {
        String path = commit + ":./" + Project.RELEASED_LIST;
        if (!Git.run(project.root(), "cat-file", "-e", path).ok()) {
            return new LinkedHashMap<>();
        }
        Git.Result list = Git.run(project.root(), "show", path);
        if (!list.ok()) {
            throw new Unknown("Cannot read " + Project.RELEASED_LIST + " as the main line has it (git show " + path + " failed);"
                    + " check that git works in " + project.root() + ", then run the command again");
        }
        return ReleasedChangesets.parse(list.output().lines().toList(), path);
    }

    private static boolean shallow(Project project) {
        return "true".equals(Git.run(project.root(), "rev-parse", "--is-shallow-repository").output().strip());
    }

    /** {@code origin/main} is fetched as {@code git fetch origin main:refs/remotes/origin/main}, with its history in a shallow clone. */
    private static String fetchCommand(Project project, String ref) {
        int slash = ref.indexOf('/');
        String fetch = shallow(project) ? "git fetch --unshallow " : "git fetch ";
        return slash < 0 ? fetch + "origin " + ref + ":" + ref
                : fetch + ref.substring(0, slash) + " " + ref.substring(slash + 1) + ":refs/remotes/" + ref;
    }

    private static String remoteAndBranch(String ref) {
        int slash = ref.indexOf('/');
        return slash < 0 ? "origin " + ref : ref.substring(0, slash) + " " + ref.substring(slash + 1);
    }
}
