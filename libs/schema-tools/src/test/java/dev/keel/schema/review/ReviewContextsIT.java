package dev.keel.schema.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.schema.ContextsIT;
import dev.keel.schema.ContextsProperty;
import dev.keel.schema.Project;
import dev.keel.schema.released.ReleasedChangesets;
import dev.keel.schema.testing.FixtureProject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/** The review shows the SQL an update with the deploys' contexts runs. Isolated, as {@link ContextsIT} is. */
@Isolated
class ReviewContextsIT {

    @TempDir
    Path root;

    @RegisterExtension
    final ContextsProperty contexts = new ContextsProperty();

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
        contexts.set("postgresql");

        Review.Result result = Review.review(project, line -> { });

        String changeSet = "db/changelog/changes/003_ledger.yaml::003_ledger::test";
        assertThat(result.items()).filteredOn(item -> item.changeSet().equals(changeSet)).singleElement()
                .extracting(Review.Item::sql).asString().contains("DEFAULT current_date").doesNotContain("CURDATE");
        assertThat(result.items()).extracting(Review.Item::sql).noneMatch(sql -> sql != null && sql.contains("ENGINE"));
    }
}
