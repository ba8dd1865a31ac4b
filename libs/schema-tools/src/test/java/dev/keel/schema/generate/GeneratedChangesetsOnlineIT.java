package dev.keel.schema.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.online.Finding;
import dev.keel.online.OnlineCheck;
import dev.keel.schema.Project;
import dev.keel.schema.online.OnlineCheckTool;
import dev.keel.schema.testing.FixtureProject;
import dev.keel.testdb.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Everything generate writes passes the online check. Isolated, as the online check's other classes are: its verdicts
 * rest on how long locks were held, which classes running beside it would stretch.
 */
@Isolated
class GeneratedChangesetsOnlineIT {

    @TempDir
    Path root;

    @Test
    void writesChangesetsThatPassTheOnlineCheck() throws Exception {
        Project project = FixtureProject.create(root);
        GenerateChangeset.Generated generated;
        try (Connection shadow = TestPostgres.server().connect(FixtureProject.migratedDatabase(project))) {
            generated = GenerateChangeset.generate("AddWidgets", "dev.keel.driftfixture", shadow, project.resources(), GenerateChangesetIT.NOW);
        }
        String file = project.resources().relativize(generated.file()).toString().replace('\\', '/');

        OnlineCheck.Report report = OnlineCheck.trace(project.resources(), Project.MASTER, changeset -> !changeset.contains(file), line -> { });

        assertThat(report.traced()).isEqualTo(generated.changeSets());
        assertThat(report.findings()).as(report.text()).noneMatch(Finding::isError);
        // Generate's note asks for a backfill before a required column on an existing table is validated; the
        // fill's rows have none, as a real table would not.
        assertThat(generated.notes()).anyMatch(note -> note.startsWith("fixture_parents.code is required"));
        assertThat(report.problems()).as(report.text())
                .singleElement().asString().contains("_validate: does not apply").contains("ck_fixture_parents__code_not_null");
        assertThat(OnlineCheckTool.refusal(report)).as("no rewrite to use: the problem to fix").contains("fix each problem above")
                .doesNotContain("safe rewrite");
    }

    @Test
    void quotedNamesPassTheOnlineCheck() throws Exception {
        Project project = FixtureProject.create(root);
        GenerateChangeset.Generated generated = GenerateChangesetIT.generateQuoted(project);
        String file = project.resources().relativize(generated.file()).toString().replace('\\', '/');

        OnlineCheck.Report report = OnlineCheck.trace(project.resources(), Project.MASTER, changeset -> !changeset.contains(file), line -> { });

        assertThat(report.traced()).isEqualTo(generated.changeSets());
        assertThat(report.findings()).as(report.text()).noneMatch(Finding::isError);
    }
}
