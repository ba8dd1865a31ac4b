package dev.keel.schema.rebase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.schema.Git;
import dev.keel.schema.Project;
import dev.keel.schema.ToolOutput;
import dev.keel.schema.accept.Accept;
import dev.keel.schema.released.ReleasedChangesets;
import dev.keel.schema.testing.FixtureProject;
import dev.keel.testdb.ChangelogCopy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two-branch trial on a fixture repository of its own: branch {@code feature} writes a changeset first,
 * main releases a later one, and main is merged into the branch with every conflict git makes (no .gitattributes).
 */
class RebaseIT {

    static final String BRANCH_FILE = "db/changelog/changes/20260101000000_add_fixture_parents_note.yaml";
    static final String MAIN_FILE = "db/changelog/changes/20260102000000_add_fixture_children_note.yaml";
    static final String MOVED_FILE = "db/changelog/changes/20260103000000_add_fixture_parents_note.yaml";
    static final LocalDateTime NOW = LocalDateTime.of(2026, 1, 3, 0, 0, 0);

    @TempDir
    Path root;

    Project project;

    @BeforeEach
    void aBranchWrittenFirstAndMainReleasedLater() throws Exception {
        project = FixtureProject.create(root);
        FixtureProject.git(project, "init", "-q", "-b", "main");
        Accept.accept(project);
        commit("release the fixture");
        FixtureProject.git(project, "checkout", "-q", "-b", "feature");
        addColumn("20260101000000_add_fixture_parents_note", "fixture_parents", "note");
        Accept.accept(project);
        commit("branch: a note on parents");
        FixtureProject.git(project, "checkout", "-q", "main");
        addColumn("20260102000000_add_fixture_children_note", "fixture_children", "note");
        Accept.accept(project);
        commit("main: a note on children");
        FixtureProject.git(project, "checkout", "-q", "feature");
    }

