package dev.keel.schema.released;

import static dev.keel.schema.testing.FixtureProject.FIRST;
import static dev.keel.schema.testing.FixtureProject.THIRD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.schema.Project;
import dev.keel.schema.testing.FixtureProject;
import dev.keel.testdb.ChangelogCopy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Released means merged into the main line: real git repositories with branches, clones and merges, made by the git CLI. */
class MainLineTest {

    static final String PARENTS = "db/changelog/changes/001_create_fixture_parents.yaml";

    @TempDir
    Path root;

    Project project;

    /** A repository whose main branch has the fixture's two changesets accepted, and a branch {@code feature} off it. */
    @BeforeEach
    void mainWithTwoReleasedChangesetsAndABranch() {
        project = FixtureProject.create(root);
        ReleasedChangesets.accept(state(), project.releasedList());
        FixtureProject.git(project, "init", "-q", "-b", "main");
        commitAll(project, "release");
        FixtureProject.git(project, "checkout", "-q", "-b", "feature");
    }

    @Test
    void aChangesetCommittedOnABranchCanBeRevisedAndAcceptedAgain() {
        Path third = FixtureProject.addThird(project, "text");
        ReleasedChangesets.accept(state(), project.releasedList());
        commitAll(project, "add a column");

        ChangelogCopy.replace(third, "type: text", "type: bigint");
        assertThat(ReleasedChangesets.problems(state())).containsExactly(THIRD + " has changed since it was accepted; review it, then run: "
                + Project.ACCEPT_COMMAND);
        assertThat(ReleasedChangesets.accept(state(), project.releasedList())).singleElement().asString().startsWith("re-accepted " + THIRD);
        assertThat(ReleasedChangesets.problems(state())).isEmpty();
        commitAll(project, "revise it after review");

        FixtureProject.git(project, "checkout", "-q", "main");
        FixtureProject.git(project, "merge", "-q", "--no-ff", "-m", "merge feature", "feature");
        assertThat(state().released(THIRD)).as("merged into main: released").isTrue();
    }

    @Test
    void aChangedMainLineChangesetFailsWhateverTheBranchCommitted() {
        ChangelogCopy.replace(project.resources().resolve(PARENTS), "<= 100", "<= 120");
        Map<String, String> checksums = ReleasedChangesets.checksums(project.resources());
        // The branch commits the edited changeset together with its edited line in the list.
        ReleasedChangesets.accept(new ReleasedChangesets.State(checksums, ReleasedChangesets.read(project.releasedList()), Map.of()),
                project.releasedList());
        commitAll(project, "widen a released CHECK");

        assertThat(ReleasedChangesets.problems(state())).singleElement().asString().startsWith(FIRST + " was released but has changed");
        assertThatThrownBy(() -> ReleasedChangesets.accept(state(), project.releasedList())).hasMessageStartingWith(FIRST + " was released but has changed");
    }

    @Test
    void aReleasedChecksumThatAParameterValueChangedNamesTheParameterNotAnEdit() throws Exception {
        String parameter = "keel_main_line_test_" + Long.toHexString(System.nanoTime());
        Files.writeString(project.master(), Files.readString(project.master()).replace("databaseChangeLog:\n",
                "databaseChangeLog:\n  - property: {name: " + parameter + ", value: a}\n"));
        FixtureProject.write(project, "db/changelog/changes/003_comment.yaml", """
                databaseChangeLog:
                  - changeSet: {id: 003_comment, author: test, changes: [{sql: {sql: "COMMENT ON TABLE fixture_parents IS '${%s}'"}}]}
                """.formatted(parameter));
        FixtureProject.include(project, "003_comment.yaml");
        ReleasedChangesets.accept(ReleasedChangesets.read(project), project.releasedList());
        commitAll(project, "a changeset that uses a changelog parameter");
        FixtureProject.git(project, "checkout", "-q", "main");
        FixtureProject.git(project, "merge", "-q", "--no-ff", "-m", "release it", "feature");
        FixtureProject.git(project, "checkout", "-q", "-b", "next");
        FixtureProject.addThird(project, "text");
        ReleasedChangesets.accept(ReleasedChangesets.read(project), project.releasedList());
        commitAll(project, "a branch with a changeset of its own");
        assertThat(ReleasedChangesets.problems(ReleasedChangesets.read(project))).isEmpty();

        System.setProperty(parameter, "b");
        try {
            assertThat(ReleasedChangesets.problems(ReleasedChangesets.read(project))).singleElement().asString()
                    .startsWith("db/changelog/changes/003_comment.yaml::003_comment::test was released and its files are as the main line"
                            + " has them, but its checksum changed")
                    .endsWith("a changelog parameter (${...}) it uses has another value here, a -D on this command, say, and Liquibase computes"
                            + " the checksum after substituting it. Give the parameter the value it was released with, in a property of the master"
                            + " changelog");
        } finally {
            System.clearProperty(parameter);
        }
    }

