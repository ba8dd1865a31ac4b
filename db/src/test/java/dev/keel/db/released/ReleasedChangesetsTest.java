package dev.keel.db.released;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.db.settings.Settings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The build's check: no released changeset was edited or removed, and every changeset is recorded. */
class ReleasedChangesetsTest {

    private static final Path RESOURCES = Settings.root().resolve("db/src/main/resources");
    private static final Path LIST = Settings.root().resolve(ReleasedChangesets.FILE);

    @Test
    void releasedChangesetsAreUnchanged() {
        if (Boolean.getBoolean("keel.changesets.record")) {
            ReleasedChangesets.recordNew(RESOURCES, LIST).forEach(added -> System.out.println("Recorded " + added));
        }
        List<String> problems = ReleasedChangesets.problems(RESOURCES, LIST);

        assertThat(problems).as("%n%s", String.join(System.lineSeparator(), problems)).isEmpty();
    }
}
