package dev.keel.schema.released;

import static dev.keel.schema.testing.FixtureProject.FIRST;
import static dev.keel.schema.testing.FixtureProject.SECOND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.schema.Project;
import dev.keel.schema.testing.FixtureProject;
import dev.keel.testdb.ChangelogCopy;
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
        ChangelogCopy.replace(project.resources().resolve("db/changelog/changes/001_create_fixture_parents.yaml"), "type: text", "type: varchar(10)");

        assertThat(ReleasedChangesets.problems(state())).singleElement().asString()
                .startsWith(FIRST + " was released but has changed").endsWith("revert the edit and put the change in a new changeset");
        assertThatThrownBy(() -> ReleasedChangesets.accept(state(), project.releasedList()))
                .hasMessageStartingWith(FIRST + " was released but has changed");
        assertThat(ReleasedChangesets.read(project.releasedList())).isEqualTo(released);
    }

    @Test
    void aReleasedLineWithTheChecksumKeelWroteBeforeItCountedDbmsChangesIsUnchangedAndAcceptRewritesIt() throws IOException {
        Path file = project.resources().resolve("db/changelog/changes/001_create_fixture_parents.yaml");
        ChangelogCopy.replace(file, "      rollback:", "        - sql: {dbms: postgresql, sql: \"COMMENT ON TABLE fixture_parents IS 'parents'\"}\n      rollback:");
        ReleasedChangesets.State now = ReleasedChangesets.read(project);
        String earlier = now.earlier().get(FIRST);
        assertThat(earlier).as("the checksum without the change for PostgreSQL").isNotNull().isNotEqualTo(now.current().get(FIRST));
        Map<String, String> releasedEarlier = new LinkedHashMap<>(released);
        releasedEarlier.put(FIRST, earlier);
        ReleasedChangesets.write(project.releasedList(), releasedEarlier);
        ReleasedChangesets.State upgraded = new ReleasedChangesets.State(now.current(), releasedEarlier, releasedEarlier, now.rerunnable(), now.earlier());

        assertThat(ReleasedChangesets.problems(upgraded)).isEmpty();
        assertThat(ReleasedChangesets.accept(upgraded, project.releasedList())).containsExactly("re-accepted " + FIRST
                + " (unchanged: its checksum now counts its changes for PostgreSQL (dbms), as update's does)");
        assertThat(ReleasedChangesets.read(project.releasedList())).containsEntry(FIRST, now.current().get(FIRST));

        ChangelogCopy.replace(file, "type: text", "type: varchar(10)");
        ReleasedChangesets.State edited = ReleasedChangesets.read(project);
        assertThat(ReleasedChangesets.problems(new ReleasedChangesets.State(edited.current(), releasedEarlier, releasedEarlier, edited.rerunnable(),
                edited.earlier()))).as("an edit outside the change for PostgreSQL is still one").singleElement().asString()
                .startsWith(FIRST + " was released but has changed");
    }

    @Test
    void reportsARemovedReleasedChangeset() {
        ChangelogCopy.replace(project.master(), "  - include:\n      file: changes/002_create_fixture_children.yaml\n      relativeToChangelogFile: true\n", "");

        assertThat(ReleasedChangesets.problems(state())).singleElement().asString()
                .isEqualTo(SECOND + " was released but is no longer in the changelog; restore it, and undo it with a new changeset instead"
                        + " (replacing Keel's sample with your own changelog: docs/changesets.md, \"Starting from your own changelog\")");
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

        ChangelogCopy.replace(third, "name: code, type: text", "name: code, type: bigint");
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
        assertThat(MainLine.released(project, null)).as("a temporary folder outside any git repository").isNull();
    }

    @Test
    void anUnreleasedChangesetBeforeAReleasedOneIsReportedWithTheRebaseCommand() {
        FixtureProject.addThird(project, "text");
        ReleasedChangesets.accept(state(), project.releasedList());
        Map<String, String> current = ReleasedChangesets.checksums(project.resources());
        Map<String, String> onlyFirstAndThird = new LinkedHashMap<>(released);
        onlyFirstAndThird.remove(SECOND);
        onlyFirstAndThird.put(FixtureProject.THIRD, current.get(FixtureProject.THIRD));

        assertThat(ReleasedChangesets.orderProblems(new ReleasedChangesets.State(current, current, onlyFirstAndThird))).containsExactly(
                SECOND + " is not released yet but comes before the released " + FixtureProject.THIRD + " in the changelog; run: "
                        + Project.REBASE_COMMAND);
        assertThat(ReleasedChangesets.orderProblems(new ReleasedChangesets.State(current, current, released))).isEmpty();
    }

    @Test
    void anUnreleasedChangesetDatedBeforeAReleasedOneIsReportedWithTheRebaseCommand() {
        String older = "db/changelog/changes/20260101000000_b.yaml::20260101000000_b::x";
        String newer = "db/changelog/changes/20260102000000_a.yaml::20260102000000_a::x";
        Map<String, String> current = new LinkedHashMap<>();
        current.put(newer, "9:a");
        current.put(older, "9:b");

        assertThat(ReleasedChangesets.orderProblems(new ReleasedChangesets.State(current, current, Map.of(newer, "9:a")))).containsExactly(
                older + " is not released yet but is dated before the released " + newer + "; run: " + Project.REBASE_COMMAND);
        assertThat(ReleasedChangesets.orderProblems(new ReleasedChangesets.State(current, current, Map.of()))).isEmpty();
        assertThat(ReleasedChangesets.timestamp("changes/add_x.yaml::add_x::x")).as("a file without a timestamp is never dated").isNull();
    }

    @Test
    void aMalformedLineIsReportedWithItsLineNumber() {
        assertThatThrownBy(() -> ReleasedChangesets.parse(List.of("# header", "9:0123 db/x.yaml::x::me"), "released-changesets.txt"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("released-changesets.txt line 2: expected '<checksum> <file>::<id>::<author>'")
                .hasMessageContaining(Project.ACCEPT_COMMAND);
        assertThatThrownBy(() -> ReleasedChangesets.parse(List.of("nonsense"), "released-changesets.txt")).hasMessageContaining("line 1");
    }

    @Test
    void aReleasedChangesetThatRunsOnChangeMayBeEdited() {
        String view = """
                databaseChangeLog:
                  - changeSet:
                      id: 003_view
                      author: test
                      runOnChange: true
                      changes:
                        - createView: {viewName: fixture_view, replaceIfExists: true, selectQuery: "SELECT %s AS answer"}
                """;
        FixtureProject.write(project, "db/changelog/changes/003_view.yaml", view.formatted("1"));
        FixtureProject.include(project, "003_view.yaml");
        ReleasedChangesets.write(project.releasedList(), ReleasedChangesets.checksums(project.resources()));

        FixtureProject.write(project, "db/changelog/changes/003_view.yaml", view.formatted("2"));

        assertThat(ReleasedChangesets.releasedProblems(ReleasedChangesets.read(project))).isEmpty();
        assertThat(ReleasedChangesets.problems(ReleasedChangesets.read(project))).singleElement().asString()
                .isEqualTo("db/changelog/changes/003_view.yaml::003_view::test runs again when it changes, and has changed since it was"
                        + " accepted; review it, then run: " + Project.ACCEPT_COMMAND);
        FixtureProject.write(project, "db/changelog/changes/003_view.yaml", view.formatted("2").replace("runOnChange: true", "runOnChange: false"));
        assertThat(ReleasedChangesets.releasedProblems(ReleasedChangesets.read(project))).singleElement().asString()
                .startsWith("db/changelog/changes/003_view.yaml::003_view::test was released but has changed");
    }

    @Test
    void aReleasedRunOnChangeChangesetEditedSinceIsNotReleasedAsItIs() {
        Map<String, String> releasedList = Map.of("a.yaml::view::ci", "9:1", "a.yaml::table::ci", "9:2", "a.yaml::function::ci", "9:3");
        ReleasedChangesets.State state = new ReleasedChangesets.State(
                Map.of("a.yaml::view::ci", "9:1b", "a.yaml::table::ci", "9:2b", "a.yaml::function::ci", "9:3", "a.yaml::new::ci", "9:4"),
                releasedList, releasedList, java.util.Set.of("a.yaml::view::ci", "a.yaml::function::ci"));

        assertThat(state.releasedAsIs("a.yaml::view::ci")).as("edited and runs on change: the next update runs it").isFalse();
        assertThat(state.releasedAsIs("a.yaml::function::ci")).as("runs on change, not edited").isTrue();
        assertThat(state.releasedAsIs("a.yaml::table::ci")).as("edited, but never runs again: the released check refuses it").isTrue();
        assertThat(state.releasedAsIs("a.yaml::new::ci")).isFalse();
    }

    @Test
    void anAuthorOrFileNameWithBlanksEvenAtTheEndOrAnIdWithColonsReadsBackAsWritten() throws IOException {
        Map<String, String> list = new LinkedHashMap<>();
        list.put("db/changelog/changes/001 first.yaml::001_first::Jane Doe", "9:0123456789abcdef0123456789abcdef");
        list.put("db/changelog/changes/001 first.yaml::   id with spaces   ::  author with spaces ", "9:0123456789abcdef0123456789abcdee");
        list.put("db/changelog/changes/002.yaml::release::2.1::ci", "9:00112233445566778899aabbccddeeff");
        list.put(SECOND, "9:fedcba9876543210fedcba9876543210");

        ReleasedChangesets.write(project.releasedList(), list);

        assertThat(ReleasedChangesets.read(project.releasedList())).isEqualTo(list);
        assertThat(ReleasedChangesets.readMerged(project.releasedList())).isEqualTo(list);
    }

    private ReleasedChangesets.State state() {
        return new ReleasedChangesets.State(ReleasedChangesets.checksums(project.resources()),
                ReleasedChangesets.read(project.releasedList()), new LinkedHashMap<>(released));
    }
}