    @Test
    void anEditedSqlFileOfAReleasedChangesetIsAnEditThoughTheChangesetsOwnFileIsUnchanged() throws Exception {
        FixtureProject.write(project, "db/changelog/changes/003_comment.sql", "COMMENT ON TABLE fixture_parents IS 'parents';\n");
        FixtureProject.write(project, "db/changelog/changes/003_comment.yaml", """
                databaseChangeLog:
                  - changeSet: {id: 003_comment, author: test, changes: [{sqlFile: {path: 003_comment.sql, relativeToChangelogFile: true}}]}
                """);
        FixtureProject.include(project, "003_comment.yaml");
        ReleasedChangesets.accept(ReleasedChangesets.read(project), project.releasedList());
        commitAll(project, "a changeset that runs a SQL file");
        FixtureProject.git(project, "checkout", "-q", "main");
        FixtureProject.git(project, "merge", "-q", "--no-ff", "-m", "release it", "feature");

        FixtureProject.write(project, "db/changelog/changes/003_comment.sql", "COMMENT ON TABLE fixture_parents IS 'the parents';\n");

        assertThat(ReleasedChangesets.problems(ReleasedChangesets.read(project))).singleElement().asString()
                .startsWith("db/changelog/changes/003_comment.yaml::003_comment::test was released but has changed")
                .endsWith("revert the edit and put the change in a new changeset");
    }

    @Test
    void aReleasedChangesetsDbmsOrPreconditionEditedOnABranchFailsThoughItsChecksumStays() {
        FixtureProject.addThird(project, "text");
        ReleasedChangesets.accept(ReleasedChangesets.read(project), project.releasedList());
        commitAll(project, "add a column");
        assertThat(ReleasedChangesets.problems(ReleasedChangesets.read(project))).as("a new changeset alone changes nothing released").isEmpty();

        ChangelogCopy.replace(project.resources().resolve(PARENTS), "      author: test\n", "      author: test\n      dbms: mssql\n");
        commitAll(project, "run it on SQL Server only");

        assertThat(ReleasedChangesets.problems(ReleasedChangesets.read(project))).singleElement().asString()
                .isEqualTo(FIRST + " was released but its dbms (was none, now mssql) changed since the main line, which its checksum leaves"
                        + " out: a database that applied it keeps what it did, a new one gets the new form. Revert the edit and put the change"
                        + " in a new changeset");
        assertThatThrownBy(() -> ReleasedChangesets.accept(ReleasedChangesets.read(project), project.releasedList()))
                .hasMessageContaining(FIRST + " was released but its dbms (was none, now mssql) changed");

        ChangelogCopy.replace(project.resources().resolve(PARENTS), "      dbms: mssql\n",
                "      preConditions:\n        - onFail: MARK_RAN\n        - not:\n            - tableExists: {tableName: fixture_parents}\n");
        assertThat(ReleasedChangesets.problems(ReleasedChangesets.read(project))).singleElement().asString()
                .startsWith(FIRST + " was released but its preconditions (was none, now preConditions(").contains("tableExists(");
    }

