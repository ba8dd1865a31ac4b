package dev.keel.dbtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.testdb.ChangelogCopy;
import dev.keel.testdb.TestPostgres;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A changelog of its own for a test to edit: the two small changesets under this module's test resources
 * ({@code fixture/}), copied into a folder that becomes the goals' {@code liquibase.searchPath}. The tests that use
 * it never depend on the repository's changelog.
 */
final class FixtureChangelog {

    static final String MASTER = "db/changelog/db.changelog-master.yaml";
    static final String FIRST_FILE = "db/changelog/changes/001_create_fixture_parents.yaml";
    static final String SECOND = "db/changelog/changes/002_create_fixture_children.yaml::002_create_fixture_children::test";

    private FixtureChangelog() {
    }

    /** Copies the fixture into {@code searchPath}; returns it. */
    static Path copyTo(Path searchPath) throws IOException, URISyntaxException {
        ChangelogCopy.copy(Path.of(FixtureChangelog.class.getResource("/fixture").toURI()), searchPath);
        return searchPath;
    }

    /**
     * Copies the fixture into {@code searchPath} and applies it to {@code database} with {@code liquibase:update};
     * returns the {@code -Dliquibase.searchPath} argument the goals need for it.
     */
    static String appliedTo(Path searchPath, String database) throws IOException, URISyntaxException {
        copyTo(searchPath);
        String argument = "-Dliquibase.searchPath=" + searchPath;
        MavenRun first = MavenRun.run(TestPostgres.server(), database, "liquibase:update", argument);
        assertThat(first.exitCode()).as(first.output()).isZero();
        return argument;
    }

    /** Writes {@code changes/<file>} with {@code text} and includes it at the end of the master changelog. */
    static void addAndInclude(Path searchPath, String file, String text) throws IOException {
        Files.writeString(searchPath.resolve("db/changelog/changes").resolve(file), text);
        Path master = searchPath.resolve(MASTER);
        Files.writeString(master, Files.readString(master) + "  - include:\n      file: changes/" + file + "\n      relativeToChangelogFile: true\n");
    }
}
