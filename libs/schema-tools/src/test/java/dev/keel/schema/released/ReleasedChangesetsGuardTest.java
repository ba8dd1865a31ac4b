package dev.keel.schema.released;

import static dev.keel.schema.testing.FixtureProject.FIRST;
import static dev.keel.schema.testing.FixtureProject.SECOND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.schema.Project;
import dev.keel.schema.testing.FixtureProject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The released-changesets guard on a fixture project of its own, whatever the state of this repository. */
class ReleasedChangesetsGuardTest {

    @TempDir
    Path root;

    Project project;
    Map<String, String> released;

    @BeforeEach
    void acceptTheFixtureAndReleaseIt() {
        project = FixtureProject.create(root);
        ReleasedChangesets.accept(new ReleasedChangesets.State(ReleasedChangesets.checksums(project.resources()), Map.of(), Map.of()),
                project.releasedList());
        released = ReleasedChangesets.read(project.releasedList());
        assertThat(released).containsOnlyKeys(FIRST, SECOND);
        assertThat(ReleasedChangesets.problems(state())).isEmpty();
    }

    @Test
    void reportsAnEditedReleasedChangesetAndAcceptRefusesIt() {
        FixtureProject.replace(project.resources().resolve("db/changelog/changes/001_create_fixture_parents.yaml"), "type: text", "type: varchar(10)");

        assertThat(ReleasedChangesets.problems(state())).singleElement().asString()
                .startsWith(FIRST + " was released but has changed").endsWith("revert the edit and put the change in a new changeset");
        assertThatThrownBy(() -> ReleasedChangesets.accept(state(), project.releasedList()))
                .hasMessageStartingWith(FIRST + " was released but has changed");
        assertThat(ReleasedChangesets.read(project.releasedList())).isEqualTo(released);
    }

    @Test
    void reportsARemovedReleasedChangeset() {
        FixtureProject.replace(project.master(), "  - include:\n      file: changes/002_create_fixture_children.yaml\n      relativeToChangelogFile: true\n", "");

        assertThat(ReleasedChangesets.problems(state())).singleElement().asString()
                .isEqualTo(SECOND + " was released but is no longer in the changelog; restore it, and undo it with a new changeset instead");
    }

    @Test
    void reportsAReleasedLineRemovedFromTheList() throws IOException {
        Files.write(project.releasedList(), Files.readAllLines(project.releasedList()).stream().filter(line -> !line.contains(SECOND)).toList());

        assertThat(ReleasedChangesets.problems(state())).singleElement().asString().startsWith(SECOND + " was released, but its line");
    }

    @Test
    void aNewChangesetIsReportedWithTheAcceptCommandThenAcceptedRevisedAndAcceptedAgain() {
        Path third = FixtureProject.addThird(project, "text");
        String id = FixtureProject.THIRD;
        assertThat(ReleasedChangesets.problems(state())).containsExactly(id + " is new; review it, then run: " + Project.ACCEPT_COMMAND);

        assertThat(ReleasedChangesets.accept(state(), project.releasedList())).containsExactly("accepted " + id);
        assertThat(ReleasedChangesets.problems(state())).isEmpty();

        FixtureProject.replace(third, "name: code, type: text", "name: code, type: bigint");
        assertThat(ReleasedChangesets.problems(state())).containsExactly(id + " has changed since it was accepted; review it, then run: "
                + Project.ACCEPT_COMMAND);
        assertThat(ReleasedChangesets.accept(state(), project.releasedList())).singleElement().asString().startsWith("re-accepted " + id);
        assertThat(ReleasedChangesets.problems(state())).isEmpty();
        assertThat(ReleasedChangesets.read(project.releasedList())).containsAllEntriesOf(released);
    }

    @Test
    void withoutGitEveryListedChangesetCountsAsReleased() {
        ReleasedChangesets.State noGit = new ReleasedChangesets.State(ReleasedChangesets.checksums(project.resources()), released, null);
        assertThat(ReleasedChangesets.releasedProblems(noGit)).isEmpty();
        assertThat(ReleasedChangesets.committed(project)).as("a temporary folder outside any git repository").isNull();
    }

    @Test
    void readsTheCommittedListFromGit() throws Exception {
        FixtureProject.git(project, "init", "-q");
        FixtureProject.git(project, "commit", "-q", "--allow-empty", "-m", "empty");
        assertThat(ReleasedChangesets.committed(project)).as("nothing committed: nothing released").isEmpty();

        FixtureProject.git(project, "add", Project.RELEASED_LIST);
        FixtureProject.git(project, "commit", "-q", "-m", "release");
        assertThat(ReleasedChangesets.committed(project)).isEqualTo(released);
    }

    @Test
    void aMalformedLineIsReportedWithItsLineNumber() {
        assertThatThrownBy(() -> ReleasedChangesets.parse(List.of("# header", "9:0123 db/x.yaml::x::me"), "released-changesets.txt"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("released-changesets.txt line 2: expected '<checksum> <file>::<id>::<author>'")
                .hasMessageContaining(Project.ACCEPT_COMMAND);
        assertThatThrownBy(() -> ReleasedChangesets.parse(List.of("nonsense"), "released-changesets.txt")).hasMessageContaining("line 1");
    }

    private ReleasedChangesets.State state() {
        return new ReleasedChangesets.State(ReleasedChangesets.checksums(project.resources()),
                ReleasedChangesets.read(project.releasedList()), new LinkedHashMap<>(released));
    }
}
