package dev.keel.schema.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.schema.Project;
import dev.keel.schema.accept.Accept;
import dev.keel.schema.testing.FixtureProject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The review of a branch with a planted unsafe changeset, in each format: the rule, the file and line, the rewrite. */
class ReviewIT {

    static final String FILE = "db/src/main/resources/db/changelog/changes/003_index_fixture_parents_name.yaml";
    static final String CHANGESET = "db/changelog/changes/003_index_fixture_parents_name.yaml::003_index_fixture_parents_name::test";
    static final String REWRITE = "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_fixture_parents__name ON public.fixture_parents USING btree (name)";

    @TempDir
    static Path root;

    static Review.Report report;

    @BeforeAll
    static void aBranchWithAnIndexBuiltWithoutConcurrently() throws Exception {
        Project project = FixtureProject.create(root);
        FixtureProject.git(project, "init", "-q", "-b", "main");
        Accept.accept(project);
        FixtureProject.git(project, "add", "-A");
        FixtureProject.git(project, "commit", "-q", "-m", "release");
        FixtureProject.git(project, "checkout", "-q", "-b", "feature");
        FixtureProject.write(project, "db/changelog/changes/003_index_fixture_parents_name.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 003_index_fixture_parents_name
                      author: test
                      changes:
                        - createIndex: {tableName: fixture_parents, indexName: ix_fixture_parents__name, columns: [{column: {name: name}}]}
                """);
        FixtureProject.include(project, "003_index_fixture_parents_name.yaml");
        Accept.accept(project);
        report = Review.review(project);
    }

    @Test
    void markdownGivesTheRuleTheRewriteTheSqlAndTheSchemaDiff() {
        assertThat(Review.markdown(report))
                .contains("1 changeset(s) not released yet; the online check found 1 error(s).")
                .contains("## `" + CHANGESET + "`\n\n`" + FILE + "` line 3")
                .contains("**Online check: ERROR `index-not-concurrent`** building or dropping an index without CONCURRENTLY blocks every write")
                .contains(REWRITE)
                .contains("SQL (`updateSQL`):\n\n```sql\nCREATE INDEX ix_fixture_parents__name ON public.fixture_parents(name);")
                .contains("```diff\n").contains("+CREATE INDEX ix_fixture_parents__name ON public.fixture_parents USING btree (name);");
    }

    @Test
    void annotationsPutEachErrorOnItsChangesetsFileAndLine() {
        assertThat(Review.annotations(report)).startsWith("::error file=" + FILE + ",line=3,title=index-not-concurrent::" + CHANGESET
                + ": building or dropping an index without CONCURRENTLY blocks every write")
                .contains("%0ASafe rewrite:%0A").contains(REWRITE).endsWith("\n").doesNotContain("\n::");
    }

    @Test
    void writesTheThreeFilesUnderTarget() throws Exception {
        Path folder = Review.write(new Project(root), report);

        assertThat(folder).isEqualTo(root.resolve("target/keel-review"));
        assertThat(Files.readString(folder.resolve("review.md"))).isEqualTo(Review.markdown(report));
        assertThat(Files.readString(folder.resolve("review.json"))).isEqualTo(Review.json(report));
        assertThat(Files.readString(folder.resolve("annotations.txt"))).isEqualTo(Review.annotations(report));
    }

    @Test
    void jsonCarriesTheRuleTheFileAndLineAndTheRewrite() {
        assertThat(Review.json(report))
                .contains("{\"changeset\": \"" + CHANGESET + "\", \"file\": \"" + FILE + "\", \"line\": 3, \"sql\": \"CREATE INDEX ix_fixture_parents__name")
                .contains("{\"rule\": \"index-not-concurrent\", \"severity\": \"error\"")
                .contains("\"rewrite\": \"- changeSet:\\n    id: 003_index_fixture_parents_name\\n").contains(REWRITE)
                .contains("\"schemaDiff\": \"diff --git");
    }
}
