package dev.keel.schema.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.schema.Project;
import dev.keel.schema.released.ReleasedChangesets;
import dev.keel.schema.testing.FixtureProject;
import dev.keel.testdb.ChangelogCopy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code mvn keel:review} on a branch of a real git repository whose one new changeset builds an index without
 * CONCURRENTLY on a table the main line already has: every format names the rule, the file and line, and the rewrite.
 */
class ReviewIT {

    private static final String INDEX = "db/changelog/changes/003_index_fixture_parents_name.yaml";
    private static final String INDEX_CHANGESET = INDEX + "::003_index_fixture_parents_name::test";
    private static final String DROP = "db/changelog/changes/003_drop_fixture_children.yaml";

    @TempDir
    Path root;

    @Test
    void reviewsAnUnsafeChangesetAsMarkdownAnnotationsAndJson() throws Exception {
        Project project = FixtureProject.create(root);
        ReleasedChangesets.accept(ReleasedChangesets.read(project), project.releasedList());
        Files.writeString(project.snapshot(), "CREATE TABLE fixture_parents (id bigint, name text);\n");
        FixtureProject.git(project, "init", "-q", "-b", "main");
        commitAll(project, "release");
        FixtureProject.git(project, "checkout", "-q", "-b", "feature");
        FixtureProject.write(project, INDEX, """
                databaseChangeLog:
                  - changeSet:
                      id: 003_index_fixture_parents_name
                      author: test
                      changes:
                        - createIndex:
                            indexName: ix_fixture_parents__name
                            tableName: fixture_parents
                            columns:
                              - column: {name: name}
                """);
        FixtureProject.include(project, "003_index_fixture_parents_name.yaml");
        Files.writeString(project.snapshot(), "CREATE TABLE fixture_parents (id bigint, name text);\nCREATE INDEX ix_fixture_parents__name ON fixture_parents (name);\n");
        commitAll(project, "index the names");

        Review.Result result = Review.review(project, line -> { });
        Path folder = Review.write(project, result);

        assertThat(result.items()).extracting(Review.Item::changeSet).containsExactly(INDEX_CHANGESET);
        assertThat(result.notes()).as("the branch never ran accept").contains(INDEX_CHANGESET + " not accepted yet: db/schema.sql and its diff"
                + " above are as of the last accept; run mvn keel:accept and commit what it writes");
        String file = "db/src/main/resources/" + INDEX;
        String markdown = Files.readString(folder.resolve("review.md"));
        assertThat(markdown).contains("1 changeset not on the main line yet", "`" + file + "` line 3", "ERROR `index-not-concurrent`",
                "```yaml", "CONCURRENTLY", "```sql\nCREATE INDEX ix_fixture_parents__name ON public.fixture_parents(name);",
                "+CREATE INDEX ix_fixture_parents__name ON fixture_parents (name);");
        assertThat(markdown).as("Liquibase's bookkeeping is not the changeset's SQL").doesNotContainIgnoringCase("databasechangelog");
        assertThat(markdown.indexOf("\nNote: " + INDEX_CHANGESET + " not accepted yet")).as("the note comes after the diff it calls above")
                .isGreaterThan(markdown.indexOf("+CREATE INDEX ix_fixture_parents__name ON fixture_parents (name);"));

        List<String> annotations = Files.readAllLines(folder.resolve("annotations.txt"));
        assertThat(annotations).anySatisfy(line -> assertThat(line)
                .startsWith("::error file=" + file + ",line=3,title=index-not-concurrent::building or dropping an index without CONCURRENTLY"));

        JsonNode json = JsonMapper.builder().build().readTree(Files.readString(folder.resolve("review.json")));
        JsonNode changeSet = json.get("changeSets").get(0);
        assertThat(changeSet.get("file").asString()).isEqualTo(file);
        assertThat(changeSet.get("line").asInt()).isEqualTo(3);
        assertThat(changeSet.get("findings").get(0).get("rule").asString()).isEqualTo("index-not-concurrent");
        assertThat(changeSet.get("findings").get(0).get("rewrite").asString()).contains("CONCURRENTLY");
        assertThat(json.get("snapshotDiff").asString()).contains("+CREATE INDEX ix_fixture_parents__name");
    }

