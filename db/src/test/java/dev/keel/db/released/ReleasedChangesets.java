package dev.keel.db.released;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import liquibase.ChecksumVersion;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.exception.LiquibaseException;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.resource.ResourceAccessor;

/**
 * The committed list of released changesets with their checksums ({@code db/released-changesets.txt}).
 * A listed changeset may never change or disappear; a new one must be recorded before it is released.
 */
public final class ReleasedChangesets {

    public static final String FILE = "db/released-changesets.txt";
    public static final String RECORD_COMMAND = "mvn -pl db test -Dtest=ReleasedChangesetsTest -Dkeel.changesets.record=true";
    private static final String MASTER = "db/changelog/db.changelog-master.yaml";

    private ReleasedChangesets() {
    }

    /** Every problem found, one line each, naming the changeset; empty when the changelog honours the list. */
    public static List<String> problems(Path resources, Path listFile) {
        Map<String, String> current = checksums(resources);
        Map<String, String> listed = read(listFile);
        List<String> problems = new ArrayList<>();
        listed.forEach((changeset, checksum) -> {
            String now = current.get(changeset);
            if (now == null) {
                problems.add(changeset + " was released but is no longer in the changelog; restore it, and undo it with a new changeset instead");
            } else if (!now.equals(checksum)) {
                problems.add(changeset + " was released but has changed (checksum " + checksum + ", now " + now
                        + "); revert the edit and put the change in a new changeset");
            }
        });
        current.keySet().stream().filter(changeset -> !listed.containsKey(changeset)).forEach(changeset ->
                problems.add(changeset + " is not recorded in " + FILE + "; once it is reviewed, record it with: " + RECORD_COMMAND));
        return problems;
    }

    /** Appends the changesets that are not listed yet; never rewrites a listed one. Returns what it added. */
    public static List<String> recordNew(Path resources, Path listFile) {
        Map<String, String> listed = read(listFile);
        List<String> added = new ArrayList<>();
        checksums(resources).forEach((changeset, checksum) -> {
            if (!listed.containsKey(changeset)) {
                added.add(checksum + " " + changeset);
            }
        });
        try {
            if (!Files.exists(listFile)) {
                Files.writeString(listFile, "# Released changesets and their Liquibase checksums. Append only: see README, \"Released changesets\".\n");
            }
            Files.write(listFile, added, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return added;
    }

    /** {@code file::id::author} to checksum, in changelog order. */
    static Map<String, String> checksums(Path resources) {
        try {
            ResourceAccessor accessor = new DirectoryResourceAccessor(resources);
            Map<String, String> checksums = new LinkedHashMap<>();
            for (ChangeSet changeSet : ChangeLogParserFactory.getInstance().getParser(MASTER, accessor)
                    .parse(MASTER, new ChangeLogParameters(), accessor).getChangeSets()) {
                checksums.put(changeSet.getFilePath() + "::" + changeSet.getId() + "::" + changeSet.getAuthor(),
                        changeSet.generateCheckSum(ChecksumVersion.latest()).toString());
            }
            return checksums;
        } catch (LiquibaseException | IOException e) {
            throw new IllegalStateException("Cannot read the changelog under " + resources + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> read(Path listFile) {
        Map<String, String> listed = new LinkedHashMap<>();
        if (!Files.exists(listFile)) {
            return listed;
        }
        try {
            for (String line : Files.readAllLines(listFile, StandardCharsets.UTF_8)) {
                String text = line.strip();
                if (!text.isEmpty() && !text.startsWith("#")) {
                    int space = text.indexOf(' ');
                    listed.put(text.substring(space + 1).strip(), text.substring(0, space));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return listed;
    }
}
