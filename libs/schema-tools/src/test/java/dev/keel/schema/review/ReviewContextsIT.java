package dev.keel.schema.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.db.liquibase.UpdateSelection;
import dev.keel.schema.ContextsIT;
import dev.keel.schema.Project;
import dev.keel.schema.released.ReleasedChangesets;
import dev.keel.schema.testing.FixtureProject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/** The review shows the SQL an update with the deploys' contexts runs. Isolated, as {@link ContextsIT} is. */
@Isolated
class ReviewContextsIT {

    @TempDir
    Path root;

    /** What a line of .mvn/maven.config may have set for the whole build, put back afterwards. */
    private final String contextsBefore = System.getProperty(UpdateSelection.CONTEXTS);

    @AfterEach
    void restoreContexts() {
        if (contextsBefore == null) {
            System.clearProperty(UpdateSelection.CONTEXTS);
        } else {
            System.setProperty(UpdateSelection.CONTEXTS, contextsBefore);
        }
    }

    @Test
    void rendersTheChangesetsAndPropertiesOfTheSelectedContexts() throws Exception {
        Project project = FixtureProject.create(root);
        ReleasedChangesets.accept(ReleasedChangesets.read(project), project.releasedList());
        FixtureProject.git(project, "init", "-q", "-b", "main");
        FixtureProject.git(project, "add", "-A");
        FixtureProject.git(project, "commit", "-q", "-m", "release");
        FixtureProject.git(project, "checkout", "-q", "-b", "feature");
        FixtureProject.write(project, "db/changelog/changes/003_ledger.yaml", ContextsIT.PER_DATABASE);
        FixtureProject.include(project, "003_ledger.yaml");
        System.setProperty(UpdateSelection.CONTEXTS, "postgresql");

        Review.Result result = Review.review(project, line -> { });

        String changeSet = "db/changelog/changes/003_ledger.yaml::003_ledger::test";
        assertThat(result.items()).filteredOn(item -> item.changeSet().equals(changeSet)).singleElement()
                .extracting(Review.Item::sql).asString().contains("DEFAULT current_date").doesNotContain("CURDATE");
        assertThat(result.items()).extracting(Review.Item::sql).noneMatch(sql -> sql != null && sql.contains("ENGINE"));
    }
}
