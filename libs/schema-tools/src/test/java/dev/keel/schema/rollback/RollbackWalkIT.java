package dev.keel.schema.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.schema.Project;
import dev.keel.schema.scale.ScaleChangelog;
import dev.keel.schema.testing.FixtureProject;
import dev.keel.testdb.TestPostgres;
import java.nio.file.Path;
import java.util.Set;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Released changesets without a rollback, as an adopted changelog has by the hundred, keep the rollback check
 * linear: it applies each changeset a bounded number of times, not once per such changeset below it.
 */
class RollbackWalkIT {

    private static final int GENERATED = 100;
    private static final String SCALE = "db/changelog/" + ScaleChangelog.FILE + "::";

    @TempDir
    Path root;

    @Test
    void appliesEachChangesetAtMostThreeTimesHoweverManyHaveNoRollback() throws Exception {
        RollbackCheck.Run run = check(GENERATED, Set.of());

        assertThat(run.problems()).as(String.join("\n", run.problems())).isEmpty();
        int changesets = GENERATED + 2; // and the fixture's own two
        assertThat(run.applied()).as("one in five of %d changesets has no rollback", changesets).isLessThanOrEqualTo(3 * changesets);
    }

    @Test
    void namesABadRollbackBetweenChangesetsWithoutOne() throws Exception {
        RollbackCheck.Run run = check(30, Set.of(15, 30));

        assertThat(run.problems()).extracting(problem -> problem.substring(0, problem.indexOf(": ")))
                .containsExactly(SCALE + "scale_00015", SCALE + "scale_00030");
    }

    private RollbackCheck.Run check(int generated, Set<Integer> residue) throws Exception {
        Project project = FixtureProject.create(root);
        ScaleChangelog.write(project.master().resolveSibling(ScaleChangelog.FILE), generated, residue, true);
        ScaleChangelog.include(project.master());
        return RollbackCheck.run(TestPostgres.createEmptyDatabase(), Project.MASTER, new DirectoryResourceAccessor(project.resources()),
                changeset -> true);
    }
}
