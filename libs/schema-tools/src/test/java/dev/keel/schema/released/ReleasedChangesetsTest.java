package dev.keel.schema.released;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.schema.Project;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The build's check on this repository: every changeset is accepted, and no released changeset changed or disappeared. */
class ReleasedChangesetsTest {

    @Test
    void everyChangesetIsAcceptedAndNoReleasedOneChanged() {
        List<String> problems = ReleasedChangesets.problems(ReleasedChangesets.read(Project.current()));

        assertThat(problems).as("%n%s%n", String.join(System.lineSeparator(), problems)).isEmpty();
    }
}