    @Test
    void movesTheBranchsChangesetAfterTheReleasedOneResolvingTheMerge() throws Exception {
        assertThat(merge().ok()).as("both branches appended to the master, the list and the snapshot").isFalse();
        String released = Files.readString(project.resources().resolve(MAIN_FILE));

        List<String> done = Rebase.rebase(project, NOW);

        assertThat(done).contains("resolved the merge in db/src/main/resources/db/changelog/db.changelog-master.yaml",
                "moved " + BRANCH_FILE + " after the released changesets as " + MOVED_FILE);
        assertThat(project.resources().resolve(BRANCH_FILE)).doesNotExist();
        assertThat(Files.readString(project.resources().resolve(MOVED_FILE))).contains("id: 20260103000000_add_fixture_parents_note");
        assertThat(Files.readString(project.resources().resolve(MAIN_FILE))).as("a released changeset never moves").isEqualTo(released);
        assertThat(Files.readString(project.master())).endsWith("""
                  - include: {file: changes/20260102000000_add_fixture_children_note.yaml, relativeToChangelogFile: true}
                  - include: {file: changes/20260103000000_add_fixture_parents_note.yaml, relativeToChangelogFile: true}
                """).doesNotContain("<<<<<<<");
        ReleasedChangesets.State state = ReleasedChangesets.read(project);
        assertThat(ReleasedChangesets.problems(state)).isEmpty();
        assertThat(state.listed()).containsKey(MOVED_FILE + "::20260103000000_add_fixture_parents_note::test");
        assertThat(Files.readString(project.snapshot())).doesNotContain("<<<<<<<").contains("note text");
        assertThat(Accept.build(project).differences(project)).isEmpty();
        assertThat(Git.run(project.root(), "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "--no-edit").ok())
                .as("every conflict is resolved in git's index too").isTrue();

        assertThat(Rebase.rebase(project, NOW)).as("a second run").containsExactly(
                "Nothing to rebase: the changesets not released yet already come after every released one.");
        assertThat(FixtureProject.git(project, "status", "--porcelain")).isBlank();
    }

    @Test
    void writesTheMovedChangesetTheMasterTheListAndTheSnapshotAsOneSet() throws Exception {
        merge();
        String master = Files.readString(project.master());
        String list = Files.readString(project.releasedList());
        Files.delete(project.erPage());
        Files.createDirectories(project.erPage().resolve("not-a-file"));

        assertThatThrownBy(() -> Rebase.rebase(project, NOW)).as("db/schema.md cannot be read or written").isNotNull();

        assertThat(project.resources().resolve(BRANCH_FILE)).as("not moved, since the rest of the set could not be written").exists();
        assertThat(project.resources().resolve(MOVED_FILE)).doesNotExist();
        assertThat(project.master()).hasContent(master);
        assertThat(project.releasedList()).hasContent(list);
    }

    @Test
    void beforeTheRebaseVerifyNamesBothChangesetsAndTheCommand() throws Exception {
        Files.writeString(root.resolve(".gitattributes"), Project.RELEASED_LIST + " merge=union\n"
                + "db/src/main/resources/" + Project.MASTER + " merge=union\n");
        commit("the union merge for the list and the master");
        ChangelogCopy.replace(project.master(), "  - include:\n      file: changes/20260101000000_add_fixture_parents_note.yaml\n"
                + "      relativeToChangelogFile: true\n", "  - include: {file: changes/20260101000000_add_fixture_parents_note.yaml, relativeToChangelogFile: true}\n");
        commit("one line per include");
        merge();

        assertThat(ReleasedChangesets.orderProblems(ReleasedChangesets.read(project))).containsExactly(BRANCH_FILE
                + "::20260101000000_add_fixture_parents_note::test is not released yet but comes before the released " + MAIN_FILE
                + "::20260102000000_add_fixture_children_note::test in the changelog; run: " + Project.REBASE_COMMAND);
        assertThat(Files.readString(project.master())).as("merged line by line, without a conflict").doesNotContain("<<<<<<<");

        Rebase.rebase(project, NOW);
        assertThat(ReleasedChangesets.problems(ReleasedChangesets.read(project))).isEmpty();
    }

    @Test
    void refusesAConflictInsideAChangesetNamingItAndWritesNothing() throws Exception {
        FixtureProject.git(project, "checkout", "-q", "main");
        ChangelogCopy.replace(project.resources().resolve("db/changelog/changes/002_create_fixture_children.yaml"), "name: id", "name: key");
        commit("main edits a changeset");
        FixtureProject.git(project, "checkout", "-q", "feature");
        ChangelogCopy.replace(project.resources().resolve("db/changelog/changes/002_create_fixture_children.yaml"), "name: id", "name: ident");
        commit("the branch edits it too");
        merge();
        String master = Files.readString(project.master());
        String list = Files.readString(project.releasedList());

        assertThatThrownBy(() -> Rebase.rebase(project, NOW)).isInstanceOf(ToolOutput.Refused.class)
                .hasMessage("db/src/main/resources/db/changelog/changes/002_create_fixture_children.yaml has a merge conflict, and rebase"
                        + " resolves conflicts in the master changelog only. Resolve it by hand (a released changeset keeps the main"
                        + " branch's side; a list of includes keeps both sides), then run mvn keel:rebase again. Nothing was written.");
        assertThat(Files.readString(project.master())).isEqualTo(master);
        assertThat(Files.readString(project.releasedList())).isEqualTo(list);
        assertThat(project.resources().resolve(BRANCH_FILE)).exists();
    }

    @Test
    void refusesAChangesetItCannotMoveNamingItAndWritesNothing() throws Exception {
        FixtureProject.git(project, "checkout", "-q", "main");
        FixtureProject.write(project, "db/changelog/changes/reference/20260102100000_reference_a.yaml", columnChangeset(
                "20260102100000_reference_a", "fixture_parents", "code"));
        Files.writeString(project.master(), Files.readString(project.master())
                + "  - includeAll: {path: changes/reference/, relativeToChangelogFile: true}\n");
        Accept.accept(project);
        commit("main: reference data, through includeAll");
        FixtureProject.git(project, "checkout", "-q", "-b", "late");
        FixtureProject.write(project, "db/changelog/changes/reference/20260102050000_reference_b.yaml", columnChangeset(
                "20260102050000_reference_b", "fixture_parents", "label"));
        String master = Files.readString(project.master());
        String list = Files.readString(project.releasedList());

        assertThatThrownBy(() -> Rebase.rebase(project, NOW)).isInstanceOf(ToolOutput.Refused.class)
                .hasMessageContaining("20260102050000_reference_b::test is not released yet but")
                .hasMessageContaining("includeAll").hasMessageEndingWith("then run mvn keel:accept, and mvn keel:rebase again. Nothing was written.");
        assertThat(Files.readString(project.master())).isEqualTo(master);
        assertThat(Files.readString(project.releasedList())).isEqualTo(list);
    }

    private Git.Result merge() {
        return Git.run(project.root(), "-c", "user.email=t@example.com", "-c", "user.name=t", "merge", "-q", "--no-edit", "main");
    }

    private void addColumn(String id, String table, String column) {
        FixtureProject.write(project, "db/changelog/changes/" + id + ".yaml", columnChangeset(id, table, column));
        FixtureProject.include(project, id + ".yaml");
    }

    private static String columnChangeset(String id, String table, String column) {
        return """
                databaseChangeLog:
                  - changeSet:
                      id: %s
                      author: test
                      changes:
                        - addColumn: {tableName: %s, columns: [{column: {name: %s, type: text}}]}
                """.formatted(id, table, column);
    }

    private void commit(String message) {
        FixtureProject.git(project, "add", "-A");
        FixtureProject.git(project, "commit", "-q", "-m", message);
    }
}
