package dev.keel.schema.rebase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.schema.Project;
import dev.keel.schema.released.ReleasedChangesets;
import dev.keel.schema.testing.FixtureProject;
import dev.keel.testdb.ChangelogChecksums;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RebaseTest {

    @TempDir
    Path root;

    @Test
    void movesAnIncludedFileWhoseChangesetsCarryALogicalFilePath() throws Exception {
        Project project = FixtureProject.create(root);
        FixtureProject.write(project, "db/changelog/changes/team.xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                        xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd"
                        logicalFilePath="changelogs/team-7.3.xml">
                    <changeSet id="t1" author="team"><sql>ALTER TABLE fixture_parents ADD COLUMN note text</sql></changeSet>
                </databaseChangeLog>
                """);
        Files.writeString(project.master(), """
                databaseChangeLog:
                  - include: {file: changes/001_create_fixture_parents.yaml, relativeToChangelogFile: true}
                  - include: {file: changes/team.xml, relativeToChangelogFile: true}
                  - include: {file: changes/002_create_fixture_children.yaml, relativeToChangelogFile: true}
                """);
        ChangelogChecksums.Checksums read = ReleasedChangesets.changelog(project.resources());
        Map<String, String> released = Map.of(FixtureProject.FIRST, "9:1", FixtureProject.SECOND, "9:2");

        Rebase.Plan plan = Rebase.plan(MasterChangelog.parse(Files.readString(project.master())), read.byChangeset(), released,
                LocalDateTime.of(2026, 1, 3, 0, 0), read.physicalFiles());

        assertThat(read.byChangeset()).containsKey("changelogs/team-7.3.xml::t1::team");
        assertThat(plan.master().render()).endsWith("""
                  - include: {file: changes/002_create_fixture_children.yaml, relativeToChangelogFile: true}
                  - include: {file: changes/team.xml, relativeToChangelogFile: true}
                """);
        assertThat(plan.renames()).isEmpty();
    }

    @Test
    void movesABranchsFileAfterAReleasedOneWhoseLeadingDigitsAreNoDate() throws Exception {
        Project project = FixtureProject.create(root);
        String initial = "db/changelog/changes/00000000000000_initial_schema.yaml";
        String branch = "db/changelog/changes/20260101000000_add_note.yaml";
        String released = "db/changelog/changes/20260102000000_add_code.yaml";
        changeset(project, initial, "00000000000000", "CREATE TABLE jhi_user (id bigint)");
        changeset(project, branch, "20260101000000", "ALTER TABLE jhi_user ADD COLUMN note text");
        changeset(project, released, "20260102000000", "ALTER TABLE jhi_user ADD COLUMN code text");
        Files.writeString(project.master(), """
                databaseChangeLog:
                  - include: {file: changes/00000000000000_initial_schema.yaml, relativeToChangelogFile: true}
                  - include: {file: changes/20260101000000_add_note.yaml, relativeToChangelogFile: true}
                  - include: {file: changes/20260102000000_add_code.yaml, relativeToChangelogFile: true}
                """);
        ChangelogChecksums.Checksums read = ReleasedChangesets.changelog(project.resources());
        Map<String, String> releasedList = Map.of(initial + "::00000000000000::jhipster", "9:1", released + "::20260102000000::jhipster", "9:2");

        Rebase.Plan plan = Rebase.plan(MasterChangelog.parse(Files.readString(project.master())), read.byChangeset(), releasedList,
                LocalDateTime.of(2026, 1, 3, 0, 0), read.physicalFiles());

        assertThat(plan.renames()).containsExactly(new Rebase.Rename(branch, "db/changelog/changes/20260103000000_add_note.yaml",
                "20260101000000", "20260103000000"));
    }

    private static void changeset(Project project, String path, String id, String sql) throws Exception {
        FixtureProject.write(project, path, """
                databaseChangeLog:
                  - changeSet:
                      id: "%s"
                      author: jhipster
                      changes:
                        - sql: {sql: %s}
                """.formatted(id, sql));
    }
}