    @Test
    void originMainWinsOverMainAndTheSettingWinsOverBoth() {
        FixtureProject.addThird(project, "text");
        ReleasedChangesets.accept(state(), project.releasedList());
        commitAll(project, "add a column");
        String feature = FixtureProject.git(project, "rev-parse", "HEAD").strip();

        FixtureProject.git(project, "update-ref", "refs/remotes/origin/main", feature);
        assertThat(MainLine.released(project, null)).as("origin/main has the third changeset").containsKey(THIRD);
        assertThat(MainLine.released(project, "main")).doesNotContainKey(THIRD);
        assertThatThrownBy(() -> MainLine.released(project, "origin/trunk")).isInstanceOf(MainLine.Unknown.class)
                .hasMessage(MainLine.VARIABLE + " (-D" + MainLine.PROPERTY + ") names the main branch 'origin/trunk', which this clone does not"
                        + " have; fetch it (git fetch origin trunk:refs/remotes/origin/trunk) or name the main line's branch");
    }

    @Test
    void whileMainIsMergedIntoTheBranchWhatMainReleasedCountsAsReleased() {
        FixtureProject.git(project, "checkout", "-q", "main");
        FixtureProject.addThird(project, "text");
        ReleasedChangesets.accept(state(), project.releasedList());
        commitAll(project, "released on main meanwhile");
        FixtureProject.git(project, "checkout", "-q", "feature");
        FixtureProject.git(project, "merge", "-q", "--no-commit", "--no-ff", "main");

        assertThat(FixtureProject.git(project, "rev-parse", "MERGE_HEAD")).isNotBlank();
        assertThat(state().released(THIRD)).isTrue();
    }

    @Test
    void aShallowCloneSaysExactlyWhatToFetchAndWorksOnceFetched(@TempDir Path clones) {
        Project clone = new Project(clones.resolve("clone"));
        FixtureProject.git(project, "clone", "-q", "--depth", "1", "--branch", "feature", "--single-branch", project.root().toUri().toString(),
                clone.root().toString());

        assertThatThrownBy(() -> MainLine.released(clone, null)).isInstanceOf(MainLine.Unknown.class)
                .hasMessage("Cannot tell which changesets are released: this clone has neither origin/main nor main. Run:"
                        + " git fetch --unshallow origin main:refs/remotes/origin/main (or set KEEL_MAIN_BRANCH, e.g. -Dkeel.mainBranch=origin/master,"
                        + " to the main line's branch)");

        FixtureProject.git(clone, "fetch", "-q", "--unshallow", "origin", "main:refs/remotes/origin/main");
        assertThat(MainLine.released(clone, null)).containsOnlyKeys(FIRST, FixtureProject.SECOND);
    }

    @Test
    void aShallowCloneWithoutTheMergeBaseSaysToUnshallow(@TempDir Path clones) {
        FixtureProject.addThird(project, "text");
        commitAll(project, "a commit after the fork");
        Project clone = new Project(clones.resolve("clone"));
        FixtureProject.git(project, "clone", "-q", "--depth", "1", "--no-single-branch", project.root().toUri().toString(), clone.root().toString());

        assertThatThrownBy(() -> MainLine.released(new Project(clone.root()), null)).isInstanceOf(MainLine.Unknown.class)
                .hasMessageContaining("this shallow clone lacks the merge-base of HEAD and origin/main. Run: git fetch --unshallow origin main");
    }

    private ReleasedChangesets.State state() {
        return new ReleasedChangesets.State(ReleasedChangesets.checksums(project.resources()), ReleasedChangesets.read(project.releasedList()),
                MainLine.released(project, null));
    }

    private static void commitAll(Project project, String message) {
        FixtureProject.git(project, "add", ".");
        FixtureProject.git(project, "commit", "-q", "-m", message);
    }

    @Test
    void theConfiguredMainBranchBelongsToThisRepositoryNotToAFixture() {
        assertThat(MainLine.configuredFor(new Project(dev.keel.db.settings.Settings.root()), "master")).isEqualTo("master");
        assertThat(MainLine.configuredFor(project, "master")).as("a fixture keeps git's defaults whatever KEEL_MAIN_BRANCH says").isNull();
    }
}