    @Test
    void aFindingAllowedWithAReasonShowsTheRuleAndTheReasonInEveryFormat() throws Exception {
        Project project = releasedOnMain();
        FixtureProject.git(project, "checkout", "-q", "-b", "feature");
        String reason = "no release of the service reads fixture_children since 2026-01";
        FixtureProject.write(project, DROP, """
                databaseChangeLog:
                  - changeSet:
                      id: 003_drop_fixture_children
                      author: test
                      comment: "keel-allow drop: %s"
                      changes:
                        - dropTable: {tableName: fixture_children}
                """.formatted(reason));
        FixtureProject.include(project, "003_drop_fixture_children.yaml");
        commitAll(project, "drop the children");

        Review.Result result = Review.review(project, line -> { });
        Path folder = Review.write(project, result);

        String file = "db/src/main/resources/" + DROP;
        String markdown = Files.readString(folder.resolve("review.md"));
        assertThat(markdown).as("an allowed drop is not online-safe: the reviewer judges its reason").doesNotContain("online-safe")
                .contains("| 0 error(s), 0 warning(s), 1 allowed |", "**ALLOWED `drop`** — " + reason, "DROP TABLE");

        assertThat(Files.readAllLines(folder.resolve("annotations.txt"))).singleElement().asString()
                .startsWith("::notice file=" + file + ",line=3,title=drop (allowed)::").contains(reason);

        JsonNode changeSet = JsonMapper.builder().build().readTree(Files.readString(folder.resolve("review.json"))).get("changeSets").get(0);
        assertThat(changeSet.get("findings")).isEmpty();
        assertThat(changeSet.get("suppressed")).as(changeSet.toString()).isNotNull().singleElement().satisfies(allowed -> {
            assertThat(allowed.get("rule").asString()).isEqualTo("drop");
            assertThat(allowed.get("reason").asString()).isEqualTo(reason);
            assertThat(allowed.get("trace").asString()).isNotBlank();
        });
    }

    @Test
    void aBranchWithoutNewChangesetsHasNothingToReview() throws Exception {
        Project project = releasedOnMain();

        Review.Result result = Review.review(project, line -> { });

        assertThat(result.items()).isEmpty();
        assertThat(ReviewFormats.markdown(result)).contains("nothing to review");
        assertThat(ReviewFormats.annotations(result)).isEmpty();
    }

    @Test
    void aReleasedChangesetEditedOnTheBranchIsAnErrorOfTheReview() throws Exception {
        Project project = releasedOnMain();
        FixtureProject.git(project, "checkout", "-q", "-b", "feature");
        Path released = project.resources().resolve("db/changelog/changes/002_create_fixture_children.yaml");
        ChangelogCopy.replace(released, "name: id", "name: ident");
        commitAll(project, "edit a released changeset");

        Review.Result result = Review.review(project, line -> { });

        assertThat(result.items()).singleElement().satisfies(item -> {
            assertThat(item.changeSet()).isEqualTo(FixtureProject.SECOND);
            assertThat(item.problems()).singleElement().asString().startsWith("was released but has changed");
        });
        assertThat(ReviewFormats.markdown(result)).contains("\n1 released changeset this branch changes (compared with ").doesNotContain("not on the main line yet");
        assertThat(ReviewFormats.json(result)).contains("\"released\" : true");
        assertThat(ReviewFormats.annotations(result)).startsWith("::error file=" + project.relative(released) + ",line=")
                .contains("title=schema review::was released but has changed");
    }

    /** The fixture project, every changeset released: accepted and committed on the main branch. */
    private Project releasedOnMain() throws Exception {
        Project project = FixtureProject.create(root);
        ReleasedChangesets.accept(ReleasedChangesets.read(project), project.releasedList());
        FixtureProject.git(project, "init", "-q", "-b", "main");
        commitAll(project, "release");
        return project;
    }

    private static void commitAll(Project project, String message) {
        FixtureProject.git(project, "add", "-A");
        FixtureProject.git(project, "commit", "-q", "-m", message);
    }
}
